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
