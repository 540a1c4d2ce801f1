"""HTML (an article's main text, or a feed item's content) -> clean Markdown.

Kept: paragraphs, headings, lists (nested too), block quotes, links (http,
https and mailto), emphasis, code, line breaks and simple tables as rows of
text. Everything else keeps only its text. Text is escaped so that it renders
as itself.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "pre", "table", "tr", "hr", "body", "html", "dl", "dt", "dd", "center",
}  # fmt: skip
DROPPED = {"script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav"}
SPACE = re.compile(r"\s+")
BREAK = "\x00br\x00"  # a hard line break, until blanks are collapsed
BREAKS = re.compile(f"(?:{BREAK})+")


def html_to_markdown(html: str, *, base_url: str = "") -> str:
    """Markdown for an HTML fragment or page; "" when it holds no text."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    blocks = _blocks(root, base_url)
    return "\n\n".join(block for block in blocks if block.strip()) + "\n" if blocks else ""


def _blocks(element: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """The Markdown blocks of `element` and its children."""
    tag = _tag(element)
    if tag in DROPPED:
        return []
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _inline(element, base_url)
        return [f"{'#' * int(tag[1])} {text}"] if text else []
    if tag in ("ul", "ol") and any(_tag(child) == "li" for child in element):
        return [_list(element, base_url, ordered=tag == "ol", indent="")]
    if tag == "blockquote":
        inner = _children_blocks(element, base_url)
        quoted = "\n\n".join(inner)
        return ["\n".join(("> " + line).rstrip() for line in quoted.splitlines())] if inner else []
    if tag == "pre":
        code = element.text_content().strip("\n")
        fence = "`" * max(3, longest_backtick_run(code) + 1)
        return [f"{fence}\n{code}\n{fence}"] if code.strip() else []
    if tag == "hr":
        return ["---"]
    if tag == "table":
        rows = [
            " | ".join(_inline(cell, base_url) for cell in row.xpath("./th|./td"))
            for row in element.iter("tr")
        ]
        # cells are escaped already: only a row's start could read as a block marker
        return [_escape_block_start(row) for row in rows if row.strip(" |")]
    if tag in BLOCKS and _has_block_child(element):
        return _children_blocks(element, base_url)
    text = _inline(element, base_url)
    return [text] if text else []


def _children_blocks(element: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """Blocks of the children; loose text between block children becomes paragraphs."""
    blocks: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = _collapse("".join(loose))
        if text:
            blocks.append(_escape_block_start(text))
        loose.clear()

    if element.text:
        loose.append(_escape_inline(element.text))
    for child in element:
        if not isinstance(child.tag, str):
            loose.append(_escape_inline(child.tail or ""))
            continue
        if _tag(child) in BLOCKS:
            flush()
            blocks.extend(_blocks(child, base_url))
        else:
            loose.append(_inline_element(child, base_url))
        if child.tail:
            loose.append(_escape_inline(child.tail))
    flush()
    return blocks


def _list(element: lxml.html.HtmlElement, base_url: str, *, ordered: bool, indent: str) -> str:
    lines: list[str] = []
    number = 1
    for item in element:
        if _tag(item) != "li":
            continue
        marker = f"{number}." if ordered else "-"
        number += 1
        text_parts = [_escape_inline(item.text or "")]
        nested: list[str] = []
        for child in item:
            if not isinstance(child.tag, str):
                continue
            if _tag(child) in ("ul", "ol"):
                inner = indent + " " * (len(marker) + 1)
                nested.append(_list(child, base_url, ordered=_tag(child) == "ol", indent=inner))
            elif _tag(child) in BLOCKS:  # a heading and a paragraph in one item: two lines
                text_parts.append(BREAK + _inline_raw(child, base_url) + BREAK)
            else:
                text_parts.append(_inline_element(child, base_url))
            text_parts.append(_escape_inline(child.tail or ""))
        text = _collapse("".join(text_parts))
        lines.append(f"{indent}{marker} {text}".rstrip())
        lines.extend(nested)
    return "\n".join(lines)


def _collapse(text: str) -> str:
    """Runs of blanks become one space; a hard line break survives between words only
    (one for a run of them, none at either end: no lone `\\` lines)."""
    text = SPACE.sub(" ", text).strip().replace(f" {BREAK} ", BREAK)
    text = BREAKS.sub(BREAK, text.replace(f"{BREAK} ", BREAK).replace(f" {BREAK}", BREAK))
    text = text.removeprefix(BREAK).removesuffix(BREAK).strip()
    first, *rest = text.split(BREAK)  # a line after a break could open a list, a heading…
    return "\\\n".join([first, *(_escape_block_start(line) for line in rest)])


def longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall("`+", text)), default=0)


def code_span(code: str) -> str:
    """Inline code whose delimiters no backtick inside can close (CommonMark 6.1)."""
    code = " ".join(code.split())
    if not code:
        return ""
    ticks = "`" * (longest_backtick_run(code) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _inline(element: lxml.html.HtmlElement, base_url: str) -> str:
    return _escape_block_start(_collapse(_inline_raw(element, base_url)))


def _inline_element(element: lxml.html.HtmlElement, base_url: str) -> str:
    tag = _tag(element)
    if tag in DROPPED or tag == "img":
        return ""
    if tag == "br":
        return BREAK
    inner = SPACE.sub(" ", _inline_raw(element, base_url)).replace(f" {BREAK} ", BREAK)
    if not inner.strip():
        return inner
    lead, core, trail = _split_space(inner)
    if tag in ("strong", "b"):
        return f"{lead}**{core}**{trail}"
    if tag in ("em", "i", "cite"):
        return f"{lead}*{core}*{trail}"
    if tag == "code":
        return f"{lead}{code_span(element.text_content())}{trail}"
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href and base_url:
            href = urljoin(base_url, href)
        if href.startswith(("http://", "https://", "mailto:")):
            href = href.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
            return f"{lead}[{core}]({href}){trail}"
    return inner


def _inline_raw(element: lxml.html.HtmlElement, base_url: str) -> str:
    parts = [_escape_inline(element.text or "")]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_inline_element(child, base_url))
        parts.append(_escape_inline(child.tail or ""))
    return "".join(parts)


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return (" " if lead else ""), core, (" " if trail else "")


_INLINE = re.compile(r"([\\`*_\[\]<])")


def _escape_inline(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def _escape_block_start(text: str) -> str:
    found = re.match(r"^(#|>|[-+=|~](?=\s|$)|\d+[.)](?=\s|$))", text)
    if not found:
        return text
    marker = found.group(1)
    if marker[0].isdigit():
        return marker[:-1] + "\\" + text[len(marker) - 1 :]
    return "\\" + text


def _has_block_child(element: lxml.html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and _tag(child) in BLOCKS for child in element)


def _tag(element: lxml.html.HtmlElement) -> str:
    tag = element.tag
    return tag.lower().rsplit("}", 1)[-1] if isinstance(tag, str) else ""
