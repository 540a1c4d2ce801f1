"""Typography of displayed text: French spacing, and a summary that repeats its headline.

French sets a space inside guillemets and before `:` `;` `!` `?`; written as a
plain space, a line may break there and leave `«` or `?` alone at a line's end
or start. `french_spacing` makes those spaces non-breaking (a narrow one before
`;` `!` `?`, as the Imprimerie nationale has it, a full one inside guillemets
and before `:`). `french_spacing_html` does the same to the text of an HTML
fragment, leaving tags, attributes and code alone.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_CLOSING = re.compile(r"[ \t\u00a0\u202f]*»")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \t\u00a0\u202f]+:(?=\s|$)")
_BEFORE_MARK = re.compile(r"(?<=\S)[ \t\u00a0\u202f]+([;!?])")
_MARKS = frozenset("«»:;!?")  # a text without any of them is left as it is, untouched
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = ("pre", "code", "kbd", "samp", "script", "style", "textarea")
_PUNCTUATION = " \t\n.,;:!?…«»\"'“”‘’()[]–—-"


def is_french(lang: str) -> bool:
    return lang.split("-")[0].lower() == "fr"


def french_spacing(text: str, lang: str = "fr") -> str:
    """`text` with non-breaking spaces where French typography wants them (if `lang` is French)."""
    if not is_french(lang) or not text or not _MARKS.intersection(text):
        return text
    text = _OPENING.sub("«" + NBSP, text)
    text = _CLOSING.sub(NBSP + "»", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    return _BEFORE_MARK.sub(NNBSP + r"\1", text)


def french_spacing_html(html: str, lang: str = "fr") -> str:
    """`french_spacing` applied to the text between the tags of `html`, not inside code."""
    if not is_french(lang) or not html:
        return html
    parts = _TAG.split(html)
    verbatim = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">/").lower() if part[1:] else ""
            if name in _VERBATIM and not part.endswith("/>"):
                verbatim += -1 if part.startswith("</") else 1
                verbatim = max(verbatim, 0)
        elif not verbatim and part:
            parts[index] = french_spacing(part)
    return "".join(parts)


def _words(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").split()).casefold()


def summary_beyond_title(summary: str, title: str) -> str:
    """The summary less a leading word-for-word repeat of the title ('' when that is all)."""
    if not summary or not title:
        return summary
    folded, heading = _words(summary), _words(title).strip(_PUNCTUATION)
    if not heading or not folded.startswith(heading):
        return summary
    # walk the original summary as far as the heading's words go
    consumed, position = 0, 0
    target = len(heading.replace(" ", ""))
    while position < len(summary) and consumed < target:
        if not summary[position].isspace():
            consumed += 1
        position += 1
    rest = summary[position:].lstrip(_PUNCTUATION)
    return rest[:1].upper() + rest[1:] if rest else ""
