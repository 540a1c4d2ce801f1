"""The main text of a page, as HTML: trafilatura first, a second opinion when it loses text.

1. What a reader cannot see is not read: elements hidden by the `hidden`
   attribute, `aria-hidden="true"` or an inline `display: none` /
   `visibility: hidden` style are dropped before any extraction (Readability
   does the same; pages hide menus, templates and duplicate teasers that way).
2. trafilatura's text (precision first, then favouring recall when it is
   short), with its own readability and jusText fallbacks.
3. A readability-style candidate (the densest block of paragraphs, scored on
   the lxml tree) is taken instead when it holds nearly every word of
   trafilatura's text and more: trafilatura then dropped paragraphs of the
   article (a paragraph the page repeats, a block after a share widget…).
   It is also taken when trafilatura finds nothing: a short note on a page
   of its own is still a text. Inside it, what Readability's names call
   furniture (`related`, `social`, `comment`… in a class or id) is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from typing import Any

from lxml import etree

_STYLE = "translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ \t\n', 'abcdefghijklmnopqrstuvwxyz')"
HIDDEN = (
    f"//*[@hidden or @aria-hidden='true' or contains({_STYLE}, 'display:none')"
    f" or contains({_STYLE}, 'visibility:hidden')]"
)
KEEP_HIDDEN = frozenset({"html", "head", "body"})  # the page itself is never dropped
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
WORDS = re.compile(f"[{CJK}]|[^\\W{CJK}]+")  # a CJK character counts as a word
# Readability.js's names of furniture, and of content that may hold such names
UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
    r"|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
    r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote",
    re.IGNORECASE,
)
MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.IGNORECASE)
HOLDS = 0.95  # share of trafilatura's words the other candidate must hold to replace it
MORE = 1.02  # … and at least this many times its words


def visible_tree(html: str) -> Any:
    """The page parsed as trafilatura parses it, without its hidden elements; None if unparsable."""
    from trafilatura.utils import load_html

    try:
        root = load_html(html)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        return None
    if root is None:
        return None
    for element in root.xpath(HIDDEN):
        if element.tag not in KEEP_HIDDEN and element.getparent() is not None:
            element.drop_tree()
    return root


def readability_html(root: Any) -> str:
    """The page's densest block of paragraphs, as HTML (trafilatura's port of Readability,
    which returns an empty element when it fails)."""
    from trafilatura.external import try_readability

    found = try_readability(deepcopy(root))
    if found is None or not len(found):
        return ""
    for element in list(found.iter()):
        if element is not found and _unlikely(element):
            element.drop_tree()
    return str(etree.tostring(found, encoding="unicode"))


def _unlikely(element: Any) -> bool:
    """Readability's rule: a class or id naming furniture (related links, share buttons,
    comments…), unless it also names the content."""
    if not isinstance(element.tag, str) or element.getparent() is None:
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(UNLIKELY.search(names)) and not MAYBE.search(names)


def text_words(html: str) -> list[str]:
    """The words of an HTML fragment's text, case folded."""
    if not html.strip():
        return []
    try:
        text = etree.fromstring(html, etree.HTMLParser()).xpath("string()")
    except (ValueError, etree.LxmlError):
        return []
    return WORDS.findall(str(text).casefold())


def prefer_other(main: str, other: str) -> bool:
    """Whether `other` should replace trafilatura's `main`: it holds nearly all of its words
    and more, or `main` is empty."""
    ours, theirs = Counter(text_words(main)), Counter(text_words(other))
    found, offered = sum(ours.values()), sum(theirs.values())
    if not offered:
        return False
    if not found:
        return True
    held = sum((ours & theirs).values())
    return held >= HOLDS * found and offered >= MORE * found
