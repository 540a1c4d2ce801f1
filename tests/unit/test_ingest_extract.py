"""The main-text rules on top of trafilatura: hidden elements, a second opinion, short notes."""

from __future__ import annotations

import pytest

from briefgen.ingest.extract import prefer_other, readability_html, text_words, visible_tree
from briefgen.ingest.html import html_to_article
from briefgen.ingest.rules import build_rules

RULES = build_rules()
SENTENCE = (
    "The committee met on Tuesday to review the harbour plan, and its members agreed "
    "that the new quay would be built in two stages over the next four years."
)


def page(body: str, title: str = "Harbour plan approved") -> str:
    head = f"<title>{title}</title>" if title else ""
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"


def article_text(paragraphs: list[str], extra: str = "") -> str:
    inner = "".join(f"<p>{text}</p>" for text in paragraphs)
    return page(f"<article><h1>Harbour plan approved</h1>{inner}{extra}</article>")


@pytest.mark.parametrize(
    "hidden",
    [
        "<div hidden>{}</div>",
        "<div aria-hidden='true'>{}</div>",
        "<div style='color: red; DISPLAY : None'>{}</div>",
        "<section style='visibility:hidden'>{}</section>",
    ],
)
def test_hidden_elements_are_not_read(hidden: str) -> None:
    secret = "Subscribers also read the weekly digest about mortgage rates and ferries."
    html = article_text([SENTENCE, SENTENCE.replace("Tuesday", "Monday")], hidden.format(secret))
    root = visible_tree(html)
    assert root is not None and "mortgage" not in root.text_content()
    assert "quay" in root.text_content()
    assert "mortgage" not in html_to_article(html, RULES).body_markdown


def test_a_paragraph_the_page_repeats_is_kept_each_time() -> None:
    # trafilatura drops a repeated paragraph; the readability-style candidate keeps it
    html = article_text([SENTENCE] * 3 + ["The work starts in spring, the mayor said."])
    body = html_to_article(html, RULES).body_markdown
    assert body.count("the new quay would be built") == 3
    assert body.rstrip().endswith("The work starts in spring, the mayor said.")


@pytest.mark.parametrize(
    ("main", "other", "expected"),
    [
        ("", "<p>Some words here.</p>", True),  # trafilatura found nothing
        ("<p>a b c d</p>", "", False),
        ("<p>a b c d</p>", "<p>a b c d</p><p>a b c d</p>", True),  # the same and more
        ("<p>a b c d</p>", "<p>a b c d</p>", False),  # nothing more
        ("<p>a b c d e f g h i j</p>", "<p>a b c d e f g h i x y z w v u</p>", False),  # lost words
        ("<p>a b c d e f g h i j</p>", "<p>z</p>", False),  # shorter
    ],
)
def test_the_other_candidate_replaces_only_a_text_it_contains(
    main: str, other: str, expected: bool
) -> None:
    assert prefer_other(main, other) is expected


def test_text_words_count_each_cjk_character() -> None:
    assert text_words("<p>Tokyo 東京駅 Station</p>") == ["tokyo", "東", "京", "駅", "station"]
    assert text_words("") == []


def test_a_short_note_without_title_takes_its_first_sentence_as_title() -> None:
    note = "<ul><li><p>Ferries resume on Friday. The strike is over, the union said.</p></li></ul>"
    article = html_to_article(page(note, title=""), RULES)
    assert article.title == "Ferries resume on Friday"
    assert article.notes[0] == "the page has no title: the title is the first sentence"
    assert (
        article.body_markdown == "- Ferries resume on Friday. The strike is over, the union said.\n"
    )


@pytest.mark.parametrize(
    ("names", "kept"),
    [
        ("class='jp-relatedposts'", False),
        ("id='share-buttons' class='social'", False),
        ("class='comment-list'", False),
        ("class='related-content'", True),  # it also names the content
        ("class='aside-note'", True),
    ],
)
def test_the_second_opinion_leaves_out_furniture_by_name(names: str, kept: bool) -> None:
    teaser = "Earlier this year the port authority published a plan for the ferries."
    html = article_text([SENTENCE] * 3, f"<div {names}><p>{teaser}</p></div>")
    candidate = readability_html(visible_tree(html))
    assert "the new quay would be built" in candidate
    assert ("port authority" in candidate) is kept
