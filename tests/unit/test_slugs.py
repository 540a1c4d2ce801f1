from __future__ import annotations

import pytest

from briefgen.slugs import slugify


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
