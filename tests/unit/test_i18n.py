"""The UI catalogs and dates written in a language."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from briefgen import i18n

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "en", "es", "fr")
# the keywords of the documented extraction command (`-k translate:2`, see babel.cfg)
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": (2,)}
PLACEHOLDER = re.compile(r"%\(\w+\)[ds]")


def extracted() -> set[str]:
    """Every msgid that Babel extracts from the theme and the code, as babel.cfg says."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for *_, message, _, _ in found}


def catalog(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def msgids(items: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in items if m.id}


def test_every_template_and_code_string_is_in_the_catalog_template() -> None:
    found = extracted()
    assert "Published on %(date)s" in found  # from translate(entry_lang, …) in article.html
    assert "%(num)d\u00a0article" in found  # from ngettext in _macros.html
    assert "Uncategorised" in found  # from the code
    assert msgids(catalog(i18n.LOCALES / "messages.pot")) == found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_string_is_missing_in_a_catalog(lang: str) -> None:
    items = catalog(i18n.catalog_path(lang))
    assert msgids(items) == extracted()
    assert items.num_plurals == get_plural(lang).num_plurals
    for message in items:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: {message.id!r} is not translated"
        assert "fuzzy" not in message.flags, f"{lang}: {message.id!r} is fuzzy"
        source = message.id if isinstance(message.id, str) else message.id[1]
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                f"{lang}: {message.id!r} -> {text!r} changes the placeholders"
            )


def test_the_catalogs_are_the_languages_with_a_folder() -> None:
    assert i18n.available() == LANGUAGES


@pytest.mark.parametrize(
    ("tag", "code", "topics"),
    [("fr", "fr", "Thèmes"), ("fr-CA", "fr", "Thèmes"), ("de-AT", "de", "Themen"),
     ("es", "es", "Temas"), ("en-GB", "en", "Topics"), ("it", "en", "Topics")],
)  # fmt: skip
def test_a_tag_finds_its_catalog_or_falls_back_to_english(tag: str, code: str, topics: str) -> None:
    assert i18n.ui_language(tag) == code
    assert i18n.translations(tag).gettext("Topics") == topics


def test_a_language_without_catalog_says_so_once() -> None:
    assert i18n.missing_catalog("fr", "briefgen.yaml") is None
    warning = i18n.missing_catalog("it", "briefgen.yaml")
    assert str(warning) == (
        "briefgen.yaml: warning: language: no UI catalog for 'it' "
        "(catalogs: de, en, es, fr); the theme's words are in English"
    )


@pytest.mark.parametrize(
    ("lang", "name"),
    [("fr", "Non classé"), ("en", "Uncategorised"), ("de", "Ohne Thema"), ("es", "Sin clasificar")],
)
def test_the_uncategorised_topic_is_named_in_the_site_language(lang: str, name: str) -> None:
    assert i18n.uncategorised(lang) == name


@pytest.mark.parametrize(
    ("lang", "count", "text"),
    [("fr", 0, "0\u00a0article"), ("fr", 1, "1\u00a0article"), ("fr", 2, "2\u00a0articles"),
     ("en", 0, "0\u00a0articles"), ("en", 1, "1\u00a0article"), ("de", 2, "2\u00a0Artikel"),
     ("es", 1, "1\u00a0artículo"), ("es", 3, "3\u00a0artículos"),
     ("fr", 1_000_000, "1000000\u00a0d’articles")],
)  # fmt: skip
def test_plurals_follow_babel_rules(lang: str, count: int, text: str) -> None:
    plural = i18n.translations(lang).ngettext(
        "%(num)d\u00a0article", "%(num)d\u00a0articles", count
    )
    assert plural % {"num": count} == text


@given(st.sampled_from(LANGUAGES), st.integers(min_value=0, max_value=10**9))
def test_every_count_has_a_form_that_shows_the_number(lang: str, count: int) -> None:
    plural = i18n.translations(lang).ngettext("%(num)d\u00a0outlet", "%(num)d\u00a0outlets", count)
    assert (plural % {"num": count}).startswith(f"{count}\u00a0")


@pytest.mark.parametrize(
    ("lang", "long", "full", "month"),
    [
        ("fr", "14 septembre 2023", "jeudi 14 septembre 2023", "septembre 2023"),
        ("en", "September 14, 2023", "Thursday, September 14, 2023", "September 2023"),
        ("en-GB", "14 September 2023", "Thursday, 14 September 2023", "September 2023"),
        ("de", "14. September 2023", "Donnerstag, 14. September 2023", "September 2023"),
        ("xx", "September 14, 2023", "Thursday, September 14, 2023", "September 2023"),
    ],
)
def test_dates_are_written_in_the_language(lang: str, long: str, full: str, month: str) -> None:
    day = date(2023, 9, 14)
    assert i18n.long_date(day, lang) == long
    assert i18n.full_date(day, lang) == full
    assert i18n.month_name(day, lang) == month


def test_times_keep_the_entry_offset() -> None:
    moment = datetime(2023, 9, 14, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert i18n.short_time(moment, "fr") == "23:30"
    assert i18n.short_time(moment, "en") == "11:30\u202fPM"
