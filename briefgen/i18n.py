"""The theme's words from gettext catalogs, and dates written in a language.

The UI strings live in `.po` catalogs inside the package
(`briefgen/locales/<lang>/LC_MESSAGES/messages.po`), extracted by Babel from
the templates and the code (see `babel.cfg` and the README). A catalog is
compiled in memory the first time a build asks for it, so a translator adds
a language by adding a folder: no code changes, no compile step. Plural
rules come from the catalog's `Plural-Forms` header, written by Babel.
Dates are written with Babel ("14 septembre 2023").
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from briefgen.diagnostics import Diagnostic, warning

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
# The language of the msgids: the theme falls back to it.
SOURCE_LANGUAGE = "en"


def catalog_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The languages that have a catalog, sorted: ('de', 'en', 'es', 'fr')."""
    if not LOCALES.is_dir():
        return ()
    return tuple(sorted(p.name for p in LOCALES.iterdir() if catalog_path(p.name).is_file()))


def catalog_language(lang: str) -> str | None:
    """The catalog for a BCP 47 tag: 'pt-BR' -> 'pt_BR' if present, else 'pt'; None without."""
    parts = lang.replace("_", "-").split("-")
    candidates = [f"{parts[0].lower()}_{parts[1].upper()}"] if len(parts) > 1 else []
    candidates.append(parts[0].lower())
    return next((code for code in candidates if code in available()), None)


def ui_language(lang: str) -> str:
    """The language the theme's words are written in for `lang`: its catalog's, else English."""
    return catalog_language(lang) or SOURCE_LANGUAGE


@lru_cache(maxsize=16)
def translations(lang: str) -> Translations:
    """The compiled catalog of `lang`'s UI language (English when it has none)."""
    code = ui_language(lang)
    with catalog_path(code).open("rb") as source:
        catalog = read_po(source, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def uncategorised(lang: str) -> str:
    """The display name of the topic of entries that name none: 'Non classé' / 'Uncategorised'."""
    return translations(lang).gettext("Uncategorised")


def unknown_source(lang: str) -> str:
    """The name of the outlet of entries that name none, in lists, leads and charts alike:
    'Média inconnu' / 'Unknown outlet'."""
    return translations(lang).gettext("Unknown outlet")


def missing_catalog(lang: str, origin: str) -> Diagnostic | None:
    """A warning when the site's language has no UI catalog: the theme falls back to English."""
    if catalog_language(lang) is not None:
        return None
    have = ", ".join(available())
    return warning(
        origin,
        0,
        f"no UI catalog for {lang[:20]!r} (catalogs: {have}); the theme's words are in English",
        field="language",
    )


def language_name(code: str, lang: str) -> str:
    """The name of the language `code` in the language `lang`: 'fr' in 'de' -> 'Französisch'."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale(lang))
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


@lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=4096)  # a briefing shows the same few hundred days on every page
def long_date(value: date, lang: str) -> str:
    """'14 septembre 2023' / 'September 14, 2023'."""
    return str(format_date(value, format="long", locale=locale(lang)))


@lru_cache(maxsize=4096)  # a briefing shows the same few hundred days on every page
def full_date(value: date, lang: str) -> str:
    """'jeudi 14 septembre 2023' / 'Thursday, September 14, 2023'."""
    return str(format_date(value, format="full", locale=locale(lang)))


@lru_cache(maxsize=4096)  # a briefing shows the same few hundred days on every page
def month_name(value: date, lang: str) -> str:
    """'septembre 2023' / 'September 2023'."""
    return str(format_date(value, format="LLLL y", locale=locale(lang)))


def short_time(value: datetime, lang: str) -> str:
    """'16:50' / '4:50 PM', in the moment's own offset."""
    return _short_time(value.hour, value.minute, lang)


@lru_cache(maxsize=4096)
def _short_time(hour: int, minute: int, lang: str) -> str:
    """Babel's short time of `hour:minute` (a day has 1 440 of them: formatted once each)."""
    return str(format_time(time(hour, minute), format="short", locale=locale(lang)))
