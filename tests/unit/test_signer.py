"""Page signatures: equal contexts sign alike, and any difference moves the signature.

An entry signs by its file on a page that reads its body, by what a list shows of it elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.deps import Signer, Templates
from briefgen.model import Entry
from briefgen.render import theme_environment


@dataclass(frozen=True)
class Head:
    title: str
    count: int
    outlets: tuple[str, ...]


@dataclass
class Loose:
    note: str


SETTINGS = b"settings"
TEMPLATES = Templates(theme_environment(Config(root=Path("."))))

scalars = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 5),
    st.booleans(),
    st.dates(date(2023, 1, 1), date(2023, 1, 5)),
)
heads = st.builds(Head, st.text(max_size=4), st.integers(0, 3), st.tuples(st.text(max_size=3)))
values = st.recursive(
    st.one_of(scalars, heads, st.builds(Loose, st.text(max_size=4))),
    lambda inner: st.tuples(inner, inner) | st.lists(inner, max_size=3),
    max_leaves=8,
)


def sign(value: object, signer: Signer | None = None) -> bytes:
    signer = signer or Signer({}, SETTINGS, TEMPLATES)
    return signer.page("articles/a/", "article.html", {"value": value})


def normal(value: object) -> object:
    """What a template can tell apart: a list and a tuple alike, True and 1 not."""
    if isinstance(value, list | tuple):
        return ("seq", tuple(normal(item) for item in value))
    if isinstance(value, Head | Loose):
        return (type(value).__name__, normal(tuple(vars(value).values())))
    return (type(value).__name__, value)


@settings(max_examples=300)
@given(values, values)
def test_two_contexts_sign_alike_exactly_when_a_template_cannot_tell_them_apart(
    first: object, second: object
) -> None:
    assert (sign(first) == sign(second)) == (normal(first) == normal(second))


def test_texts_cannot_pass_for_one_another() -> None:
    assert sign(("ab", "")) != sign(("a", "b"))
    assert sign("1") != sign(1) and sign("None") != sign(None)
    assert sign((1, "a")) == sign([1, "a"])  # a template iterates both alike


def test_a_frozen_object_signed_once_signs_as_a_copy_would() -> None:
    shared = Head("Summit", 3, ("AFP", "Reuters"))
    signer = Signer({}, SETTINGS, TEMPLATES)
    first = sign((shared, 1), signer)
    assert sign((shared, 1), signer) == first  # from the signer's memory
    assert sign((Head("Summit", 3, ("AFP", "Reuters")), 1)) == first
    assert sign((Head("Summit", 4, ("AFP", "Reuters")), 1), signer) != first


def whole(templates: dict[str, str], name: str = "page.html") -> frozenset[str] | None:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    return Templates(env).whole(name)


CARD = "{% macro card(entry) %}<li>{{ entry.title }} {{ summary(entry) }}</li>{% endmacro %}"


@pytest.mark.parametrize(
    ("templates", "expected"),
    [
        # the page's own entry: only its body is read
        (
            {"page.html": "{{ body(entry).html }}{% for e in others %}{{ e.title }}{% endfor %}"},
            {"entry"},
        ),
        # through the template it extends, with cards drawn by an imported macro
        (
            {
                "page.html": "{% extends 'base.html' %}{% from 'm.html' import card %}"
                "{% block main %}{{ card(entry) }}{% endblock %}",
                "base.html": "<main>{% block main %}{% endblock %}{{ body(entry).html }}</main>",
                "m.html": CARD,
            },
            {"entry"},
        ),
        # lists only
        (
            {
                "page.html": "{% from 'm.html' import card %}{% for e in entries %}{{ card(e) }}"
                "{% endfor %}",
                "m.html": CARD,
            },
            set(),
        ),
    ],
)
def test_a_page_reads_the_bodies_of_the_names_it_calls_body_on(
    templates: dict[str, str], expected: set[str]
) -> None:
    assert whole(templates) == expected


@pytest.mark.parametrize(
    "templates",
    [
        {"page.html": "{% for entry in entries %}{{ body(entry).html }}{% endfor %}"},
        {"page.html": "{% macro show(entry) %}{{ body(entry).html }}{% endmacro %}{{ show(e) }}"},
        {"page.html": "{% set entry = entries[0] %}{{ body(entry).html }}"},
        {"page.html": "{% with entry = entries[0] %}{{ body(entry).html }}{% endwith %}"},
        {"page.html": "{{ body(entries[0]).html }}"},
        {"page.html": "{% set read = body %}{{ read(entry).html }}"},
        {"page.html": "{% set body = summary %}{{ body(entry) }}"},
        # a body read in an imported macro or an included template: whose, is not known
        {
            "page.html": "{% import 'm.html' as m %}{{ m.show(entry) }}",
            "m.html": "{% macro show(entry) %}{{ body(entry).html }}{% endmacro %}",
        },
        {"page.html": "{% include 'part.html' %}", "part.html": "{{ body(entry).html }}"},
        # a template named at render time may read anything
        {"page.html": "{{ body(entry).html }}{% include name %}"},
        # the parent loops around the block that the page fills: `entry` is the loop's
        {
            "page.html": "{% extends 'base.html' %}{% block item %}{{ body(entry).html }}"
            "{% endblock %}",
            "base.html": "{% for entry in entries %}{% block item scoped %}{% endblock %}"
            "{% endfor %}",
        },
    ],
)
def test_a_page_that_may_read_any_body_signs_every_entry_whole(templates: dict[str, str]) -> None:
    assert whole(templates) is None


def entry_of(path: str, title: str = "Title", summary: str = "") -> Entry:
    when = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    return Entry(
        path,
        path,
        title,
        when,
        True,
        when.date(),
        "AFP",
        "https://example.org/a",
        (),
        "fr",
        (),
        (),
        summary,
        "",
        False,
        "Body.",
    )


def test_a_listed_entry_signs_by_what_a_list_shows_and_a_shown_one_by_its_file() -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "list.html": "{% for e in entries %}{{ e.title }} {{ summary(e) }}{% endfor %}",
                "article.html": "{{ body(entry).html }}"
                "{% for e in entries %}{{ e.title }}{% endfor %}",
            }
        )
    )
    templates = Templates(env)
    first, other = entry_of("a.md"), entry_of("b.md")

    def sign(template: str, digest: bytes, shown: Entry, summary: str = "Lead.") -> bytes:
        signer = Signer({"a.md": digest, "b.md": b"b"}, SETTINGS, templates, lambda e: summary)
        return signer.page("p/", template, {"entry": shown, "entries": (shown, other)})

    # the file changed (its body), not what a list shows: the list keeps its signature
    assert sign("list.html", b"1", first) == sign("list.html", b"2", first)
    # ... unless its first paragraph, which lists show, changed too
    assert sign("list.html", b"1", first) != sign("list.html", b"2", first, "Another lead.")
    assert sign("list.html", b"1", first) != sign("list.html", b"2", entry_of("a.md", "Retitled"))
    # the page that shows its body follows the file; `entry` alone is signed whole there
    assert sign("article.html", b"1", first) != sign("article.html", b"2", first)
    assert sign("article.html", b"1", other) == sign("article.html", b"2", other)


def test_the_cards_of_the_last_build_are_reused_while_their_file_and_settings_stay() -> None:
    templates = Templates(jinja2.Environment(loader=jinja2.DictLoader({"l.html": ""})))
    asked: list[str] = []

    def summaries(entry: Entry) -> str:
        asked.append(entry.path)
        return "Lead."

    listed = {"entries": (entry_of("a.md"),)}
    signer = Signer({"a.md": b"1"}, SETTINGS, templates, summaries)
    signature = signer.page("p/", "l.html", listed)
    again = Signer({"a.md": b"1"}, SETTINGS, templates, summaries, signer.cards)
    assert again.page("p/", "l.html", listed) == signature and asked == ["a.md"]
    moved = Signer({"a.md": b"2"}, SETTINGS, templates, summaries, signer.cards)
    moved.page("p/", "l.html", listed)
    assert asked == ["a.md", "a.md"]
