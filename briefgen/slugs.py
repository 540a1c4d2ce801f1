"""ASCII, readable, portable slugs ("Coopération militaire" -> "cooperation-militaire").

A slug names a folder of the output, so it must be one on every system: never
empty, lowercase (so that names differing only by case never make two folders
that Windows or macOS would take for one), and never a name Windows reserves
(`con`, `nul`, `aux`, `prn`, `com0`-`com9`, `lpt0`-`lpt9`).

A group's slug (`group_slug`) is a function of its name alone, so that any page
can link to a topic by name. Names that differ only in case, accents, spaces,
punctuation between words are one group ("Défense", "defense", "Le Monde.fr",
"Le Monde fr"). Any other name is one that the readable slug alone would not
keep apart: one with symbols or meaningful punctuation (`C++` and `C#` both
read "c"), without letters or digits (emoji), cut at the maximum length, or a
reserved name. Such a name gets its readable slug, two hyphens and
a short hash of the name (`c--5bd1f2`): a plain slug never holds two hyphens in
a row, so it never meets one of these, and distinct names never merge.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

MAX_LENGTH = 80
RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(10)]
)
APOSTROPHES = "'’"
MEANINGFUL = "#&@%*§¶†‡"  # punctuation that is part of a name, not a space between words
HASH_LENGTH = 6


@lru_cache(maxsize=65536)
def slugify(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """A lowercase ASCII slug of `text`, cut at a word boundary; "" when nothing is left."""
    return str(
        _slugify(
            text,
            max_length=max_length,
            word_boundary=True,
            replacements=[[mark, "-"] for mark in APOSTROPHES],
        )
    )


def is_reserved(name: str) -> bool:
    """True for a file name Windows refuses (`con`, `NUL.txt`, `com1`…), with any extension."""
    return name.split(".", 1)[0].strip().lower() in RESERVED


@lru_cache(maxsize=65536)
def group_slug(name: str, fallback: str) -> str:
    """The slug of a group called `name`; `fallback` is its base when no letter is left.

    Plain names get their readable slug; any other gets `base--hash` (see the module).
    """
    readable = slugify(name)
    if (
        readable
        and _plain(name)
        and not is_reserved(readable)
        and readable == slugify(name, max_length=0)
    ):
        return readable
    digest = hashlib.sha256(_identity(name).encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{readable or fallback}--{digest}"


def _plain(name: str) -> bool:
    """Letters, digits, spaces and punctuation that separates words: the slug says it all.

    Symbols (`+`, `$`, emoji) and the punctuation that means something (`#`, `&`, `@`, `%`,
    `*`) are not plain: `C++`, `C#` and `C` are three names.
    """
    return all(
        char.isspace() or (unicodedata.category(char)[0] in "LMNZP" and char not in MEANINGFUL)
        for char in name
    )


def _identity(name: str) -> str:
    """What tells names apart: not case, accents or spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())
