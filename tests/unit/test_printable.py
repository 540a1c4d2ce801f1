from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import fields
from briefgen.markdown import make_parser, render
from briefgen.printable import UNPRINTABLE, printable


def test_control_characters_are_removed_and_whitespace_kept() -> None:
    assert printable("a\x00b\x01c\x1bd\x7fe\x85f\x9fg\ufffeh\uffff") == "abcdefgh"
    assert printable("tab\tline\nreturn\r") == "tab\tline\nreturn\r"
    assert printable("Coopération — 🔥") == "Coopération — 🔥"


def test_entry_text_fields_and_bodies_are_cleaned_where_they_enter() -> None:
    assert fields.text("Bad \x01\x1b[31m title\x7f") == ("Bad [31m title", "")
    assert fields.text("\x01\x02", required=True) == ("", "missing (expected a non-empty string)")
    assert fields.string_list(["C\x04", "\x05"]) == (("C",), "")
    rendered = render(make_parser(), "Body \x01 text \x0b end\n\nMore.\n")
    assert rendered.html == "<p>Body  text  end</p>\n<p>More.</p>\n"
    assert rendered.first_paragraph == "Body text end"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_once_cleaned_is_valid_xml(text: str) -> None:
    cleaned = printable(text)
    assert not UNPRINTABLE.search(cleaned)
    ET.fromstring(f"<t a='{escape(cleaned)}'>{escape(cleaned)}</t>".encode())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_body_renders_to_printable_html(body: str) -> None:
    rendered = render(make_parser(), body)
    assert not UNPRINTABLE.search(rendered.html)
    assert not UNPRINTABLE.search(rendered.first_paragraph)
