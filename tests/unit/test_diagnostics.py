from __future__ import annotations

import pytest

from briefgen.diagnostics import (
    BriefgenError,
    Diagnostic,
    Severity,
    clip,
    error,
    has_errors,
    quote,
    warning,
)


@pytest.mark.parametrize(
    ("diagnostic", "text"),
    [
        (
            error("content/a.md", 4, "expected YYYY-MM-DD", field="date", col=7),
            "content/a.md:4:7: error: date: expected YYYY-MM-DD",
        ),
        (
            warning("content/a.md", 1, "missing", field="summary"),
            "content/a.md:1: warning: summary: missing",
        ),
        (error("briefgen.yaml", 0, "cannot read"), "briefgen.yaml: error: cannot read"),
        (error("", 0, "no project here"), "error: no project here"),
    ],
)
def test_text_form(diagnostic: Diagnostic, text: str) -> None:
    assert str(diagnostic) == text


def test_warnings_fail_only_when_strict() -> None:
    found = [warning("a.md", 1, "missing")]
    assert not has_errors(found)
    assert has_errors(found, strict=True)
    assert has_errors([error("a.md", 1, "bad")])


def test_an_error_from_a_string() -> None:
    raised = BriefgenError("something went wrong")
    assert raised.diagnostics[0].severity is Severity.ERROR
    assert str(raised) == "error: something went wrong"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("fr", "'fr'"),
        ("fr\n", "'fr\\n'"),
        ("x" * 100, "'" + "x" * 40 + "…'"),
        ("\x1b[2J", "'\\x1b[2J'"),
        (True, "True"),
        (12, "12"),
        pytest.param(10**5000, "<int>", id="int-past-the-digit-limit"),
        (-(10**100), "-10000000000000000...0000000000000000000"),
        ([1, 2], "a list"),
        ({"a": 1}, "a mapping"),
    ],
)
def test_quote_shows_a_value_short(value: object, shown: str) -> None:
    assert quote(value) == shown


def test_quote_never_walks_a_structure_of_shared_parts() -> None:
    bomb: list[object] = ["lol"] * 9
    for _ in range(100):  # 9**100 items once expanded
        bomb = [bomb] * 9
    assert quote(bomb) == "a list"
    assert quote({"a": bomb}) == "a mapping"


def test_clip_cuts_free_text_and_field_names() -> None:
    assert clip("a" * 500) == "a" * 159 + "…"
    assert clip("short") == "short"
    long_field = error("a.md", 1, "unknown key", field="k" * 500)
    assert str(long_field) == "a.md:1: error: " + "k" * 39 + "…: unknown key"


def test_a_diagnostic_is_one_line_without_escape_codes() -> None:
    found = error("content/\x1b[2Jx.md", 3, "bad\nthing\x9b", field="a\x07")
    assert str(found) == "content/\\x1b[2Jx.md:3: error: a\\x07: bad\\x0athing\\x9b"
