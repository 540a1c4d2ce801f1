"""The story's lead: verbatim, linked to its entry, central, early, and never repeating itself."""

from __future__ import annotations

from datetime import date

from briefgen.coverage import analyse
from briefgen.coverage.lead import choose_lead, entry_lead, near, vector_of
from briefgen.coverage.text import (
    Doc,
    content_terms,
    paragraphs_from_html,
    paragraphs_from_markdown,
)
from briefgen.markdown import make_parser, render
from tests.unit.coverage_seeds import seed_docs


def test_the_seed_story_lead_is_verbatim_linked_and_without_near_duplicates() -> None:
    docs = {doc.key: doc for doc in seed_docs()}
    lead = choose_lead([analyse(doc).lead for doc in docs.values()])
    assert 2 <= len(lead) <= 4
    for sentence in lead:
        doc = docs[sentence.key]
        assert any(sentence.text in paragraph for paragraph in doc.paragraphs)
        assert sentence.url == doc.url and sentence.outlet == doc.outlet
    vectors = [vector_of(content_terms(s.text)) for s in lead]
    for i, a in enumerate(vectors):
        for b in vectors[i + 1 :]:
            assert not near(a, b)
    assert len({s.text for s in lead}) == len(lead)


def test_the_seed_lead_says_who_met_whom() -> None:
    lead = choose_lead([entry_lead(doc) for doc in seed_docs()])
    text = " ".join(s.text for s in lead)
    assert "Kim Jong" in text and "Vladimir Poutine" in text


def _doc(key: str, *paragraphs: str) -> Doc:
    return Doc(
        key, key.upper(), "en", key, 0.0, date(2024, 1, 1), f"https://{key}.test/", paragraphs
    )


def test_a_wire_copy_repeated_by_two_outlets_gives_one_sentence() -> None:
    wire = "The central bank raised its main interest rate by half a point on Tuesday morning."
    lead = choose_lead(
        [
            entry_lead(
                _doc("a", wire + " Markets fell sharply after the announcement in Frankfurt.")
            ),
            entry_lead(_doc("b", wire + " Analysts had expected a smaller rise from the bank.")),
            entry_lead(
                _doc("c", "The bank said the rate rise was needed to curb inflation quickly.")
            ),
        ]
    )
    assert [s.text for s in lead].count(wire) == 1
    assert 2 <= len(lead) <= 4


def test_the_lead_does_not_depend_on_the_order_of_entries() -> None:
    leads = [entry_lead(doc) for doc in seed_docs()]
    assert choose_lead(leads) == choose_lead(leads[::-1])


def test_a_story_without_usable_sentences_has_no_lead() -> None:
    assert (
        choose_lead(
            [entry_lead(_doc("a", "Too short.", "Is this a question that nobody answers here?"))]
        )
        == ()
    )


def test_paragraphs_from_the_rendered_body_equal_those_from_its_markdown() -> None:
    source = "## A *heading*\n\nOne [link](https://x.test/) &amp; more.\n\n- a `code` item\n- b\n"
    html = render(make_parser(), source).html
    assert paragraphs_from_html(html) == paragraphs_from_markdown(source)
    assert paragraphs_from_html(html) == ("A heading", "One link & more.", "a code item", "b")
