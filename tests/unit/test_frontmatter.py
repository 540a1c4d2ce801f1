from __future__ import annotations

import pytest

from briefgen.frontmatter import split


def test_splits_front_matter_and_body_with_file_lines() -> None:
    text = "---\ntitle: Un titre\nsource:\n  name: Le Monde\n  url: https://x.fr/a\n---\nCorps.\n"
    document, problems = split(text, "a.md")
    assert problems == []
    assert document is not None
    assert document.meta.data["title"] == "Un titre"
    assert document.meta.line("title") == 2
    assert document.meta.line("source.url") == 5
    assert document.body == "Corps.\n"
    assert document.body_line == 7


def test_dates_stay_text_for_the_date_converter() -> None:
    document, _ = split("---\ndate: 2023-09-14T16:50:56+02:00\nother: 2023-13-01\n---\n", "a.md")
    assert document is not None
    assert document.meta.data == {"date": "2023-09-14T16:50:56+02:00", "other": "2023-13-01"}


def test_a_byte_order_mark_is_ignored() -> None:
    document, problems = split("\ufeff---\ntitle: x\n---\n", "a.md")
    assert problems == [] and document is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\n", "a.md:1: error: expected front matter opening with a `---` line"),
        (
            "---\ntitle: x\n",
            "a.md:2: error: front matter is not closed (expected a `---` line after it)",
        ),
        (
            "---\ntitle: x\ntags: [a, b\n---\n",
            "a.md:3:7: error: invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence)",
        ),
        ("---\n- a\n- b\n---\n", "a.md:2: error: expected a mapping of `key: value` lines"),
        (
            "---\ntitle: x\ndate: !!python/object:os.system ls\n---\n",
            "a.md:3:7: error: invalid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object:os.system'",
        ),
    ],
)
def test_reports_problems_at_file_lines(text: str, expected: str) -> None:
    document, problems = split(text, "a.md")
    assert document is None
    assert [str(p) for p in problems] == [expected]
