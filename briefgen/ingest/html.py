"""HTML pages -> `Article`: the main text and metadata by trafilatura, the
page's own meta tags as fallback, the text as Markdown (see `mdconvert`)."""

from __future__ import annotations

import email.utils
import re
from copy import deepcopy
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from lxml import etree

from briefgen.fields import local_day
from briefgen.ingest.article import Article, IngestError
from briefgen.ingest.blocks import block_text, clean_blocks
from briefgen.ingest.dates import DateValue, parse_iso
from briefgen.ingest.extract import WORDS, prefer_other, readability_html, visible_tree
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.meta import PageMeta, page_meta
from briefgen.ingest.names import (
    clean_authors,
    clean_site_name,
    cut_site_suffix,
    fold_name,
    is_organisation,
)
from briefgen.ingest.rules import Rules, host_of, normalize_space
from briefgen.ingest.store import is_http_url
from briefgen.ingest.text import finish_article, first_sentence, unescape_markdown

MIN_WORDS = 40  # less main text than this is not an article (an index, a 404 page…)
# … unless it is most of what the page shows: a short note on a page of its own
NO_ARTICLE = "no article text found (expected an HTML page with a main article)"
LINK_ENTRY = "no article text found: imported as a link entry (title, summary and link)"
RECALL_BELOW = 150  # words: a shorter extraction is tried again favouring recall
MARKER = re.compile(r"^(?:[-*+>]|\d{1,9}[.)])\s+")  # a list item's or quote's marker
TEMPLATE_CODE = re.compile(r"\{\{[^{}\n]{0,200}\}\}")


def html_to_article(
    html: str, rules: Rules, zone: tzinfo | None = None, *, url: str = "", default_lang: str = ""
) -> Article:
    """One article from a page; raises `IngestError` when the page holds none.

    A page whose metadata names a title and a URL or date but whose text
    cannot be extracted becomes a link entry (summary and link, no body).
    """
    refuse_non_page(html)
    meta = page_meta(html, url)
    main, found = _extract(html, meta.url or url)
    source_url = meta.url or found.get("url") or url
    source_url = source_url if is_http_url(source_url) else ""
    site = clean_site_name(found.get("sitename", ""))
    source_name = (
        rules.user_outlet(source_url)
        or meta.site_name
        or rules.known_outlet(source_url)
        or site
        or rules.outlet_for(source_url)
    )
    title = meta.title or normalize_space(found.get("title", ""))
    title = cut_site_suffix(title, source_name, host_of(source_url))
    title = cut_site_suffix(title, meta.site_name or site)
    body = html_to_markdown(main or "", base_url=source_url)
    body = _drop_title_heading(body, title)
    body, _dropped = clean_blocks(body, title, rules)
    words = len(WORDS.findall(unescape_markdown(body)))
    date_value = _page_date(meta, found, html, zone)
    candidates = (
        meta.authors,
        _trafilatura_authors(found.get("author", ""), site),
        meta.meta_authors,
    )
    cleaned = (clean_authors(names, source_name) for names in candidates)
    authors = next((names for names in cleaned if names), ())
    authors = tuple(a for a in authors if not is_organisation(a, meta.site_name or site))
    summary = meta.description or normalize_space(found.get("description", ""))
    notes: tuple[str, ...] = ()
    short_note = 0 < words < MIN_WORDS and words * 2 >= meta.words  # most of what it shows
    if not title and (words >= MIN_WORDS or short_note):
        first_block = MARKER.sub("", block_text(body.partition("\n\n")[0]))
        title = first_sentence(normalize_space(first_block))
        notes = ("the page has no title: the title is the first sentence",)
    if not title:
        raise IngestError(NO_ARTICLE)
    if words < MIN_WORDS and not short_note:
        if not (source_url and (date_value is not None or summary)):
            raise IngestError(NO_ARTICLE)
        body = ""
        notes = (LINK_ENTRY,)
    article = finish_article(
        title=title,
        body=body,
        plain=title + "\n" + (unescape_markdown(body) or summary),
        rules=rules,
        date_value=date_value,
        source_url=source_url,
        source_name=source_name,
        authors=authors,
        summary=summary,
        notes=notes,
        default_lang=default_lang,
        declared=meta.declared,
    )
    modified = parse_iso(meta.modified, zone) if meta.modified else None
    return replace(article, updated=modified) if _later(modified, date_value) else article


