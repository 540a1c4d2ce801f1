"""HTML pages: main text and metadata by trafilatura, meta tags as fallback, Markdown out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefgen.ingest.article import IngestError
from briefgen.ingest.html import html_to_article
from briefgen.ingest.lang import Declared
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.meta import page_meta
from briefgen.ingest.names import clean_authors, clean_site_name, cut_site_suffix
from briefgen.ingest.rules import build_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
PARIS = ZoneInfo("Europe/Paris")
RULES = build_rules(
    topics=[("Espace", ("satellite", "cosmodrome")), ("Sport", ("football",))],
    tags=[("Kim Jong Un", ("Kim Jong Un",))],
)


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_french_page_metadata_and_markdown() -> None:
    article = html_to_article(read("fr_article.html"), RULES, PARIS)
    assert article.title == "Sommet de Vostotchny : ce que Moscou attend de Pyongyang"
    assert article.date == datetime.fromisoformat("2023-09-13T18:05:00+02:00")
    assert article.source_name == "Le Courrier de l'Est"
    assert article.source_url == (
        "https://www.courrier-est.example/monde/2023/09/13/sommet-vostotchny-moscou-pyongyang"
    )
    assert article.authors == ("Claire Vasseur",)
    assert article.lang == "fr-FR"  # as the page declares it (<html lang="fr-FR">)
    assert article.summary.startswith("Munitions contre technologie spatiale")
    assert article.topics == ("Espace",)
    assert article.tags == ("Kim Jong Un",)
    assert article.missing == ()
    body = article.body_markdown
    # the standfirst leads the text (the article page does not show it twice)
    assert body.startswith("Munitions contre technologie spatiale : les enjeux")
    assert "correspondants.\n\nLe décor n'avait rien d'anodin." in body
    assert body.rstrip().endswith("selon l'agence officielle KCNA.")
    assert "\n\n## La carte spatiale\n\n" in body
    assert "**stocks considérables**" in body
    assert "- la livraison d'obus et de roquettes d'artillerie ;\n- le transfert" in body
    assert "\n\n> « Chaque livraison d'armes violerait" in body
    assert "[déclaration](https://www.state.gov/briefings/)" in body
    for furniture in (
        "cookies",
        "Tout accepter",
        "Mentions légales",
        "S'abonner",
        "Partager sur Facebook",
        "Le train blindé de Kim",
        "newsletter",
        "Connectez-vous",
        "Accueil",
    ):
        assert furniture not in body


def test_english_page_metadata_and_markdown() -> None:
    article = html_to_article(read("en_article.html"), RULES, PARIS)
    assert article.title == "Putin and Kim meet at Russian spaceport as arms deal fears grow"
    assert article.date == datetime.fromisoformat("2023-09-13T09:41:00+00:00")
    assert article.source_name == "The Northern Ledger"
    # the canonical link, not the og:url with its tracking parameter
    assert (
        article.source_url == "https://northernledger.example/world/asia/putin-kim-vostochny-summit"
    )
    assert article.authors == ("Daniel Okafor",)
    assert article.lang == "en"
    body = article.body_markdown
    assert not body.startswith("# ")  # the <h1> is the title, not repeated in the body
    assert body.startswith("Russian President Vladimir Putin welcomed")
    assert "\n\n## What each side wants\n\n" in body
    assert "*troubled*" in body
    assert '\n\n> "Any arms transfer' in body
    assert "[Security Council resolutions](https://www.un.org/securitycouncil/)" in body
    for furniture in (
        "We value your privacy",
        "Sign in",
        "Inside Kim's armoured train",
        "Share on Facebook",
        "Comments (12)",
        "All rights reserved",
    ):
        assert furniture not in body


def test_page_without_article_is_refused() -> None:
    with pytest.raises(IngestError, match=r"^no article text found \(expected an HTML page"):
        html_to_article(read("no_article.html"), RULES, PARIS)


def test_meta_tags_are_the_fallback() -> None:
    meta = page_meta(read("en_article.html"))
    assert meta.title == "Putin and Kim meet at Russian spaceport as arms deal fears grow"
    assert meta.published == "2023-09-13T09:41:00Z"  # from JSON-LD
    assert meta.declared[0] == Declared("en", "<html lang>")
    bare = "<html><head><title>Sommet | Le Journal</title></head><body></body></html>"
    assert page_meta(bare).title == "Sommet"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>One <b>two</b> <i>three</i></p><p>Four</p>", "One **two** *three*\n\nFour\n"),
        ("<h3>Title</h3><p>x</p>", "### Title\n\nx\n"),
        ("<ol><li>a</li><li>b<ul><li>c</li></ul></li></ol>", "1. a\n2. b\n   - c\n"),
        ("<blockquote><p>q1</p><p>q2</p></blockquote>", "> q1\n>\n> q2\n"),
        (
            '<p><a href="/rel">link</a> <a href="javascript:x">js</a></p>',
            "[link](https://site.example/rel) js\n",
        ),
        ("<p>* not a list and 1. not either</p>", "\\* not a list and 1. not either\n"),
        ("<p>2023. A year</p>", "2023\\. A year\n"),
        ("<p>line<br>break</p>", "line\\\nbreak\n"),
        ("<div>loose <em>text</em><p>para</p></div>", "loose *text*\n\npara\n"),
        ("<script>x()</script><p>kept</p>", "kept\n"),
        # block children of a list item are lines, not words glued together
        ("<ul><li><h2>Tool</h2><p>Does <b>it</b>.</p></li></ul>", "- Tool\\\nDoes **it**.\n"),
        # a list without items (an old way to indent) keeps its text
        ("<p>a</p><ul><i>Quoted, <b>not</b> listed</i></ul>", "a\n\n*Quoted, **not** listed*\n"),
        # a line after a hard break opens no list and no heading
        (
            "<p>Ranks:<br>1. Finland<br>- Norway<br># x</p>",
            "Ranks:\\\n1\\. Finland\\\n\\- Norway\\\n\\# x\n",
        ),
        ("", ""),
    ],
)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html, base_url="https://site.example/page") == markdown


def test_a_paragraph_with_numbered_lines_stays_a_paragraph() -> None:
    from markdown_it import MarkdownIt

    markdown = html_to_markdown("<p>The ranks:<br>1. Finland<br>2. Norway</p>")
    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered == "<p>The ranks:<br />\n1. Finland<br />\n2. Norway</p>\n"


# 50 words that are neither French nor English stop words: the page's tag decides
UNRECOGNISED = " ".join(["Vostochny Kosmodrom Amur Primorye Khabarovsk"] * 10)


@pytest.mark.parametrize(
    ("declared", "lang"),
    [
        ("fr_FR", "fr-FR"),
        ("en_us", "en-US"),
        ("fr-ca", "fr-CA"),
        ("francais", "de"),  # not a language tag: the default is used
    ],
)
def test_page_language_is_a_bcp47_tag(declared: str, lang: str) -> None:
    html = (
        f'<html lang="{declared}"><head><title>Kosmodrom</title></head><body>'
        f"<article><h1>Kosmodrom</h1><p>{UNRECOGNISED}.</p><p>{UNRECOGNISED}.</p></article>"
        "</body></html>"
    )
    article = html_to_article(html, RULES, PARIS, default_lang="de")
    assert article.lang == lang


SCRIPT_PAGE = """<!doctype html><html lang="en"><head>
<title>Markets rally as rates fall | Harbour Post</title>
<meta property="og:site_name" content="Harbour Post">
<meta property="og:url" content="https://www.harbour-post.example/business/markets-rally">
<link rel="canonical" href="/business/markets-rally">
<meta property="og:description" content="Shares rose across Asia after the central bank cut.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Markets rally as rates fall", "datePublished": "2023-09-14T08:00:00+08:00",
 "dateModified": "2023-09-15T10:00:00+08:00",
 "author": [{"@type": "Person", "name": "Mei Chan"},
            {"@type": "Organization", "name": "Harbour Post"}],
 "publisher": {"@type": "Organization", "name": "Harbour Post Publishers Ltd"}}</script>
