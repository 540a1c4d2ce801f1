"""`links_only: true`: a briefing that must not republish articles shows each entry as
its headline, summary and link, on its page and in the feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

ENTRY = """\
---
title: "Markets rally as rates fall"
date: 2023-09-14
updated: 2023-09-15T10:00:00+08:00
source:
  name: "Harbour Post"
  url: "https://www.harbour-post.example/business/markets-rally"
summary: "Shares rose across Asia after the central bank cut."
---
The full text, which this briefing may not republish: quarterly figures follow.
"""


@pytest.mark.parametrize("links_only", [True, False])
def test_links_only_shows_headline_summary_and_link(tmp_path: Path, links_only: bool) -> None:
    setting = "true" if links_only else "false"
    (tmp_path / "briefgen.yaml").write_text(
        f"title: T\nlanguage: en\nlinks_only: {setting}\n", encoding="utf-8"
    )
    entry = tmp_path / "content" / "2023" / "09" / "14-markets.md"
    entry.parent.mkdir(parents=True)
    entry.write_text(ENTRY, encoding="utf-8")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "updated" not in result.stderr  # the optional field written by import is known
    pages = [p for p in (tmp_path / "site").rglob("*.html") if "markets" in p.as_posix()]
    assert pages, "the entry's page"
    page = pages[0].read_text(encoding="utf-8")
    feed = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "Shares rose across Asia after the central bank cut." in page
    assert "https://www.harbour-post.example/business/markets-rally" in page
    assert ("quarterly figures follow" in page) is not links_only
    assert ("quarterly figures follow" in feed) is not links_only
