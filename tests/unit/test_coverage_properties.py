"""Rules that hold for every text: no exception, nothing invented, linear time on hostile input."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.coverage import analyse, summarise
from briefgen.coverage.text import Doc, fold

# Text made of what the analyses react to: quote marks, capitals, verbs of saying, punctuation.
PIECES = st.sampled_from(
    [
        "«",
        "»",
        "“",
        "”",
        '"',
        "\u00a0",
        "\u202f",
        " ",
        " ",
        " ",
        ", ",
        ". ",
        "? ",
        ": ",
        "M. ",
        "a déclaré",
        "a-t-il ajouté",
        "selon",
        "said",
        "told",
        "according to",
        "il",
        "he",
        "le",
        "porte-parole",
        "président",
        "Vladimir",
        "Poutine",
        "Kim Jong-un",
        "John Kirby",
        "Kirby",
        "de",
        "du",
        "l’",
        "d’État",
        "Officials",
        "–",
        "…",
        "(",
        ")",
        "\n",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=120).map("".join))
PARAGRAPHS = st.lists(TEXT.map(str.strip).filter(bool), min_size=1, max_size=6)


def _doc(key: str, paragraphs: list[str], outlet: str | None = "A") -> Doc:
    return Doc(key, outlet, "fr", key, 0.0, date(2024, 1, 1), "https://x.test/", tuple(paragraphs))


@settings(max_examples=300, deadline=None)
@given(PARAGRAPHS)
def test_quotes_and_speakers_come_from_the_text(paragraphs: list[str]) -> None:
    facts = analyse(_doc("a", paragraphs))
    whole = fold(" ".join(paragraphs))
    for quote in facts.quotes:
        assert quote.parts and all(any(p in para for para in paragraphs) for p in quote.parts)
        assert quote.speaker is None or fold(quote.speaker) in whole


@settings(max_examples=150, deadline=None)
@given(st.lists(PARAGRAPHS, min_size=1, max_size=4))
def test_a_story_of_any_texts_summarises_with_a_verbatim_lead(stories: list[list[str]]) -> None:
    docs = [_doc(f"e{i}", p, outlet=None if i % 2 else f"O{i}") for i, p in enumerate(stories)]
    coverage = summarise([analyse(doc) for doc in docs], unnamed="?")
    by_key = {doc.key: doc for doc in docs}
    for sentence in coverage.lead:
        assert any(sentence.text in p for p in by_key[sentence.key].paragraphs)
    assert coverage.attention.total == len(docs)


HOSTILE = {
    "opening guillemets": "« " * 40_000,
    "alternating marks": "«“" * 40_000,
    "straight quotes": '"a ' * 40_000,
    "quotes with verbs": "« x », a déclaré Kim Jong Un. " * 4_000,
    "quotes and pronouns": "« x », a-t-il ajouté. Il a dit « y ». " * 4_000,
    "capitals": "Kim Jong Un Vladimir Poutine " * 10_000,
    "abbreviations": "M. " * 40_000,
    "dots": "a." * 60_000,
    "one long word": "a" * 200_000,
    "hyphens": "a-" * 60_000,
    "titles and commas": "le porte-parole du Kremlin, " * 6_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_finishes_quickly(text: str) -> None:
    """A guard against catastrophic backtracking or quadratic loops, not a speed target."""
    started = time.perf_counter()
    summarise([analyse(_doc("a", [text, text[:1000]]))])
    assert time.perf_counter() - started < 20