</head><body><div id="app"></div><script>window.__DATA__ = {"body": "..."}</script>
</body></html>"""


def test_page_with_metadata_but_no_text_is_a_link_entry() -> None:
    article = html_to_article(SCRIPT_PAGE, RULES, PARIS, url="https://www.harbour-post.example/x")
    assert article.title == "Markets rally as rates fall"
    assert article.body_markdown == ""
    assert article.summary == "Shares rose across Asia after the central bank cut."
    # the relative canonical link resolved against the page's URL
    assert article.source_url == "https://www.harbour-post.example/business/markets-rally"
    assert article.date == datetime.fromisoformat("2023-09-14T08:00:00+08:00")  # not modified
    assert article.updated == datetime.fromisoformat("2023-09-15T10:00:00+08:00")
    assert article.authors == ("Mei Chan",)  # the organisation is no author
    assert article.source_name == "Harbour Post"
    assert article.notes[0] == (
        "no article text found: imported as a link entry (title, summary and link)"
    )


def test_template_shell_is_refused_with_the_reason() -> None:
    shell = (
        '<html ng-app="news"><head><title>{{ article.title }}</title></head><body>'
        + "<p>{{ article.body }}</p>" * 30
        + "</body></html>"
    )
    with pytest.raises(IngestError) as caught:
        html_to_article(shell, RULES, PARIS)
    assert str(caught.value) == (
        "not an article: the page's text is template code ({{…}}), "
        "filled in by a script in the browser"
    )


def test_json_is_refused_as_a_page() -> None:
    with pytest.raises(IngestError) as caught:
        html_to_article('{"title": "x"}', RULES, PARIS)
    assert str(caught.value) == "not an article: the input is JSON, not an HTML page or a feed"


@pytest.mark.parametrize(
    ("site", "clean"),
    [
        ("SPIEGEL ONLINE, Hamburg, Germany", "SPIEGEL ONLINE"),
        ("DW.COM", "DW"),
        ("Netafrique.net", "Netafrique.net"),
        ("Le Monde", "Le Monde"),
    ],
)
def test_site_names_are_cleaned(site: str, clean: str) -> None:
    assert clean_site_name(site) == clean


@pytest.mark.parametrize(
    ("title", "site", "host", "cut"),
    [
        ("Merkel in Washington | DW | 10.06.2013", "DW", "dw.com", "Merkel in Washington"),
        ("Zugang gesperrt - Süddeutsche.de", "Süddeutsche Zeitung", "sueddeutsche.de",
         "Zugang gesperrt"),
        ("Brexit: what next? | Politics | The Guardian", "The Guardian", "theguardian.com",
         "Brexit: what next? | Politics"),
        ("No suffix here", "DW", "dw.com", "No suffix here"),
    ],
)  # fmt: skip
def test_site_suffix_is_cut_from_titles(title: str, site: str, host: str, cut: str) -> None:
    assert cut_site_suffix(title, site, host) == cut


@pytest.mark.parametrize(
    ("names", "site", "authors"),
    [
        (["Deutsche Welle"], "Deutsche Welle", ()),
        (["Süddeutsche de GmbH"], "", ()),
        (["SPIEGEL ONLINE, Hamburg, Germany"], "SPIEGEL ONLINE", ()),
        (["By Jane Doe and John Roe"], "", ("Jane Doe", "John Roe")),
        (["Joanna Rothkopf, Staff Writer"], "", ("Joanna Rothkopf",)),
        (["Username"], "", ()),
    ],
)
def test_publishers_are_never_authors(
    names: list[str], site: str, authors: tuple[str, ...]
) -> None:
    assert clean_authors(names, site) == authors


ARTEFACTS = """<!doctype html><html lang="en"><head><title>Banks cut rates again</title>
<meta property="og:site_name" content="Wire Service"></head><body><article>
<h1>Banks cut rates again</h1>
<p>Banks cut rates again</p>
<p>Central banks in three countries cut their main rates on Tuesday, the second cut in
two months, as inflation slowed faster than expected across the region.<br><br></p>
<h2>Image: Getty Images</h2>
<p>Economists had expected a pause. The decision surprised markets, which rallied in the
afternoon as traders priced in a further cut before the end of the year.</p>
<h2>The decision surprised markets, which rallied in the afternoon</h2>
<p>Officials said the cuts were needed to support growth, which has been weak since the
spring, and that they would watch prices closely in the months ahead.</p>
<p>Governor Jane Doe speaks in London. REUTERS/John Roe</p>
<h3>Related</h3>
<p>Our Standards: The Thomson Reuters Trust Principles.</p>
<p>© Thomson Reuters 2020</p>
</article></body></html>"""


def test_page_artefacts_are_dropped_and_no_escape_is_left() -> None:
    article = html_to_article(ARTEFACTS, RULES, PARIS)
    assert article.title == "Banks cut rates again"
    blocks = article.body_markdown.strip().split("\n\n")
    assert [block.split(" ")[0] for block in blocks] == ["Central", "Economists", "Officials"]
    assert "\\" not in article.body_markdown


def test_the_users_sources_win_over_the_pages_site_name() -> None:
    rules = build_rules(sources=[("harbour-post.example", "The Harbour Post (HK)")])
    article = html_to_article(SCRIPT_PAGE, rules, PARIS, url="https://www.harbour-post.example/x")
    assert article.source_name == "The Harbour Post (HK)"
