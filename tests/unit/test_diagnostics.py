from __future__ import annotations

import pytest

from briefgen.diagnostics import BriefgenError, Diagnostic, Severity, error, has_errors, warning


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
