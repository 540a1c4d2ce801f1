"""`updated:` (the last modification, written by import) on the article page and in the feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

CONFIG = "title: T\nlanguage: {lang}\ntimezone: Europe/Paris\nbase_url: https://t.example/\n"
UPDATED = """\
---
title: "Harbour plan approved"
date: 2023-09-14T08:00:00+02:00
updated: 2023-09-15T10:00:00+08:00
source: {name: Harbour Post, url: "https://harbour-post.example/plan"}
---
The committee approved the plan.
"""
UNCHANGED = """\
---
title: "Ferries resume"
date: 2023-09-13T09:00:00+02:00
updated: 2023-09-13T07:00:00Z
source: {name: Harbour Post, url: "https://harbour-post.example/ferries"}
---
The ferries sail again.
"""


def build(tmp_path: Path, lang: str) -> Path:
    (tmp_path / "briefgen.yaml").write_text(CONFIG.format(lang=lang), encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "plan.md").write_text(UPDATED, encoding="utf-8")
    (content / "ferries.md").write_text(UNCHANGED, encoding="utf-8")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "updated" not in result.stderr
    return tmp_path / "site"


def page_of(site: Path, slug: str) -> str:
    (path,) = [p for p in site.rglob("index.html") if p.parent.name == slug]
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "label", "time"),
    [
        ("en", "Updated", "4:00\u202fAM"),
        ("fr", "Mis à jour le", "04:00"),
        ("de", "Aktualisiert am", "04:00"),
        ("es", "Actualizado el", "4:00"),
    ],
)
def test_the_page_shows_the_update_beside_the_publication(
    tmp_path: Path, lang: str, label: str, time: str
) -> None:
    site = build(tmp_path, lang)
    meta = re.search(r'<p class="meta"[^>]*>(.*?)</p>', page_of(site, "plan"), re.S)
    assert meta is not None
    published, _, updated = meta.group(1).partition('<span class="updated">')
    assert '<time datetime="2023-09-14T08:00:00+02:00">' in published
    assert updated.startswith(f' · {label} <time datetime="2023-09-15T10:00:00+08:00">')
    assert f"{time}</time>" in updated  # in the site's zone, as the published time
    # the same moment as the publication: nothing more to say
    assert 'class="updated"' not in page_of(site, "ferries")


def test_the_feed_says_updated_and_published_apart(tmp_path: Path) -> None:
    feed = (build(tmp_path, "en") / "feed.xml").read_text(encoding="utf-8")
    entries = re.findall(r"<entry .*?</entry>", feed, re.S)
    plan = next(e for e in entries if "Harbour plan approved" in e)
    ferries = next(e for e in entries if "Ferries resume" in e)
    assert "<published>2023-09-14T08:00:00+02:00</published>" in plan
    assert "<updated>2023-09-15T10:00:00+08:00</updated>" in plan
    assert "<published>2023-09-13T09:00:00+02:00</published>" in ferries
    assert "<updated>2023-09-13T09:00:00+02:00</updated>" in ferries
    head = feed.split("<entry", 1)[0]
    assert "<updated>2023-09-15T10:00:00+08:00</updated>" in head  # the latest change


def test_the_sitemap_gives_the_last_modification(tmp_path: Path) -> None:
    sitemap = (build(tmp_path, "en") / "sitemap.xml").read_text(encoding="utf-8")
    plan = re.search(r"<url><loc>[^<]*/plan/</loc><lastmod>([^<]+)</lastmod>", sitemap)
    ferries = re.search(r"<url><loc>[^<]*/ferries/</loc><lastmod>([^<]+)</lastmod>", sitemap)
    assert plan is not None and ferries is not None, sitemap[:600]
    assert plan.group(1) == "2023-09-15T10:00:00+08:00"
    assert ferries.group(1) == "2023-09-13T09:00:00+02:00"
