"""The seed briefing, compared file by file with the reviewed golden description."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.conftest import copy_seed_project, run_cli
from tests.golden.describe import describe

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "seed-site.txt"


def test_seed_site_matches_the_golden_description(seed_site: Path) -> None:
    actual = describe(seed_site)
    if os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), "golden/seed-site.txt", "built site"
        )
    )
    assert actual == expected, (
        "the seed site differs from tests/golden/seed-site.txt; review this diff and, if it "
        "is intended, regenerate with BRIEFGEN_UPDATE_GOLDEN=1 python -m pytest "
        f"tests/e2e/test_golden.py\n{diff}"
    )


THEME = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("template", "old", "new", "changed"),
    [
        # a body shown escaped: the same words, but as text with markup in it
        (
            "article.html",
            "{{ body(entry).html|typo_html(entry.lang)|safe }}",
            "{{ body(entry).html|typo_html(entry.lang) }}",
            "  body: ",
        ),
        # a feed that loses its entries' content
        ("feed.xml", "{{ body(entry).html }}", "", "  content: "),
        # a feed whose summary is cut short
        ("feed.xml", "{{ summary(entry) }}", "{{ summary(entry)|truncate(40) }}", "  summary: "),
    ],
)
def test_the_golden_description_guards_bodies_and_feed_content(
    tmp_path: Path, template: str, old: str, new: str, changed: str
) -> None:
    project = copy_seed_project(tmp_path / "project")
    source = (THEME / template).read_text(encoding="utf-8")
    assert old in source
    (project / "templates").mkdir()
    (project / "templates" / template).write_text(source.replace(old, new), encoding="utf-8")
    result = run_cli("build", "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    actual = describe(project / "site").splitlines()
    different = [line for line in set(actual) ^ set(expected) if line.startswith(changed)]
    assert different, f"describe() did not notice the change of {template}"
