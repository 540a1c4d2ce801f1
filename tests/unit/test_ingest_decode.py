"""Bytes -> text: BOMs, UTF-8, Windows-1252, Latin-1, and binary files refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from briefgen.ingest.decode import DecodeError, decode

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
TITLE = "Sommet à Vostochny : Poutine reçoit Kim Jong Un"


def test_cp1252_quotes_dashes_and_ellipsis() -> None:
    text, encoding = decode((FIXTURES / "cp1252.txt").read_bytes())
    assert encoding == "cp1252"
    assert text.startswith(TITLE + "\n")
    assert "“sans limites” – selon" in text
    assert "s’inquiètent" in text and "Russie… et" in text


def test_latin1_text() -> None:
    text, _ = decode((FIXTURES / "latin1.txt").read_bytes())
    assert text.startswith(TITLE + "\n")
    assert "d'éventuelles livraisons" in text


def test_utf8_bom_is_removed() -> None:
    text, encoding = decode((FIXTURES / "bom.txt").read_bytes())
    assert encoding == "utf-8-sig"
    assert text.startswith(TITLE)


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_bom(bom: bytes, codec: str) -> None:
    text, _ = decode(bom + (TITLE + "\n\nTexte.").encode(codec))
    assert text == TITLE + "\n\nTexte."


def test_declared_html_charset_is_used_when_utf8_fails() -> None:
    data = '<html><head><meta charset="iso-8859-15"></head><body>€ œuvre</body></html>'
    text, encoding = decode(data.encode("iso-8859-15"))
    assert encoding == "iso8859-15"
    assert "€ œuvre" in text


def test_plain_utf8() -> None:
    assert decode("Corée du Nord".encode()) == ("Corée du Nord", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        (FIXTURES / "binary.png").read_bytes(),
        b"\x00\x01\x02text",
        bytes(range(1, 32)) * 10,
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match=r"^binary file \(expected text, HTML or a feed\)$"):
        decode(data)
