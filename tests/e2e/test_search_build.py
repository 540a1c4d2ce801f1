"""The search stage of `briefgen build` through the real CLI: cached, and loud when it fails."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_cli

Project = Callable[[dict[str, str | bytes]], Path]

ENTRY = """\
---
title: "{title}"
date: 2023-09-14T10:00:00+02:00
source: {{name: Le Monde, url: "https://news.example/{title}"}}
topics: [Diplomatie]
---
Une coopération militaire.
"""
# Stands in for Pagefind: says its version like the real one, fails at anything else.
FAKE = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "pagefind {version}"; exit 0; fi
echo "the fake Pagefind was run" >&2
exit 3
"""


def test_a_build_with_no_article_changed_does_not_run_pagefind(
    make_project: Project, tmp_path: Path
) -> None:
    from importlib import metadata

    root = make_project(
        {
            "briefgen.yaml": "title: Revue\nlanguage: fr\n",
            "content/a.md": ENTRY.format(title="a"),
            "content/b.md": ENTRY.format(title="b"),
        }
    )
    first = run_cli("build", cwd=root)
    assert first.returncode == 0, first.stderr
    index = sorted((root / "site" / "pagefind").rglob("*"))
    stamps = {path: path.stat().st_mtime_ns for path in index if path.is_file()}
    assert stamps
    fake = tmp_path / "pagefind"
    fake.write_text(FAKE.format(version=metadata.version("pagefind-bin")), encoding="utf-8")
    os.chmod(fake, 0o755)
    env = {"BRIEFGEN_PAGEFIND": str(fake)}
    # a page that is not an article changed: the index is kept as it is, Pagefind not run
    (root / "briefgen.yaml").write_text("title: Revue\nlanguage: fr\nhome_days: 3\n")
    again = run_cli("build", cwd=root, env=env)
    assert again.returncode == 0, again.stderr
    assert {p: p.stat().st_mtime_ns for p in index if p.is_file()} == stamps
    # an article changed: Pagefind runs, and its failure is one line, nothing written
    (root / "content/b.md").write_text(ENTRY.format(title="b2"), encoding="utf-8")
    broken = run_cli("build", cwd=root, env=env)
    assert broken.returncode == 1
    assert "pagefind: error: Pagefind failed (3): the fake Pagefind was run" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert "b2" not in (root / "site/articles/b/index.html").read_text(encoding="utf-8")
    fixed = run_cli("build", cwd=root)
    assert fixed.returncode == 0, fixed.stderr
    assert "b2" in (root / "site/articles/b/index.html").read_text(encoding="utf-8")
