"""Real news pages from the readability dev set (../shared/devdata/readability-pages,
Apache-2.0): metadata from the most reliable place, language as the page declares it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefgen.ingest.html import html_to_article
from briefgen.ingest.rules import build_rules

PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "devdata" / "readability-pages"
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("page", "title", "outlet", "lang", "day", "authors"),
    [
        # a German page, a sub-brand as site name: not an author, not cut into names
        ("heise", "1Password für Mac generiert Einmal-Passwörter", "Mac & i", "de",
         date(2015, 4, 8), ()),
        ("folha", "Tite diz que errou ao levar taça da Libertadores a Lula em 2012",
         "Folha de S.Paulo", "pt-BR", date(2018, 12, 21), ("Bruno (Henrique Zecchin) Rodrigues",)),
        # no site name on the page: the shipped outlet map names the host's outlet
        ("nytimes-5", "The New York Times en Español", "The New York Times", "es", None,
         ("Tariq Panja",)),
        # JSON-LD's datePublished, not htmldate's guess of a later date; 'Last Updated' no author
        ("spiceworks", None, "Spiceworks", "en-US", date(2020, 7, 10), ()),
        # JSON-LD inside CDATA; its headline is a description: the confirmed name wins
        ("wikipedia-2", "New Zealand", "Wikimedia Foundation", "en", date(2001, 10, 29), ()),
    ],
)  # fmt: skip
def test_real_page_metadata(
    page: str,
    title: str | None,
    outlet: str,
    lang: str,
    day: date | None,
    authors: tuple[str, ...],
) -> None:
    source = PAGES / page / "source.html"
    if not source.is_file():
        pytest.skip("the readability dev set is not beside the repository")
    article = html_to_article(source.read_text(encoding="utf-8"), build_rules(), UTC)
    if title is not None:
        assert article.title.startswith(title)
    assert article.source_name == outlet
    assert article.lang == lang
    if day is not None:
        assert article.date is not None and article.date.isoformat()[:10] == day.isoformat()
    assert article.authors == authors
    assert "\\\n\n" not in article.body_markdown  # no hard break left at a paragraph's end
