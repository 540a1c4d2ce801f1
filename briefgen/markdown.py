"""One configured markdown-it: CommonMark, tables, footnotes, raw HTML off.

Raw HTML in a body is shown as text unless the site sets `unsafe_html: true`.
The body's headings are moved so that its top level is h2 (the entry's title
is the page's h1) and no level is skipped from the title down. Links that
leave the site get `rel="noopener"`; markdown-it already refuses
`javascript:`, `vbscript:`, `file:` and most `data:` link targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.printable import printable


@dataclass(frozen=True)
class Rendered:
    html: str
    first_paragraph: str  # plain text of the first paragraph, for summaries
    words: int


def _link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "").lstrip().lower()
    if href.startswith(("http://", "https://", "//")):
        token.attrSet("rel", "noopener")
    result: str = self.renderToken(tokens, idx, options, env)
    return result


def make_parser(*, unsafe_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": unsafe_html, "typographer": False, "xhtmlOut": False})
    md.enable("table")
    md.enable("strikethrough")
    md.use(footnote_plugin)
    md.add_render_rule("link_open", _link_open)
    return md


def _plain(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def render(md: MarkdownIt, text: str) -> Rendered:
    """The body as HTML, without the characters XML and HTML may not hold."""
    tokens = md.parse(printable(text), {})
    first = ""
    words = 0
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = 2 - min(levels) if levels else 0
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            # the page's title is its only h1: the body's top headings become h2
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"
        elif token.type == "inline":
            plain = _plain(token)
            words += len(plain.split())
            if not first and index and tokens[index - 1].type == "paragraph_open":
                first = plain
    html = md.renderer.render(tokens, md.options, {})
    return Rendered(html=html, first_paragraph=first, words=words)
