"""French spacing and the summary that repeats its headline."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefgen.typography import (
    NBSP,
    NNBSP,
    french_spacing,
    french_spacing_html,
    summary_beyond_title,
)


def test_guillemets_and_high_punctuation_keep_their_words() -> None:
    text = "Kim s’aligne sur la « guerre sainte » de Poutine : pourquoi ? Enfin ; bref !"
    assert french_spacing(text) == (
        f"Kim s’aligne sur la «{NBSP}guerre sainte{NBSP}» de Poutine{NBSP}: "
        f"pourquoi{NNBSP}? Enfin{NNBSP}; bref{NNBSP}!"
    )
    assert french_spacing("«guerre»") == f"«{NBSP}guerre{NBSP}»"


def test_other_languages_and_urls_are_left_alone() -> None:
    assert french_spacing("Why ? « x »", "en") == "Why ? « x »"
    assert french_spacing("voir https://a.example/x?y=1 :", "fr-CA").startswith(
        "voir https://a.example/x?y=1"
    )


def test_html_text_is_spaced_but_tags_and_code_are_not() -> None:
    html = '<p title="a ?">« mot » <code>x ? y</code> fin ?</p><pre>« brut »</pre>'
    assert french_spacing_html(html) == (
        f'<p title="a ?">«{NBSP}mot{NBSP}» <code>x ? y</code> fin{NNBSP}?</p><pre>« brut »</pre>'
    )


@given(st.text())
def test_spacing_only_changes_spaces(text: str) -> None:
    spaced = french_spacing(text)
    assert [c for c in spaced if not c.isspace()] == [c for c in text if not c.isspace()]


@given(st.text(), st.text())
def test_spacing_html_never_fails_and_keeps_the_tags(text: str, other: str) -> None:
    html = f"<p>{text}</p><code>{other}</code>"
    spaced = french_spacing_html(html)
    assert spaced.count("<") == html.count("<")


def test_a_summary_repeating_its_headline_is_not_shown_twice() -> None:
    title = "Le dirigeant nord-coréen devrait rencontrer Poutine"
    assert summary_beyond_title("Le dirigeant nord-coréen devrait rencontrer Poutine.", title) == ""
    assert (
        summary_beyond_title(f"{title}. Les deux hommes ont parlé deux heures.", title)
        == "Les deux hommes ont parlé deux heures."
    )
    assert summary_beyond_title("Un autre résumé.", title) == "Un autre résumé."


@given(st.text(), st.text())
def test_the_rest_of_a_summary_is_a_part_of_it(summary: str, title: str) -> None:
    rest = summary_beyond_title(summary, title)
    assert rest == summary or rest[1:] in summary
