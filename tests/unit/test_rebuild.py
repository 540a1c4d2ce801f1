"""Rebuilds with a cache: only what a change touches is rendered and written.

`build()` is the one pipeline; these tests give it an in-memory cache, as the
live preview does, and compare what it writes with a build from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from briefgen.build import MARKER, BuildResult, build
from briefgen.cache import Cache
from briefgen.config import load_config, read_config
from briefgen.diagnostics import BriefgenError, Diagnostic

REPO = Path(__file__).resolve().parents[2]


def entry(
    title: str,
    when: str,
    topics: str,
    tags: str = "[]",
    story: str = "",
    source: str = "Le Monde",
    body: str = "Body.",
) -> str:
    return (
        f'---\ntitle: "{title}"\ndate: {when}\nsource:\n  name: {source}\n'
        f"  url: https://example.org/{title.lower().replace(' ', '-')}\n"
        f"topics: {topics}\ntags: {tags}\n"
        + (f"story: {story}\n" if story else "")
        + f'summary: "About {title}."\n---\n{body}\n'
    )


FILES = {
    "briefgen.yaml": 'title: "Desk"\nbase_url: "https://user.github.io/repo/"\n',
    "content/2023/09/14-alpha.md": entry(
        "Alpha", "2023-09-14T10:00:00+02:00", "[Défense]", "[Kim]", "summit"
    ),
    "content/2023/09/14-beta.md": entry(
        "Beta", "2023-09-14T12:00:00+02:00", "[Diplomatie]", "[Poutine]", "summit", "Reuters"
    ),
    "content/2023/09/13-gamma.md": entry("Gamma", "2023-09-13", "[Économie]", "[Kim]"),
    "content/2023/09/12-delta.md": entry("Delta", "2023-09-12", "[Diplomatie]"),
    "content/2023/08/30-epsilon.md": entry("Epsilon", "2023-08-30", "[Espace]", "[Vostochny]"),
    "content/2023/08/29-zeta.md": entry("Zeta", "2023-08-29", "[Espace]", source="AFP"),
    "content/2022/12/01-eta.md": entry("Eta", "2022-12-01", "[Histoire]", source="AFP"),
    "content/2022/11/01-theta.md": entry("Theta", "2022-11-01", "[Histoire]", "[Kim]"),
}
GAMMA = "content/2023/09/13-gamma.md"


@pytest.fixture
def project(make_project: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_project(dict(FILES))


@dataclass
class Built:
    """One build with a cache, as the preview makes it: a result, or the errors that stopped it."""

    project: Path
    out: Path
    cache: Cache
    result: BuildResult | None = None
    errors: list[Diagnostic] = field(default_factory=list)
    drafts: bool = False

    @property
    def written(self) -> tuple[str, ...]:
        return self.result.written if self.result else ()

    @property
    def removed(self) -> tuple[str, ...]:
        return self.result.removed if self.result else ()

    @property
    def rendered(self) -> int:
        return self.result.rendered if self.result else 0

    @property
    def kind(self) -> str:
        return self.result.kind if self.result else "failed"

    def again(self) -> Built:
        """Build again with the same cache, reading the configuration again."""
        config, problems = read_config(self.project)
        if config is None or any(d.is_error for d in problems):
            return replace(self, result=None, errors=[d for d in problems if d.is_error])
        try:
            result = build(config, out=self.out, cache=self.cache, drafts=self.drafts)
        except BriefgenError as exc:
            return replace(self, result=None, errors=[d for d in exc.diagnostics if d.is_error])
        return replace(self, result=result, errors=[])


def start(project: Path, out: Path, drafts: bool = False) -> Built:
    return Built(project, out, Cache(), drafts=drafts).again()


@pytest.fixture
def first(project: Path, tmp_path: Path) -> Built:
    outcome = start(project, tmp_path / "out")
    assert outcome.errors == []
    return outcome


def outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def change(project: Path, name: str, old: str, new: str) -> Path:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def assert_same_as_a_full_build(project: Path, out: Path, tmp_path: Path) -> None:
    build(load_config(project), out=tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")


def test_the_first_build_writes_what_build_writes(
    project: Path, first: Built, tmp_path: Path
) -> None:
    assert first.kind == "reload"
    assert sorted(first.written) == sorted(outputs(first.out))
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_nothing_changed_renders_and_writes_nothing(first: Built) -> None:
    again = first.again()
    assert (again.kind, again.written, again.removed, again.rendered) == ("none", (), (), 0)


def test_an_edited_body_rewrites_its_page_and_the_feeds_only(
    project: Path, first: Built, tmp_path: Path
) -> None:
    change(project, GAMMA, "Body.", "A new paragraph.")
    after = first.again()
    assert after.kind == "reload"
    assert {path for path in after.written if not path.startswith("pagefind/")} == {
        "articles/gamma/index.html",
        "feed.xml",
        "topics/economie/feed.xml",
        "tags/kim/feed.xml",
    }
    assert "pagefind/all/pagefind-entry.json" in after.written  # the search index follows
    assert "A new paragraph." in (first.out / "articles/gamma/index.html").read_text()
    assert after.rendered < len(first.written) / 2
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_an_edited_title_rewrites_its_page_and_the_lists_that_show_it(
    project: Path, first: Built, tmp_path: Path
) -> None:
    change(project, GAMMA, 'title: "Gamma"', 'title: "Gamma renamed"')
    after = first.again()
    written = set(after.written)
    assert {
        "articles/gamma/index.html",
        "index.html",
        "topics/economie/index.html",
        "tags/kim/index.html",
        "sources/le-monde/index.html",
        "dates/2023/09/13/index.html",
        "dates/2023/09/index.html",
        "feed.xml",
    } <= written
    # its neighbours in time show its title; the pages that do not show it are left alone
    assert {"articles/delta/index.html"} <= written
    assert not written & {
        "articles/zeta/index.html",
        "articles/eta/index.html",
        "topics/histoire/index.html",
        "dates/2022/11/01/index.html",
        "assets/style.css",
    }
    assert len(written) < len(first.written) / 2
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_an_entry_in_a_story_rewrites_the_rest_of_its_coverage(project: Path, first: Built) -> None:
    change(project, "content/2023/09/14-alpha.md", 'title: "Alpha"', 'title: "Alpha 2"')
    after = first.again()
    assert {"articles/alpha/index.html", "articles/beta/index.html"} <= set(after.written)
    assert "articles/epsilon/index.html" not in after.written  # neither its story nor near it


def test_a_template_change_renders_exactly_the_pages_that_use_it(
    project: Path, first: Built, tmp_path: Path
) -> None:
    theme = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    target = project / "templates" / "base.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(theme.replace("<body>", "<body><p>edited</p>", 1), encoding="utf-8")
    after = first.again()
    pages = [p for p in first.written if p.endswith(".html")]
    assert MARKER in first.written
    # every HTML page extends base.html; the feeds, the sitemap and robots.txt do not
    assert after.rendered == len(pages)
    assert sorted(p for p in after.written) == sorted(pages)
    for page in pages:
        assert "<p>edited</p>" in (first.out / page).read_text(encoding="utf-8")
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_removed_entry_deletes_its_page(project: Path, first: Built, tmp_path: Path) -> None:
    path = project / "content/2022/11/01-theta.md"
    path.unlink()
    after = first.again()
    out = first.out
    assert "articles/theta/index.html" in after.removed
    assert "dates/2022/11/01/index.html" in after.removed
    assert not (out / "articles" / "theta").exists()
    assert "index.html" in after.written
    assert_same_as_a_full_build(project, out, tmp_path)


def test_an_added_entry_writes_its_page(project: Path, first: Built, tmp_path: Path) -> None:
    path = project / "content/2023/09/15-iota.md"
    path.write_text(entry("Iota", "2023-09-15", "[Nouveau]"), encoding="utf-8")
    after = first.again()
    assert {
        "articles/iota/index.html",
        "topics/nouveau/index.html",
        "dates/2023/09/15/index.html",
        "dates/2023/09/14/index.html",
    } <= set(after.written)
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_broken_entry_writes_nothing_and_its_fix_brings_everything_back(
    project: Path, first: Built, tmp_path: Path
) -> None:
    before = outputs(first.out)
    change(project, GAMMA, "Body.", "Edited while broken.")
    change(project, GAMMA, "date: 2023-09-13", "date: 13/09/2023")
    failed = first.again()
    assert failed.kind == "failed"
    assert [str(d) for d in failed.errors] == [
        f"{GAMMA}:3: error: date: expected YYYY-MM-DD or an ISO 8601 date-time, got '13/09/2023'"
    ]
    assert outputs(first.out) == before
    change(project, GAMMA, "date: 13/09/2023", "date: 2023-09-13")
    after = failed.again()
    assert after.kind == "reload"
    assert "articles/gamma/index.html" in after.written
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_template_error_is_reported_and_fixing_it_renders_again(
    project: Path, first: Built, tmp_path: Path
) -> None:
    target = project / "templates" / "robots.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("{{ nothing_here }}\n", encoding="utf-8")
    failed = first.again()
    assert failed.kind == "failed"
    assert failed.errors[0].path == "templates/robots.txt"
    assert failed.errors[0].line == 1
    target.unlink()
    after = failed.again()
    assert after.errors == []
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_stylesheet_change_copies_only_it(project: Path, first: Built) -> None:
    css = project / "templates" / "assets" / "style.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text("body { color: red }\n", encoding="utf-8")
    after = first.again()
    assert (after.kind, after.written, after.removed) == ("css", ("assets/style.css",), ())
    assert after.rendered == 0


def test_a_static_file_change_copies_it_and_asks_for_a_reload(project: Path, first: Built) -> None:
    image = project / "static" / "img" / "map.svg"
    image.parent.mkdir(parents=True)
    image.write_text("<svg/>", encoding="utf-8")
    after = first.again()
    assert (after.kind, after.written) == ("reload", ("img/map.svg",))
    image.unlink()
    gone = after.again()
    assert gone.removed == ("img/map.svg",)
    assert not (first.out / "img").exists()


def test_a_config_change_rebuilds_everything_and_a_broken_config_waits(
    project: Path, first: Built, tmp_path: Path
) -> None:
    config = project / "briefgen.yaml"
    config.write_text('title: "Desk"\ntimezon: UTC\n', encoding="utf-8")
    failed = first.again()
    assert failed.kind == "failed"
    assert "timezon" in str(failed.errors[0]) and failed.errors[0].line == 2
    config.write_text(
        'title: "Renamed desk"\nbase_url: "https://user.github.io/repo/"\n', encoding="utf-8"
    )
    after = failed.again()
    assert after.kind == "reload"
    assert "Renamed desk" in (first.out / "index.html").read_text(encoding="utf-8")
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_drafts_are_left_out_unless_asked(project: Path, tmp_path: Path) -> None:
    change(project, GAMMA, "topics:", "draft: true\ntopics:")
    without = start(project, tmp_path / "a")
    with_drafts = start(project, tmp_path / "b", drafts=True)
    assert "articles/gamma/index.html" not in without.written
    assert "articles/gamma/index.html" in with_drafts.written


def test_a_build_that_reads_what_the_last_one_read_is_that_build_again(
    project: Path, tmp_path: Path
) -> None:
    (project / "content" / "stories").mkdir()
    note = project / "content" / "stories" / "nowhere.md"
    note.write_text('---\ntitle: "Nowhere"\n---\nNo story has this slug.\n', encoding="utf-8")
    first = start(project, tmp_path / "out")
    assert first.result is not None and first.result.pages > 0
    warned = [str(d) for d in first.result.warnings]
    assert any("nowhere.md" in line for line in warned)
    again = first.again()
    assert again.result is not None and again.rendered == 0 and again.written == ()
    # the same figures and the same warnings, though no stage after reading ran
    assert (again.result.entries, again.result.pages, again.result.files) == (
        first.result.entries,
        first.result.pages,
        first.result.files,
    )
    assert [str(d) for d in again.result.warnings] == warned
    # an editor's page of a story is an input too
    summit = project / "content" / "stories" / "summit.md"
    summit.write_text('---\ntitle: "The summit, by the desk"\n---\nOur note.\n', encoding="utf-8")
    noted = first.again()
    assert "stories/summit/index.html" in noted.written
    assert "The summit, by the desk" in (tmp_path / "out/stories/summit/index.html").read_text()
    # a file of the output removed by hand is written again
    (tmp_path / "out" / "topics" / "index.html").unlink()
    fixed = first.again()
    assert fixed.written == ("topics/index.html",)
    assert_same_as_a_full_build(project, tmp_path / "out", tmp_path)


def test_strict_fails_a_build_that_is_the_last_one_again(project: Path, tmp_path: Path) -> None:
    (project / "content" / "stories").mkdir()
    (project / "content" / "stories" / "nowhere.md").write_text(
        '---\ntitle: "Nowhere"\n---\nNo story.\n', encoding="utf-8"
    )
    first = start(project, tmp_path / "out")
    assert first.errors == []
    config = load_config(project)
    with pytest.raises(BriefgenError) as failure:
        build(config, out=tmp_path / "out", cache=first.cache, strict=True)
    assert any("nowhere.md" in str(d) for d in failure.value.diagnostics)


def test_an_edited_body_renders_only_the_pages_that_show_bodies(
    project: Path, first: Built
) -> None:
    change(project, GAMMA, "Body.", "A new paragraph.")
    after = first.again()
    # its page and the three feeds: the lists show its title and summary, which stayed
    assert after.rendered == 4


def test_a_first_paragraph_that_stands_for_the_summary_renders_the_lists_again(
    project: Path, first: Built, tmp_path: Path
) -> None:
    change(project, GAMMA, 'summary: "About Gamma."\n', "")
    change(project, GAMMA, "Body.", "First paragraph.\n\nSecond paragraph.")
    listed = first.again()
    assert "First paragraph." in (first.out / "dates/2023/09/13/index.html").read_text()
    change(project, GAMMA, "Second paragraph.", "Second paragraph, longer.")
    later = listed.again()
    assert later.rendered == 4  # the lists show the first paragraph only
    change(project, GAMMA, "First paragraph.", "First paragraph, rewritten.")
    again = later.again()
    assert {"dates/2023/09/13/index.html", "topics/economie/index.html"} <= set(again.written)
    assert "First paragraph, rewritten." in (first.out / "dates/2023/09/13/index.html").read_text()
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_list_whose_template_shows_bodies_follows_them(
    project: Path, first: Built, tmp_path: Path
) -> None:
    day = (REPO / "templates" / "day.html").read_text(encoding="utf-8")
    assert "{% for entry in day.entries %}" in day
    shown = day.replace(
        "{% for entry in day.entries %}",
        "{% for entry in day.entries %}<div class=full>{{ body(entry).html }}</div>",
    )
    target = project / "templates" / "day.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(shown, encoding="utf-8")
    with_bodies = first.again()
    change(project, GAMMA, "Body.", "A new paragraph.")
    after = with_bodies.again()
    assert "dates/2023/09/13/index.html" in after.written
    assert "A new paragraph." in (first.out / "dates/2023/09/13/index.html").read_text()
    assert_same_as_a_full_build(project, first.out, tmp_path)


def test_a_template_that_reads_the_markdown_of_an_entry_is_told_to_ask_for_its_body(
    project: Path, first: Built
) -> None:
    target = project / "templates" / "day.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("{% for entry in day.entries %}{{ entry.body }}{% endfor %}\n", "utf-8")
    failed = first.again()
    assert [(d.path, d.line) for d in failed.errors][:1] == [("templates/day.html", 1)]
    assert "an entry's body is shown with body(entry).html (its HTML) or summary(entry)" in (
        failed.errors[0].message
    )
