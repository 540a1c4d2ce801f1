"""Page signatures: equal contexts sign alike, and any difference moves the signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.deps import Signer, Templates
from briefgen.render import theme_environment


@dataclass(frozen=True)
class Head:
    title: str
    count: int
    outlets: tuple[str, ...]


@dataclass
class Loose:
    note: str


SETTINGS = b"settings"
TEMPLATES = Templates(theme_environment(Config(root=Path("."))))

scalars = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 5),
    st.booleans(),
    st.dates(date(2023, 1, 1), date(2023, 1, 5)),
)
heads = st.builds(Head, st.text(max_size=4), st.integers(0, 3), st.tuples(st.text(max_size=3)))
values = st.recursive(
    st.one_of(scalars, heads, st.builds(Loose, st.text(max_size=4))),
    lambda inner: st.tuples(inner, inner) | st.lists(inner, max_size=3),
    max_leaves=8,
)


def sign(value: object, signer: Signer | None = None) -> bytes:
    signer = signer or Signer({}, SETTINGS, TEMPLATES)
    return signer.page("articles/a/", "article.html", {"value": value})


def normal(value: object) -> object:
    """What a template can tell apart: a list and a tuple alike, True and 1 not."""
    if isinstance(value, list | tuple):
        return ("seq", tuple(normal(item) for item in value))
    if isinstance(value, Head | Loose):
        return (type(value).__name__, normal(tuple(vars(value).values())))
    return (type(value).__name__, value)


@settings(max_examples=300)
@given(values, values)
def test_two_contexts_sign_alike_exactly_when_a_template_cannot_tell_them_apart(
    first: object, second: object
) -> None:
    assert (sign(first) == sign(second)) == (normal(first) == normal(second))


def test_texts_cannot_pass_for_one_another() -> None:
    assert sign(("ab", "")) != sign(("a", "b"))
    assert sign("1") != sign(1) and sign("None") != sign(None)
    assert sign((1, "a")) == sign([1, "a"])  # a template iterates both alike


def test_a_frozen_object_signed_once_signs_as_a_copy_would() -> None:
    shared = Head("Summit", 3, ("AFP", "Reuters"))
    signer = Signer({}, SETTINGS, TEMPLATES)
    first = sign((shared, 1), signer)
    assert sign((shared, 1), signer) == first  # from the signer's memory
    assert sign((Head("Summit", 3, ("AFP", "Reuters")), 1)) == first
    assert sign((Head("Summit", 4, ("AFP", "Reuters")), 1), signer) != first
