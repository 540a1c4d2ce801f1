"""Text fit for XML and HTML: the characters neither may hold are removed.

XML 1.0 forbids the C0 controls other than tab, line feed and carriage return,
lone surrogates and U+FFFE/U+FFFF; HTML calls the C0 and C1 controls parse
errors. A title holding one would make `feed.xml` unreadable to every feed
reader, so every value a template writes goes through `printable` (the Jinja
environment's `finalize`), whatever the template.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without the characters XML and HTML may not hold (markup stays markup)."""
    if UNPRINTABLE.search(text) is None:
        return text
    cleaned = UNPRINTABLE.sub("", text)
    return Markup(cleaned) if isinstance(text, Markup) else cleaned


def finalize(value: Any) -> Any:
    """Jinja's `finalize`: strings are made printable, anything else is left as it is."""
    return printable(value) if isinstance(value, str) else value
