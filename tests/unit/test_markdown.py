from __future__ import annotations

from briefgen.markdown import make_parser, render


def test_raw_html_is_escaped_by_default() -> None:
    html = render(make_parser(), "Bonjour <script>alert(1)</script> <b>x</b>\n").html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_raw_html_is_kept_when_the_site_allows_it() -> None:
    html = render(make_parser(unsafe_html=True), "Bonjour <b>x</b>\n").html
    assert "<b>x</b>" in html


def test_external_links_get_noopener_and_javascript_links_are_refused() -> None:
    html = render(
        make_parser(), "[a](https://e.example/) [b](/local/) [c](javascript:alert(1))\n"
    ).html
    assert '<a href="https://e.example/" rel="noopener">a</a>' in html
    assert '<a href="/local/">b</a>' in html
    assert 'href="javascript' not in html


def test_tables_and_footnotes() -> None:
    html = render(make_parser(), "| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1]\n\n[^1]: pied\n").html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnotes"' in html and "pied" in html


def test_first_paragraph_and_word_count() -> None:
    rendered = render(make_parser(), "# Titre\n\nLe *premier* paragraphe.\n\nDeux mots.\n")
    assert rendered.first_paragraph == "Le premier paragraphe."
    assert rendered.words == 6


def test_body_headings_start_at_h2() -> None:
    html = render(make_parser(), "# Un\n\n## Deux\n\n###### Six\n").html
    assert html == "<h2>Un</h2>\n<h3>Deux</h3>\n<h6>Six</h6>\n"
    html = render(make_parser(), "### Trois\n\n#### Quatre\n").html
    assert html == "<h2>Trois</h2>\n<h3>Quatre</h3>\n"


def test_external_links_get_noopener_whatever_the_case_of_their_scheme() -> None:
    html = render(
        make_parser(),
        "[a](HTTPS://x.example) [b](Http://y.example) <HTTPS://z.example> [c](//cdn.example) "
        "[d](/local/) [e](#note)\n",
    ).html
    assert html.count('rel="noopener"') == 4
    assert '<a href="/local/">d</a>' in html and '<a href="#note">e</a>' in html
