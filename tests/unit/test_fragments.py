"""`{% cache %}`: a fragment rendered once per key and build, the same bytes as without it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from briefgen.build import build
from briefgen.cache import Cache
from briefgen.config import load_config
from briefgen.fragments import FragmentCache, forget


def environment(templates: dict[str, str]) -> tuple[jinja2.Environment, list[str]]:
    made: list[str] = []

    def draw(name: str) -> str:
        made.append(name)
        return f"<{name}>"

    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates), autoescape=True, extensions=[FragmentCache]
    )
    env.globals["draw"] = draw
    return env, made


def test_a_fragment_is_drawn_once_per_key_until_forgotten() -> None:
    card = "{% cache 'card', x %}[{{ draw(x) }}]{% endcache %}"
    env, made = environment({"page": "{% for x in items %}" + card + "{% endfor %}"})
    page = env.get_template("page")
    assert page.render(items=["a", "b", "a", "a"]) == "[&lt;a&gt;][&lt;b&gt;]" + "[&lt;a&gt;]" * 2
    assert made == ["a", "b"]
    assert page.render(items=["b"]) == "[&lt;b&gt;]"  # the same build: reused, escaped once
    assert made == ["a", "b"]
    forget(env)  # the next build
    page.render(items=["b"])
    assert made == ["a", "b", "b"]


def test_a_macro_with_a_cached_body_gives_the_bytes_of_the_macro_without_it() -> None:
    body = '<li class="{{ cls }}">{{ draw(entry) }}{% set x = 1 %}{{ x }}</li>\n'
    plain = "{% macro item(entry, cls='a') %}" + body + "{% endmacro %}"
    cached = (
        "{% macro item(entry, cls='a') %}\n{% cache 'item', entry, cls %}\n"
        + body
        + "{% endcache %}\n{% endmacro %}"
    )
    page = "{% from 'm' import item %}{% for e in es %}{{ item(e) }}{{ item(e, 'b') }}{% endfor %}"
    for macros in (plain, cached):
        env, _made = environment({"m": macros, "page": page})
        env.trim_blocks = env.lstrip_blocks = True
        rendered = env.get_template("page").render(es=["x&y", "z", "x&y"])
        assert rendered == (
            '<li class="a">&lt;x&amp;y&gt;1</li>\n<li class="b">&lt;x&amp;y&gt;1</li>\n'
            '<li class="a">&lt;z&gt;1</li>\n<li class="b">&lt;z&gt;1</li>\n'
            '<li class="a">&lt;x&amp;y&gt;1</li>\n<li class="b">&lt;x&amp;y&gt;1</li>\n'
        )


def test_a_cache_tag_without_a_key_is_a_syntax_error_saying_so() -> None:
    env, _made = environment({"page": "line one\n{% cache %}x{% endcache %}"})
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        env.get_template("page")
    assert raised.value.message == "the cache tag needs a key: {% cache 'card', entry.path %}"
    assert raised.value.lineno == 2


def test_a_key_that_cannot_be_hashed_draws_the_fragment_each_time() -> None:
    env, made = environment(
        {"page": "{% for x in items %}{% cache [x] %}{{ draw(x) }}{% endcache %}{% endfor %}"}
    )
    assert env.get_template("page").render(items=["a", "a"]) == "&lt;a&gt;&lt;a&gt;"
    assert made == ["a", "a"]


def test_a_rebuild_in_the_same_process_shows_the_edited_card_everywhere(
    make_project: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    def entry(title: str) -> str:
        return (
            f"---\ntitle: {title}\ndate: 2023-09-14\n"
            "source: {name: AFP, url: 'https://afp.example/a'}\ntopics: [Espace]\n---\nBody.\n"
        )

    root = make_project(
        {"briefgen.yaml": "title: Desk\nlanguage: fr\n", "content/a.md": entry("Alpha")}
    )
    out, cache = tmp_path / "site", Cache()  # the preview's way: one cache, one environment
    build(load_config(root), out=out, cache=cache)
    cards = ["index.html", "topics/espace/index.html", "sources/afp/index.html"]
    for page in cards:
        assert "Alpha" in (out / page).read_text(encoding="utf-8")
    (root / "content/a.md").write_text(entry("Omega"), encoding="utf-8")
    build(load_config(root), out=out, cache=cache)
    for page in cards:
        shown = (out / page).read_text(encoding="utf-8")
        assert "Omega" in shown and "Alpha" not in shown, page
