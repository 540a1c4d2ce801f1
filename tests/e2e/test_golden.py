"""The seed briefing, compared file by file with the reviewed golden description."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

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
