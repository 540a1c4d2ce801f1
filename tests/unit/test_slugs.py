from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import urls
from briefgen.slugs import HASH_LENGTH, MAX_LENGTH, group_slug, is_reserved, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Coopération militaire", "cooperation-militaire"),
        ("La Russie et la Corée du Nord", "la-russie-et-la-coree-du-nord"),
        (
            "Kim s’aligne sur la « guerre sainte » de Poutine",
            "kim-s-aligne-sur-la-guerre-sainte-de-poutine",
        ),
        ("Défense", "defense"),
        ("Non classé", "non-classe"),
        ("Asie-Pacifique", "asie-pacifique"),
        ("États-Unis", "etats-unis"),
        ("«»…", ""),
    ],
)
def test_slugs_are_ascii_and_readable(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("mot " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith("mot")


@pytest.mark.parametrize(
    ("names", "slugs"),
    [
        # case, accents, spaces and punctuation between words: one group
        (["Défense", "defense", "DÉFENSE"], ["defense"]),
        (["Le Monde.fr", "Le Monde fr", "le-monde-fr"], ["le-monde-fr"]),
        # symbols and meaningful punctuation: as many groups as names
        (["C++", "C#", "C"], ["c", "c--951a4d", "c--cedb1b"]),
        (["C++", "c++", "C ++"], ["c--cedb1b"]),
        (["AT&T", "AT T"], ["at-t", "at-t--b55e10"]),
        # nothing readable: the kind, and a hash each
        (["🔥", "🚀", "Topic"], ["topic", "topic--ebbc0b", "topic--ed8d83"]),
        # names Windows reserves for devices
        (
            ["Con", "NUL", "com1", "lpt9"],
            ["com1--957a49", "con--1143da", "lpt9--06f4d3", "nul--99e624"],
        ),
    ],
)
def test_group_slugs_merge_only_names_that_differ_in_case_accents_or_spacing(
    names: list[str], slugs: list[str]
) -> None:
    assert sorted({group_slug(name, "topic") for name in names}) == slugs


@pytest.mark.parametrize(
    "name", ["con", "CON", "nul.txt", "Aux.tar.gz", "prn", "com0", "com9", "LPT1.md"]
)
def test_windows_reserved_names_are_recognised_with_any_extension(name: str) -> None:
    assert is_reserved(name)


@pytest.mark.parametrize("name", ["console", "null", "com10", "lpt", "auxiliary", "con-x"])
def test_other_names_are_not_reserved(name: str) -> None:
    assert not is_reserved(name)


def _identity(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_a_group_slug_is_a_portable_folder_name(name: str) -> None:
    slug = group_slug(name, "topic")
    assert re.fullmatch(r"[a-z0-9]+(?:--?[a-z0-9]+)*", slug), slug
    assert not is_reserved(slug) and len(slug) <= MAX_LENGTH + 2 + HASH_LENGTH
    route = urls.output_file(urls.group_route("topic", slug))
    root = Path("/srv/site")
    assert (root / route).resolve().is_relative_to(root)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_distinct_names_share_a_slug_only_when_they_read_alike(first: str, second: str) -> None:
    slug = group_slug(first, "topic")
    if slug == group_slug(second, "topic"):
        # either both are plain names with the same readable slug, or they are one name
        # up to case, accents and spaces
        assert "--" not in slug or _identity(first) == _identity(second)
        assert slugify(first) == slugify(second)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["C", "c", "C++", "C#", "🔥", "Défense", "defense", "AT&T"]).flatmap(
        lambda first: st.tuples(st.just(first), st.text(alphabet="+#&🔥🚀 ", max_size=3))
    )
)
def test_a_symbol_added_to_a_name_makes_another_group(pair: tuple[str, str]) -> None:
    name, extra = pair
    if _identity(extra):  # something other than spaces was added
        assert group_slug(name + extra, "topic") != group_slug(name, "topic")
