"""Which language an article is written in: what the page declares, checked by
py3langid (97 languages, its model inside its PyPI package).

The page's own declaration (`<html lang>`, JSON-LD `inLanguage`, `og:locale`,
a feed's `<language>`) names the language when there is one: it keeps a
region (`pt-BR`) and is what the author chose. The text decides when nothing
is declared, when the detector is confident enough. The site's default is
the last resort. `choose_language` says where the language came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from briefgen.config import LANG_RE

MIN_CHARS = 40  # shorter text says too little to tell a language
MIN_CONFIDENCE = 0.9  # py3langid's normalised probability needed to trust a guess
SAMPLE_CHARS = 20_000  # the first characters are enough, and bound the time


@dataclass(frozen=True)
class Declared:
    """A language tag as a page or feed declares it, and where."""

    tag: str
    where: str  # "<html lang>", "JSON-LD inLanguage", "og:locale", "the feed"


@dataclass(frozen=True)
class Choice:
    lang: str
    note: str = ""  # for the user, when the language is not plainly the page's or the text's


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier, loaded once (about 0.3 s) and kept for the process."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """py3langid's guess for `text` and its probability; ("", 0.0) when too short."""
    sample = re.sub(r"https?://\S+|\s+", " ", text[:SAMPLE_CHARS]).strip()
    if len(sample) < MIN_CHARS:
        return "", 0.0
    lang, probability = _identifier().classify(sample)
    return str(lang), float(probability)


def detect_language(text: str) -> str:
    """The text's language when py3langid is confident, else ""."""
    lang, probability = detect(text)
    return lang if probability >= MIN_CONFIDENCE else ""


def choose_language(text: str, declared: tuple[Declared, ...] = (), default: str = "") -> Choice:
    """The page's declared language, else the text's, else the site's default."""
    found = next((d for d in declared if normalize_tag(d.tag)), None)
    guess = detect_language(text)
    if found is not None:
        tag = normalize_tag(found.tag)
        if guess and guess != tag.split("-")[0]:
            return Choice(
                tag, f"language {tag} as {found.where} declares (the text reads as {guess})"
            )
        return Choice(tag)
    if guess:
        return Choice(guess)
    if default:
        return Choice(default, f"language not recognised: the site's default ({default}) was used")
    return Choice("", "language not recognised: set lang in the entry")


def normalize_tag(tag: str) -> str:
    """A declared language tag (`<html lang>`, a feed's `<language>`) as BCP 47.

    `en_US`, `en-us` -> `en-US`; `zh_hant_tw` -> `zh-Hant-TW`. A tag that is
    still not a language tag (`english`, `fr-`) gives "": detection decides.
    """
    first, *rest = re.split("[-_]", tag.strip())
    subtags = [first.lower()]
    for subtag in rest:
        if len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        else:
            subtags.append(subtag.lower())
    normalized = "-".join(subtags)
    return normalized if LANG_RE.match(normalized) else ""
