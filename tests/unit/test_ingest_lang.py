"""Language tags declared by pages and feeds, as BCP 47."""

from __future__ import annotations

import pytest

from briefgen.config import LANG_RE
from briefgen.ingest.lang import Choice, Declared, choose_language, detect_language, normalize_tag


@pytest.mark.parametrize(
    ("declared", "tag"),
    [
        ("en_US", "en-US"),
        ("fr_FR", "fr-FR"),
        ("en-us", "en-US"),
        ("EN", "en"),
        (" fr ", "fr"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ("es_419", "es-419"),
        ("fr-FR", "fr-FR"),
        # not a language tag even once normalized: dropped, detection decides
        ("english", ""),
        ("fr_", ""),
        ("", ""),
        ("e", ""),
        ("fr FR", ""),
    ],
)
def test_declared_tag_becomes_bcp47_or_nothing(declared: str, tag: str) -> None:
    assert normalize_tag(declared) == tag
    assert tag == "" or LANG_RE.match(tag)


GERMAN = (
    "Die Bundesregierung hat am Mittwoch neue Regeln für den Zugang zu Bahnhöfen beschlossen. "
    "Die Züge sollen künftig pünktlicher fahren, sagte der Minister in Berlin."
)
SPANISH = (
    "El Gobierno aprobó el miércoles nuevas normas para el acceso a las estaciones. "
    "Los trenes deberán ser más puntuales, dijo el ministro en Madrid."
)


@pytest.mark.parametrize(
    ("text", "declared", "default", "lang", "note"),
    [
        (GERMAN, (Declared("de", "<html lang>"),), "en", "de", ""),
        (SPANISH, (), "fr", "es", ""),  # nothing declared: the text decides
        (GERMAN, (Declared("de-DE", "<html lang>"),), "fr", "de-DE", ""),
        (
            SPANISH,
            (Declared("en", "<html lang>"),),
            "fr",
            "en",
            "language en as <html lang> declares (the text reads as es)",
        ),
        ("Kim Jong Un", (), "fr", "fr",
         "language not recognised: the site's default (fr) was used"),
        (GERMAN, (Declared("english", "og:locale"), Declared("de", "JSON-LD inLanguage")),
         "", "de", ""),
    ],
)  # fmt: skip
def test_the_page_declares_the_text_decides_else_the_site(
    text: str, declared: tuple[Declared, ...], default: str, lang: str, note: str
) -> None:
    assert choose_language(text, declared, default) == Choice(lang, note)


def test_detector_knows_many_languages() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(SPANISH) == "es"
    assert detect_language("Kim Jong Un") == ""  # too short to tell
