"""Bytes -> text: byte-order marks, UTF-8, a declared charset, then Windows-1252.

Text copied from web pages arrives as UTF-8 (with or without a BOM), UTF-16
with a BOM, or in the legacy Windows-1252 / Latin-1 code pages. Binary files
are refused: they hold NUL bytes or many control characters.
"""

from __future__ import annotations

import codecs
import contextlib
import re

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF = 8192
DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]*encoding\s*=\s*["'])([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not text (the message says why, for the user)."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding used) for `data`; raises `DecodeError` for binary data."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} text after its byte-order mark") from exc
    head = data[:SNIFF]
    if b"\x00" in head or len(CONTROL.findall(head)) > max(2, len(head) // 100):
        raise DecodeError("binary file (expected text, HTML or a feed)")
    candidates = ["utf-8"]
    declared = DECLARED.search(head)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(name).name)
    candidates += ["cp1252", "latin-1"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError("cannot decode the text")  # pragma: no cover - latin-1 decodes anything
