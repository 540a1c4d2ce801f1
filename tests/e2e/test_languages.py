"""The theme's language: a German site in German, one language per line, the English fallback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_cli

Project = Callable[[dict[str, str | bytes]], Path]

ENGLISH = """\
---
title: "Russia and North Korea weigh military cooperation"
date: 2023-09-14T16:50:56+02:00
source: {name: The Wire, url: "https://wire.example/kim"}
author: Ann Author
lang: en
topics: [Diplomacy]
tags: [Kim Jong Un]
summary: "Kim assured Putin of his support."
---
The North Korean leader met Putin.
"""
ITALIAN = ENGLISH.replace("lang: en", "lang: it").replace("Diplomacy", "Diplomazia")


def build(project: Project, language: str, entries: dict[str, str]) -> tuple[Path, str]:
    root = project({"briefgen.yaml": f"title: Revue\nlanguage: {language}\n", **entries})
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site", result.stderr


def test_a_german_site_speaks_german(make_project: Project) -> None:
    site, _ = build(make_project, "de", {"content/a.md": ENGLISH.replace("lang: en", "lang: de")})
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in home
    assert "Zum Inhalt springen" in home
    assert '<nav class="site-nav" aria-label="Hauptnavigation">' in home
    assert ">Themen</a>" in home and ">Chronik</a>" in home and ">Quellen</a>" in home
    assert "1\u00a0Artikel" in home
    assert "Donnerstag, 14. September 2023" in home
    article = site / "articles/a/index.html"
    text = article.read_text(encoding="utf-8")
    assert re.search(r"Veröffentlicht am <time datetime=\"2023-09-14T16:50:56\+02:00\">"
                     r"14\. September 2023", text)  # fmt: skip
    assert "Von Ann Author" in text and "Original lesen" in text
    assert (site / "404.html").read_text(encoding="utf-8").count("Seite nicht gefunden") == 2


def test_an_english_entry_on_a_french_site_keeps_one_language_per_line(
    make_project: Project,
) -> None:
    site, _ = build(make_project, "fr", {"content/a.md": ENGLISH})
    page = site / "articles/a/index.html"
    text = page.read_text(encoding="utf-8")
    # the page is in the entry's language, the site's furniture around it in the site's
    assert '<html lang="en">' in text
    assert '<article class="entry" lang="en" data-pagefind-body' in text
    assert '<header class="site-header" lang="fr">' in text
    assert '<footer class="site-footer" lang="fr">' in text
    # the entry's own page: its label and date in its language, never "Publié le September 14"
    assert (
        '<p class="meta" data-pagefind-ignore>Published on '
        '<time datetime="2023-09-14T16:50:56+02:00">' in text
    )
    assert "Publié le" not in text
    assert "By Ann Author" in text
    # a list of the French site: the card says lang="en", its date and labels are French
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<article class="item item-timed" lang="en">' in home
    # (the time in the site's zone, UTC by default, named)
    assert (
        '<p class="item-time" lang="fr"><time datetime="2023-09-14T16:50:56+02:00">14:50</time>'
        ' <span class="zone">UTC</span>' in home
    )
    assert (
        '<p class="item-foot" lang="fr"><a class="original" href="https://wire.example/kim" '
        'rel="noopener">Lire l’article original' in home
    )
    assert "jeudi 14 septembre 2023" in home and "September" not in home


def test_a_language_without_catalog_falls_back_to_english_and_says_so_once(
    make_project: Project,
) -> None:
    site, stderr = build(make_project, "it", {"content/a.md": ITALIAN})
    assert stderr.count("no UI catalog") == 1
    assert (
        "briefgen.yaml: warning: language: no UI catalog for 'it' (catalogs: de, en, es, fr); "
        "the theme's words are in English"
    ) in stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in home and "Skip to content" in home
    page = site / "articles/a/index.html"
    text = page.read_text(encoding="utf-8")
    # the labels fell back to English, so the date on their line is English too
    assert '<div class="byline" lang="en">' in text
    assert "Published on <time" in text and "September 14, 2023" in text
