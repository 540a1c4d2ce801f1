"""ASCII, readable slugs ("Coopération militaire" -> "cooperation-militaire")."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

MAX_LENGTH = 80


@lru_cache(maxsize=65536)
def slugify(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """A lowercase ASCII slug of `text`, cut at a word boundary; "" when nothing is left."""
    return str(
        _slugify(
            text,
            max_length=max_length,
            word_boundary=True,
            replacements=[["'", "-"], ["’", "-"]],
        )
    )


def unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… whichever is not in `taken` yet (and take it)."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
