"""Every page of the seed briefing passes the Nu Html Checker with zero errors.

The seed site is checked as is, and once more with entries that stress the
theme (another language, a shared story, tables, images, long words).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tools import build_project, require_vnu

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_vnu()  # before building: no build when the checker is missing
    root = tmp_path_factory.mktemp("html-valid")
    return {
        "seed": build_project(root / "seed", root / "seed-site"),
        "stress": build_project(root / "stress", root / "stress-site", stress=True),
    }


def vnu_errors(java: str, jar: Path, *folders: Path) -> list[dict[str, object]]:
    result = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *map(str, folders),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors
    assert result.stderr.strip(), f"vnu said nothing (exit {result.returncode}): {result.stdout}"
    messages: list[dict[str, object]] = json.loads(result.stderr)["messages"]
    return messages


def test_every_page_of_the_seed_site_is_valid_html(built: dict[str, Path]) -> None:
    java, jar = require_vnu()
    pages = {kind: sorted(site.rglob("*.html")) for kind, site in built.items()}
    # every kind of page is there, so that a page missing from the build cannot pass unseen
    for kind, files in pages.items():
        routes = {p.relative_to(built[kind]).as_posix() for p in files}
        assert {
            "index.html",
            "404.html",
            "dates/index.html",
            "topics/index.html",
            "sources/index.html",
            "tags/index.html",
            "stories/index.html",
        } <= routes, kind
        for folder in ("articles/", "topics/", "tags/", "sources/", "dates/", "stories/"):
            assert sum(r.startswith(folder) for r in routes) >= 2, (kind, folder)
    assert any("/page/2/" in p.as_posix() for p in pages["stress"])
    errors = vnu_errors(java, jar, *built.values())
    shown = "\n".join(
        f"{str(m.get('url', '')).rsplit('-site/', 1)[-1]}:{m.get('lastLine', '?')}: "
        f"{m.get('type')}: {m.get('message')}\n    {m.get('extract', '')!r}"
        for m in errors
    )
    assert errors == [], f"{len(errors)} vnu errors:\n{shown}"


def test_vnu_reports_an_invalid_page(tmp_path: Path) -> None:
    """The checker as called here does catch errors (so that an empty report means valid)."""
    java, jar = require_vnu()
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html lang=fr><title>x</title><main><main></main></main><p id=a id=a>",
        encoding="utf-8",
    )
    assert vnu_errors(java, jar, tmp_path)
