from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from briefgen import i18n


@pytest.mark.parametrize(
    ("lang", "long", "full", "month"),
    [
        ("fr", "14 septembre 2023", "jeudi 14 septembre 2023", "septembre 2023"),
        ("en", "September 14, 2023", "Thursday, September 14, 2023", "September 2023"),
        ("en-GB", "14 September 2023", "Thursday, 14 September 2023", "September 2023"),
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


def test_ui_strings_exist_in_both_languages_with_the_same_keys() -> None:
    assert set(i18n.STRINGS["fr"]) == set(i18n.STRINGS["en"])
    assert i18n.strings("fr-CA")["topics"] == "Thèmes"
    assert i18n.strings("de")["topics"] == "Topics"


@pytest.mark.parametrize(
    ("lang", "count", "word"),
    [("fr", 0, "one"), ("fr", 1, "one"), ("fr", 2, "many"), ("en", 0, "many"), ("en", 1, "one")],
)
def test_plurals(lang: str, count: int, word: str) -> None:
    assert i18n.plural(lang, count, "one", "many") == word