def _later(modified: DateValue | None, published: DateValue | None) -> bool:
    """Whether a page's modification date says more than its publication date."""
    if modified is None or modified == published:
        return False
    both_times = isinstance(modified, datetime) and isinstance(published, datetime)
    return not (both_times and modified < published)  # type: ignore[operator]


def refuse_non_page(html: str) -> None:
    """JSON, or a page whose visible text is template code: not an article, said why."""
    head = html.lstrip("\ufeff \t\r\n")[:1]
    if head in ("{", "["):
        raise IngestError("not an article: the input is JSON, not an HTML page or a feed")


def _extract(html: str, url: str) -> tuple[str, dict[str, str]]:
    """The main text (as HTML) and trafilatura's metadata of the page's visible part.

    trafilatura first; a short text is extracted again favouring recall and the
    longer one kept; then a readability-style candidate replaces it when it
    holds the same text and more, or trafilatura found none (see `extract`).
    """
    root = visible_tree(html)
    if root is None:  # nothing lxml can read: the page's metadata may still name an article
        return "", {}
    main, document = _trafilatura(root, url, favor_recall=False)
    if len(WORDS.findall(main)) < RECALL_BELOW:
        again, other = _trafilatura(root, url, favor_recall=True)
        if len(WORDS.findall(again)) > len(WORDS.findall(main)):
            main, document = again, other
    candidate = readability_html(root)
    if prefer_other(main, candidate):
        main = candidate
    if TEMPLATE_CODE.search(main):
        raise IngestError(
            "not an article: the page's text is template code ({{…}}), "
            "filled in by a script in the browser"
        )
    return main, _attrs(document)


def _trafilatura(root: Any, url: str, *, favor_recall: bool) -> tuple[str, Any]:
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    try:
        document = trafilatura.bare_extraction(
            deepcopy(root),
            url=url or None,
            with_metadata=True,
            include_links=True,
            include_formatting=True,
            include_comments=False,
            include_tables=True,
            favor_recall=favor_recall,
        )
        body = getattr(document, "body", None)
        main = etree.tostring(convert_to_html(body), encoding="unicode") if body is not None else ""
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as exc:
        raise IngestError(NO_ARTICLE) from exc
    return main, document


def _trafilatura_authors(author: str, site: str) -> list[str]:
    """trafilatura's authors ("A; B"), none when they are its site name cut up ("Mac; I"
    for "Mac & i")."""
    names = [a.strip() for a in author.split(";") if a.strip()]
    if site and fold_name("".join(names)) == fold_name(site):
        return []
    return names


def _attrs(document: Any) -> dict[str, str]:
    if document is None:
        return {}
    names = ("title", "author", "date", "sitename", "url", "description")
    return {name: str(getattr(document, name, "") or "") for name in names}


def _page_date(
    meta: PageMeta, found: dict[str, str], html: str, zone: tzinfo | None
) -> DateValue | None:
    """The published date: the page's metadata first, then htmldate's original date."""
    stated = parse_iso(meta.published, zone) or parse_rfc2822(meta.published)
    if stated is not None:
        return stated
    guessed = found.get("date") or _htmldate(html)
    return _best_date("", guessed, zone)


def _htmldate(html: str) -> str:
    from htmldate import find_date

    try:
        return find_date(html, original_date=True, extensive_search=False) or ""
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return ""


def parse_rfc2822(text: str) -> DateValue | None:
    """'Mon, 10 Jun 2013 12:00:00 +0200', as some pages write their dates."""
    if not text or not text[:1].isalpha():
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _best_date(published: str, found: str, zone: tzinfo | None) -> DateValue | None:
    """The page's full date-time when it agrees with trafilatura's day, else the day."""
    precise = parse_iso(published, zone)
    day = parse_iso(found[:10], zone) if found else None
    agrees = (
        day is None
        or precise == day
        or (isinstance(precise, datetime) and zone is not None and local_day(precise, zone) == day)
    )
    if isinstance(precise, datetime) and agrees:
        return precise
    return day or precise


def _drop_title_heading(body: str, title: str) -> str:
    """trafilatura sometimes keeps the page's `<h1>`: it is the title, not the body."""
    first, _, rest = body.partition("\n\n")
    if first.startswith("# ") and normalize_space(unescape_markdown(first[2:])) == title:
        return rest
    return body
