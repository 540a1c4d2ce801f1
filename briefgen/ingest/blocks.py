"""The Markdown body of an HTML page or feed item, cleaned block by block.

trafilatura keeps some of a news page's furniture: the title again as the
first paragraph, image credits and pull quotes set as big headings, a lone
"Related" heading, "© Thomson Reuters 2020", "Our Standards: …". Each block
(a paragraph, a heading…) is read as plain text and dropped when a rule of
`rules.py` names it (the built-in rules and the user's `import.boilerplate`),
or when it repeats the title or, as a heading, a sentence of the text.
"""

from __future__ import annotations

import re

from briefgen.ingest.rules import Rules, normalize_space
from briefgen.ingest.text import unescape_markdown

HEADING = re.compile(r"^#{1,6}\s+")
PULL_QUOTE_WORDS = 6  # a heading this long that the text repeats is a pull quote
QUOTES = "\"'“”«»„‟‘’ "


def block_text(block: str) -> str:
    """A Markdown block as the plain text a reader sees (markers, escapes, links' URLs out)."""
    text = HEADING.sub("", block.strip())
    text = re.sub(r"\]\([^()\s]*\)", "]", text)  # [label](url) -> [label]
    text = unescape_markdown(text.replace("\\[", "\x01").replace("\\]", "\x02"))
    text = text.replace("[", "").replace("]", "").replace("\x01", "[").replace("\x02", "]")
    return normalize_space(text.replace("**", "").replace("*", ""))


def clean_blocks(body: str, title: str, rules: Rules) -> tuple[str, list[str]]:
    """The body without furniture blocks, and the names of the rules that dropped some."""
    blocks = [block for block in body.split("\n\n") if block.strip()]
    texts = [block_text(block) for block in blocks]
    folded_title = _fold(title)
    kept: list[str] = []
    dropped: list[str] = []
    for index, (block, text) in enumerate(zip(blocks, texts, strict=True)):
        reason = _reason(index, block, text, texts, folded_title, rules)
        if reason:
            dropped.append(reason)
        else:
            kept.append(block.strip("\n"))
    return ("\n\n".join(kept) + "\n" if kept else ""), dropped


def _reason(index: int, block: str, text: str, texts: list[str], title: str, rules: Rules) -> str:
    if block.lstrip().startswith(("```", "~~~", "    ")):
        return ""  # code is never furniture
    if index < 2 and title and _fold(text) == title:
        return "repeated-title"
    found = rules.furniture_rule(text) if text else None
    if found is not None:
        return found.name
    if HEADING.match(block) and _repeats_a_sentence(text, texts, index):
        return "pull-quote"
    return ""


def _repeats_a_sentence(text: str, texts: list[str], index: int) -> bool:
    words = _fold(text)
    if len(words.split()) < PULL_QUOTE_WORDS:
        return False
    return any(words in _fold(other) for number, other in enumerate(texts) if number != index)


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold().strip(QUOTES)))
