from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.config import LANG_RE, Config, find_project, load_config, read_config
from briefgen.diagnostics import BriefgenError
from briefgen.stories import Settings as StorySettings


def test_a_project_without_config_gets_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path.resolve())
    assert config.base_path == "/"


def test_base_url_path_is_kept_and_closed_with_a_slash(make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": "base_url: https://user.github.io/repo\n"})
    config = load_config(project)
    assert config.base_url == "https://user.github.io/repo/"
    assert config.base_path == "/repo/"
    assert config.with_base_url("https://x.org/a/b").base_path == "/a/b/"


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            "timezon: UTC\n",
            "briefgen.yaml:1: error: timezon: unknown key (did you mean `timezone`?)",
        ),
        ("title: [a]\n", "briefgen.yaml:1: error: title: expected a string, got a list"),
        (
            "base_url: javascript:alert(1)\n",
            "briefgen.yaml:1: error: base_url: expected an http(s) URL such as "
            "https://user.github.io/repo/, got 'javascript:alert(1)'",
        ),
        (
            "timezone: Mars/Olympus\n",
            "briefgen.yaml:1: error: timezone: expected an IANA time zone such as 'Europe/Paris' "
            "or 'UTC', got 'Mars/Olympus'",
        ),
        (
            "feed_limit: 0\n",
            "briefgen.yaml:1: error: feed_limit: expected a positive number, got 0",
        ),
        (
            "unsafe_html: 1\n",
            "briefgen.yaml:1: error: unsafe_html: expected true or false, got a number",
        ),
        (
            "title: T\nimport:\n  topic: {}\n",
            "briefgen.yaml:3: error: import.topic: unknown key (did you mean `topics`?)",
        ),
        (
            "output_dir: ../elsewhere\n",
            "briefgen.yaml:1: error: output_dir: expected a folder inside the project, "
            "got '../elsewhere'",
        ),
        (
            "title: [\n",
            "briefgen.yaml:2:1: error: invalid YAML: did not find expected node content "
            "(while parsing a flow node)",
        ),
    ],
)
def test_config_errors_name_the_key_and_line(
    yaml: str, expected: str, make_project: Callable[..., Path]
) -> None:
    project = make_project({"briefgen.yaml": yaml})
    config, diagnostics = read_config(project)
    assert config is None
    assert [str(d) for d in diagnostics] == [expected]


def test_every_config_problem_is_reported_at_once(make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": "titel: T\nlanguage: 3\nhome_days: -1\n"})
    with pytest.raises(BriefgenError) as raised:
        load_config(project)
    assert len(raised.value.diagnostics) == 3


def test_import_rules_are_read(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "briefgen.yaml": "import:\n  boilerplate: ['^Pub$']\n  topics:\n"
            "    Défense: [armes, missiles]\n  sources:\n    www.a.example: A\n"
        }
    )
    rules = load_config(project).import_rules
    assert rules.boilerplate == ("^Pub$",)
    assert rules.topics == (("Défense", ("armes", "missiles")),)
    assert rules.sources == (("www.a.example", "A"),)


def test_story_settings_are_read_and_default_otherwise(make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": "stories:\n  threshold: 0.3\n  window_days: 7\n"})
    stories = load_config(project).stories
    assert (stories.threshold, stories.window_days, stories.duplicate) == (0.3, 7.0, 0.5)
    assert load_config(make_project({"briefgen.yaml": "title: T\n"})).stories == StorySettings()


def test_story_settings_say_what_they_expect(make_project: Callable[..., Path]) -> None:
    yaml = "stories:\n  threshold: 2\n  window_day: 3\n  duplicate: 'x'\n  window_days: .inf\n"
    config, diagnostics = read_config(make_project({"briefgen.yaml": yaml}))
    assert config is None
    assert [str(d) for d in diagnostics] == [
        "briefgen.yaml:2: error: stories.threshold: expected a number between 0 and 1, got 2",
        "briefgen.yaml:3: error: stories.window_day: unknown key (did you mean `window_days`?)",
        "briefgen.yaml:4: error: stories.duplicate: expected a number between 0 and 1, got 'x'",
        "briefgen.yaml:5: error: stories.window_days: expected a positive number of days, got inf",
    ]


def test_a_key_given_twice_is_an_error(make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": "title: A\nlanguage: fr\ntitle: B\n"})
    config, diagnostics = read_config(project)
    assert config is None
    assert [str(d) for d in diagnostics] == [
        "briefgen.yaml:3: error: title: duplicate key (first given on line 1; "
        "expected each key once)"
    ]


@pytest.mark.parametrize("url", ["http://[::1/", "http://exa mple.com/", "https://x.org:port/"])
def test_malformed_base_urls_are_refused(url: str, make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": f'base_url: "{url}"\n'})
    config, diagnostics = read_config(project)
    assert config is None
    assert [str(d) for d in diagnostics] == [
        "briefgen.yaml:1: error: base_url: expected an http(s) URL such as "
        f"https://user.github.io/repo/, got {url!r}"
    ]
    with pytest.raises(BriefgenError):
        Config(root=project).with_base_url(url)


def test_find_project_walks_up_and_stops_outside(tmp_path: Path) -> None:
    (tmp_path / "p/content/2023").mkdir(parents=True)
    (tmp_path / "p/briefgen.yaml").write_text("title: T\n")
    assert find_project(tmp_path / "p/content/2023") == (tmp_path / "p").resolve()
    with pytest.raises(BriefgenError) as raised:
        find_project(tmp_path)
    assert str(raised.value).startswith(f"error: no briefgen.yaml in {tmp_path.resolve()} or any ")


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("fr", True),
        ("en-GB", True),
        ("zh-Hant-TW", True),
        ("sr-Latn-RS", True),
        ("es-419", True),
        ("de-CH-1996", True),
        ("en-US-x-twain", True),
        ("x-private", True),
        ("fr\n", False),  # `$` matched before the newline
        ("fr ", False),
        ("fr_FR", False),
        ("english", False),
        ("en--GB", False),
        ("en-", False),
        ("e", False),
        ("en-GB-", False),
    ],
)
def test_language_tags_are_bcp_47_whole(tag: str, valid: bool) -> None:
    assert bool(LANG_RE.match(tag)) is valid


@pytest.mark.parametrize(
    ("cname", "valid"),
    [
        ("briefing.example.org", True),
        ("xn--bcher-kva.example", True),
        ("a.b", True),
        ("briefing.example.org\n", False),
        ("briefing.example.org\nevil", False),
        ("localhost", False),
        ("-a.example.org", False),
        ("a-.example.org", False),
        ("a..example.org", False),
        ("example.org.", False),
        ("user.github.io/repo", False),
        ("example.org:443", False),
        ("a" * 64 + ".org", False),
        (".".join(["a" * 60] * 5), False),  # past 253 characters
    ],
)
def test_cname_is_a_host_name_whole(
    cname: str, valid: bool, make_project: Callable[..., Path]
) -> None:
    project = make_project({"briefgen.yaml": f"cname: {json.dumps(cname)}\n"})
    config, diagnostics = read_config(project)
    assert (config is not None and config.cname == cname) is valid
    if not valid:
        assert [d.field for d in diagnostics] == ["cname"]
