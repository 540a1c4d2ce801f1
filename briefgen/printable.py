"""Text fit for XML and HTML: the characters neither may hold are removed.

XML 1.0 forbids the C0 controls other than tab, line feed and carriage return,
lone surrogates and U+FFFE/U+FFFF; HTML calls the C0 and C1 controls parse
errors. A title holding one would make `feed.xml` unreadable to every feed
reader. Text is cleaned once, where it enters: the converters of entry fields,
the Markdown body before it is parsed, and the config's free-text settings;
values with a shape of their own (URLs, language tags, slugs, `cname`) refuse
control characters instead. Templates then only ever see printable text.
"""

from __future__ import annotations

import re

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without the characters XML and HTML may not hold."""
    return UNPRINTABLE.sub("", text)
