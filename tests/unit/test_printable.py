from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen.printable import UNPRINTABLE, finalize, printable


def test_control_characters_are_removed_and_whitespace_kept() -> None:
    assert printable("a\x00b\x01c\x1bd\x7fe\x85f\x9fg\ufffeh\uffff") == "abcdefgh"
    assert printable("tab\tline\nreturn\r") == "tab\tline\nreturn\r"
    assert printable("Coopération — 🔥") == "Coopération — 🔥"


def test_markup_stays_markup() -> None:
    cleaned = printable(Markup("<p>a\x01b</p>"))
    assert isinstance(cleaned, Markup) and cleaned == "<p>ab</p>"


def test_finalize_leaves_other_values_alone() -> None:
    day = date(2023, 9, 14)
    assert finalize(day) is day and finalize(3) == 3 and finalize(None) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_written_by_a_template_is_valid_xml(text: str) -> None:
    env = jinja2.Environment(autoescape=True, finalize=finalize)
    written = env.from_string("<t a='{{ v }}'>{{ v }}{{ m }}</t>").render(v=text, m=Markup(text))
    assert not UNPRINTABLE.search(written)
    if "<" not in text and "&" not in text:  # the Markup copy is raw on purpose
        ET.fromstring(written.encode("utf-8", "surrogatepass"))
