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


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "---\n" + "\n".join(lines) + f"\ndraft: *a{levels - 1}\n---\n"


@pytest.mark.parametrize("levels", [6, 9, 30])
def test_aliases_that_expand_past_the_limit_are_refused_before_building(levels: int) -> None:
    # 9**30 values: only counting without expanding can answer at all
    document, problems = split(billion_laughs(levels), "a.md")
    assert document is None
    assert [str(p) for p in problems] == [
        "a.md:2: error: invalid YAML: aliases expand to more than 100,000 values "
        "(expected plain values; `*name` aliases sparingly)"
    ]


def test_aliases_under_the_limit_are_values_like_any_other() -> None:
    document, problems = split(billion_laughs(4), "a.md")  # 9**4 = 6,561 values, twice
    assert problems == [] and document is not None
    assert len(document.meta.data["draft"]) == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [*a]", "an alias refers to the value that contains it"),
        ("a: &a {b: *a}", "an alias refers to the value that contains it"),
        ("a: " + "[" * 60000 + "]" * 60000, "values nested too deeply"),
        ("a: " + "{b: " * 60000 + "}" * 60000, "values nested too deeply"),
    ],
)
def test_self_reference_and_deep_nesting_are_one_error(text: str, message: str) -> None:
    document, problems = split(f"---\n{text}\n---\n", "a.md")
    assert document is None and len(problems) == 1
    assert message in str(problems[0])


def test_an_integer_too_long_for_python_stays_text() -> None:
    document, problems = split("---\nn: " + "9" * 5000 + "\nm: 12\n---\n", "a.md")
    assert problems == [] and document is not None
    assert document.meta.data == {"n": "9" * 5000, "m": 12}


DEEP = "# " + "[" * 1001 + "\n"  # enough nesting marks for the pure-Python loader


@pytest.mark.parametrize("mark", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("loader", ["C", "Python"])
def test_yaml_s_other_line_ends_do_not_shift_file_lines(mark: str, loader: str) -> None:
    """YAML 1.1 ends a line at NEL, LS and PS too; editors and messages do not."""
    head = DEEP if loader == "Python" else ""
    text = (
        f'---\n{head}title: "Un{mark}titre"\nlang: fr\nsource:\n  url: x\nlang: en\n---\nCorps.\n'
    )
    document, problems = split(text, "a.md")
    base = 3 if head else 2  # the title's line
    assert document is not None and document.body_line == base + 6
    assert document.meta.line("lang") == base + 1
    assert document.meta.line("source.url") == base + 3
    assert [str(p) for p in problems] == [
        f"a.md:{base + 4}: error: lang: duplicate key (first given on line {base + 1}; "
        "expected each key once)"
    ]
    broken = f"---\n{head}title: 'Un{mark}titre'\ntags: [a, b\n---\n"
    _, problems = split(broken, "a.md")
    assert [p.line for p in problems] == [base + 1]


def test_only_cr_and_lf_end_a_file_s_lines() -> None:
    document, problems = split("---\ntitle: 'a\u2029b'\n---\nCorps\x0c.\n", "a.md")
    assert problems == [] and document is not None
    assert document.body == "Corps\x0c.\n" and document.body_line == 4
    document, _ = split("---\rtitle: x\r\n---\rCorps.\r", "a.md")  # old Mac and Windows ends
    assert document is not None and document.body == "Corps.\r" and document.body_line == 4
