from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from briefgen.bodies import Store, render_bodies, summary_of
from briefgen.config import load_config
from briefgen.diagnostics import sort_diagnostics
from briefgen.loader import load_entries

CASES = Path(__file__).resolve().parent.parent / "cases" / "entries.txt"
CONFIG = "language: fr\ntimezone: Europe/Paris\n"


@dataclass
class Case:
    name: str
    line: int
    text: str
    expected: list[str]


def read_cases(path: Path) -> list[Case]:
    """Parse the fixture file: name, `.`, input, `.`, expected lines, `.`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or line.startswith("#"):
            index += 1
            continue
        name, start = line, index + 1
        assert lines[index + 1] == ".", f"{path}:{index + 2}: expected '.'"
        end_input = lines.index(".", index + 2)
        end_expected = lines.index(".", end_input + 1)
        text = "\n".join(lines[index + 2 : end_input]) + "\n"
        expected = lines[end_input + 1 : end_expected]
        cases.append(Case(name, start, text, expected))
        index = end_expected + 1
    return cases


@pytest.mark.parametrize("case", read_cases(CASES), ids=lambda c: f"L{c.line}-{c.name}")
def test_entry_cases(case: Case, make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": CONFIG, "content/case.md": case.text})
    _, diagnostics = load_entries(load_config(project))
    found = [str(d) for d in sort_diagnostics(diagnostics)]
    assert sorted(found) == sorted(case.expected), f"{CASES}:{case.line}: {case.name}"


def test_collects_problems_of_every_file(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "content/a.md": "---\ntitle: A\ndate: bad\n---\n",
            "content/sub/b.md": "---\ntitle: B\ndate: 2023-13-01\n---\n",
            "content/c.md": b"---\ntitle: \xe9t\xe9\n---\n",
        }
    )
    _, diagnostics = load_entries(load_config(project))
    assert [str(d) for d in sort_diagnostics(diagnostics) if d.is_error] == [
        "content/a.md:3: error: date: expected YYYY-MM-DD or an ISO 8601 date-time, got 'bad'",
        "content/c.md:2: error: not valid UTF-8 text (expected a UTF-8 Markdown file)",
        "content/sub/b.md:3: error: date: expected YYYY-MM-DD or an ISO 8601 date-time, "
        "got '2023-13-01'",
    ]


def entry_file(title: str, when: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\ndate: {when}\nsource: {{name: A, url: 'https://a.example/'}}\n"
        f"summary: S\n{extra}---\nCorps.\n"
    )


def test_slug_comes_from_the_file_name_without_its_day(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "content/2023/09/14-cooperation-militaire.md": entry_file("T", "2023-09-14"),
            "content/2023/09/2023-09-15-suite.md": entry_file("T", "2023-09-15"),
            "content/autre.md": entry_file("T", "2023-09-16", "slug: choisi\n"),
        }
    )
    entries, _ = load_entries(load_config(project))
    assert sorted(e.slug for e in entries) == ["choisi", "cooperation-militaire", "suite"]


def test_two_entries_with_one_slug_are_an_error(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "content/a/14-meme.md": entry_file("T", "2023-09-14"),
            "content/b/15-meme.md": entry_file("T", "2023-09-15"),
        }
    )
    _, diagnostics = load_entries(load_config(project))
    assert [str(d) for d in diagnostics] == [
        "content/b/15-meme.md:1: error: slug: the slug 'meme' is already used by "
        "content/a/14-meme.md (expected a unique `slug:` or file name)"
    ]


def test_naive_times_are_in_the_site_time_zone(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {"briefgen.yaml": CONFIG, "content/a.md": entry_file("T", "2023-09-14 23:30:00")}
    )
    entries, _ = load_entries(load_config(project))
    assert entries[0].date.isoformat() == "2023-09-14T23:30:00+02:00"
    assert entries[0].has_time


def test_a_date_only_entry_has_no_time(make_project: Callable[..., Path]) -> None:
    project = make_project({"briefgen.yaml": CONFIG, "content/a.md": entry_file("T", "2023-09-14")})
    entries, _ = load_entries(load_config(project))
    assert entries[0].date.date() == date(2023, 9, 14)
    assert not entries[0].has_time


def test_drafts_are_left_out_unless_asked(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "content/a.md": entry_file("T", "2023-09-14", "draft: true\n"),
            "content/b.md": entry_file("U", "2023-09-14"),
        }
    )
    config = load_config(project)
    assert [e.slug for e in load_entries(config)[0]] == ["b"]
    assert sorted(e.slug for e in load_entries(config, drafts=True)[0]) == ["a", "b"]


def test_summary_defaults_to_the_first_paragraph(make_project: Callable[..., Path]) -> None:
    text = (
        "---\ntitle: T\ndate: 2023-09-14\n---\n## Titre\n\nLe *premier* paragraphe.\n\nLe second.\n"
    )
    project = make_project({"content/a.md": text})
    entries, _ = load_entries(load_config(project))
    assert entries[0].summary == ""  # the model keeps what the file says
    bodies = render_bodies(entries, unsafe_html=False, summaries={}, store=Store())
    assert summary_of(entries[0], bodies) == "Le premier paragraphe."


def test_topics_and_authors_accept_a_single_string(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {"content/a.md": entry_file("T", "2023-09-14", "topics: Défense\nauthor: A. Nado\n")}
    )
    entry = load_entries(load_config(project))[0][0]
    assert entry.topics == ("Défense",)
    assert entry.authors == ("A. Nado",)


def test_the_day_is_taken_in_the_site_time_zone(make_project: Callable[..., Path]) -> None:
    # 23:30 at -08:00 is 08:30 the next morning in Paris; a date-only entry keeps its day
    project = make_project(
        {
            "briefgen.yaml": CONFIG,
            "content/late.md": entry_file("T", "2023-09-13T23:30:00-08:00"),
            "content/plain.md": entry_file("T", "2023-09-13"),
        }
    )
    entries = {e.slug: e for e in load_entries(load_config(project))[0]}
    assert entries["late"].day == date(2023, 9, 14)
    assert entries["late"].date.isoformat() == "2023-09-13T23:30:00-08:00"
    assert entries["plain"].day == date(2023, 9, 13)


@pytest.mark.parametrize(("name", "slug"), [("con", "con-entry"), ("2023-09-14-NUL", "nul-entry")])
def test_a_file_named_as_a_windows_device_gets_another_slug(
    name: str, slug: str, make_project: Callable[..., Path]
) -> None:
    project = make_project({f"content/{name}.md": entry_file("T", "2023-09-14")})
    entries, diagnostics = load_entries(load_config(project))
    assert [e.slug for e in entries] == [slug]
    assert not [d for d in diagnostics if d.is_error]


def test_updated_follows_the_date_rules(make_project: Callable[..., Path]) -> None:
    """A naive `updated` is in the site's zone; a day alone has no time; shown only when it
    says more than `date`."""
    files = {
        "content/a.md": "---\ntitle: A\ndate: 2023-09-14T08:00:00+02:00\n"
        "updated: 2023-09-15 09:30\n---\n",
        "content/b.md": "---\ntitle: B\ndate: 2023-09-14T08:00:00+02:00\n"
        "updated: 2023-09-16\n---\n",
        "content/c.md": "---\ntitle: C\ndate: 2023-09-14T08:00:00+02:00\n"
        "updated: 2023-09-14T06:00:00Z\n---\n",  # the same moment
        "content/d.md": "---\ntitle: D\ndate: 2023-09-14T08:00:00+02:00\n"
        "updated: 2023-09-14\n---\n",
        "content/e.md": "---\ntitle: E\ndate: 2023-09-14\n---\n",
    }
    project = make_project({"briefgen.yaml": CONFIG, **files})
    entries, _ = load_entries(load_config(project))
    by_title = {entry.title: entry for entry in entries}
    a, b = by_title["A"], by_title["B"]
    assert a.updated is not None and a.updated.isoformat() == "2023-09-15T09:30:00+02:00"
    assert a.updated_has_time and a.revised is not None and a.revised.date == a.updated
    assert b.updated is not None and not b.updated_has_time
    assert b.revised is not None and not b.revised.has_time and b.last_modified == b.revised
    assert by_title["C"].updated is not None and by_title["C"].revised is None
    assert by_title["D"].revised is None  # the same day, given alone
    e = by_title["E"]
    assert e.updated is None and e.revised is None and e.last_modified is e
