"""The real `briefgen build` in a subprocess, on small projects made in tmp_path."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

CONFIG = (
    "title: Revue\nlanguage: fr\ntimezone: Europe/Paris\n"
    "base_url: https://example.github.io/revue/\n"
)
ENTRY = """\
---
title: "La Russie et la Corée du Nord envisagent une coopération militaire"
date: 2023-09-14T16:50:56+02:00
source:
  name: Le Journal
  url: "https://journal.example/2023/09/14/cooperation"
author: Anne Nado
lang: fr
topics: [Diplomatie, Défense]
tags: [Kim Jong Un]
summary: "Kim Jong Un a assuré Vladimir Poutine de son soutien."
story: sommet-vostochny-2023
---
Le dirigeant nord-coréen a rencontré <b>Poutine</b>. [Lien](https://autre.example/).
"""
SECOND = """\
---
title: "Kim s’aligne sur Poutine"
date: 2023-09-13T22:20:04+02:00
source: {name: Autre Média, url: "https://autre.example/kim"}
topics: [Diplomatie]
summary: "Résumé."
story: sommet-vostochny-2023
---
Corps du second article.
"""

Project = Callable[[dict[str, str | bytes]], Path]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(make_project: Project) -> Path:
    return make_project(
        {
            "briefgen.yaml": CONFIG,
            "content/2023/09/14-cooperation-militaire.md": ENTRY,
            "content/2023/09/13-kim-s-aligne.md": SECOND,
        }
    )


def test_build_writes_every_page_of_the_site(project: Path) -> None:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(
        r"^Built 2 entries into site/: \d+ files \(\d+ pages\), 0 warnings, "
        r"[\d.]+ s$",
        result.stderr,
        re.M,
    ), result.stderr
    files = set(tree(project / "site"))
    for expected in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "assets/style.css",
        "articles/cooperation-militaire/index.html",
        "articles/kim-s-aligne/index.html",
        "topics/index.html",
        "topics/diplomatie/index.html",
        "topics/defense/index.html",
        "topics/defense/feed.xml",
        "topics/diplomatie/feed.xml",
        "dates/index.html",
        "dates/2023/index.html",
        "dates/2023/09/index.html",
        "dates/2023/09/14/index.html",
        "dates/2023/09/13/index.html",
        "sources/index.html",
        "sources/le-journal/index.html",
        "sources/autre-media/index.html",
        "tags/index.html",
        "tags/kim-jong-un/index.html",
    ]:
        assert expected in files, expected
    assert not [f for f in files if "staging" in f or f.endswith(".tmp")]


def test_article_page_shows_the_outlet_the_original_and_the_story(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    page = (project / "site/articles/cooperation-militaire/index.html").read_text()
    assert (
        '<a class="button" href="https://journal.example/2023/09/14/cooperation" rel="noopener">'
        in page
        or 'href="https://journal.example/2023/09/14/cooperation"' in page
    )
    assert 'href="/revue/sources/le-journal/"' in page
    assert '<time datetime="2023-09-14T16:50:56+02:00">14 septembre 2023' in page
    assert "Anne Nado" in page
    assert 'href="/revue/articles/kim-s-aligne/"' in page  # the rest of the story
    assert "&lt;b&gt;Poutine&lt;/b&gt;" in page  # raw HTML shown as text
    assert '<a href="https://autre.example/" rel="noopener">Lien</a>' in page
    assert (
        '<link rel="canonical" href="https://example.github.io/revue/articles/'
        'cooperation-militaire/">' in page
    )


def test_unsafe_html_lets_raw_html_through(project: Path) -> None:
    (project / "briefgen.yaml").write_text(CONFIG + "unsafe_html: true\n")
    assert run_cli("build", cwd=project).returncode == 0
    page = (project / "site/articles/cooperation-militaire/index.html").read_text()
    assert "<b>Poutine</b>" in page


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    first = tree(project / "site")
    assert run_cli("build", "--out", str(tmp_path / "again"), cwd=project).returncode == 0
    assert tree(tmp_path / "again") == first


def test_bad_input_lists_every_problem_and_keeps_the_previous_site(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    before = tree(project / "site")
    (project / "content/bad.md").write_text(
        "---\ntitle: X\ndate: 14/09/2023\nsource:\n  name: A\n  url: javascript:alert(1)\n---\n"
    )
    (project / "content/worse.md").write_text("---\ntitle: [\n---\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/bad.md:3: error: date: expected YYYY-MM-DD or an ISO 8601 date-time, "
        "got '14/09/2023'",
        "content/bad.md:6: error: source.url: expected an http(s) URL, got 'javascript:alert(1)'",
        "content/worse.md:3:1: error: invalid YAML: did not find expected node content "
        "(while parsing a flow node)",
        "Build failed: 3 errors; nothing was written",
    ]
    assert tree(project / "site") == before


def test_strict_turns_warnings_into_errors(project: Path) -> None:
    (project / "content/nosource.md").write_text(
        "---\ntitle: Sans source\ndate: 2023-09-15\nsummary: S\n---\nCorps.\n"
    )
    lenient = run_cli("build", cwd=project)
    assert lenient.returncode == 0
    assert (
        "content/nosource.md:1: warning: source.name: missing (expected the outlet's name)"
        in lenient.stderr
    )
    strict = run_cli("build", "--strict", cwd=project)
    assert strict.returncode == 1
    assert (
        "content/nosource.md:1: warning: source.url: missing (expected the original "
        "article's http(s) URL)" in strict.stderr
    )


def test_stale_files_disappear(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    (project / "site/old.html").write_text("stale")
    (project / "content/2023/09/13-kim-s-aligne.md").unlink()
    assert run_cli("build", cwd=project).returncode == 0
    assert not (project / "site/old.html").exists()
    assert not (project / "site/articles/kim-s-aligne").exists()


def test_a_template_error_names_the_template_and_line(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ entry.title }}</h1>\n'
        "{{ entry.nope }}\n{% endblock %}\n"
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/article.html:4: error: UndefinedError: ")
    (project / "templates/article.html").write_text("{% block main %}\n{% if %}\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("templates/article.html:2: error: Expected an expression")


def test_project_templates_override_the_theme_file_by_file(project: Path) -> None:
    (project / "templates/assets").mkdir(parents=True)
    (project / "templates/404.html").write_text("Perdu {{ config.title }}\n")
    (project / "templates/assets/extra.css").write_text("body{}")
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "site/404.html").read_text() == "Perdu Revue\n"
    assert (project / "site/assets/extra.css").exists()
    assert (project / "site/assets/style.css").exists()  # still the theme's
    assert "<main" in (project / "site/index.html").read_text()


def test_static_files_are_copied_and_collisions_are_errors(project: Path) -> None:
    (project / "static/img").mkdir(parents=True)
    (project / "static/img/logo.svg").write_text("<svg/>")
    assert run_cli("build", cwd=project).returncode == 0
    assert (project / "site/img/logo.svg").read_text() == "<svg/>"
    (project / "static/404.html").write_text("x")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "static/404.html: error: the output file 404.html is written twice: "
        "by template 404.html and by static/404.html",
        "Build failed: 1 error; nothing was written",
    ]


def test_base_url_option_and_cname(project: Path) -> None:
    (project / "briefgen.yaml").write_text(CONFIG + "cname: revue.example.org\n")
    assert run_cli("build", "--base-url", "https://revue.example.org/", cwd=project).returncode == 0
    index = (project / "site/index.html").read_text()
    assert 'href="/articles/cooperation-militaire/"' in index
    assert (project / "site/CNAME").read_text() == "revue.example.org\n"
    result = run_cli("build", "--base-url", "ftp://x", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[0] == (
        "--base-url: error: base_url: expected an http(s) URL such "
        "as https://user.github.io/repo/, got 'ftp://x'"
    )


def test_exit_codes_version_and_module(project: Path) -> None:
    assert run_cli("build", "--nope", cwd=project).returncode == 2
    assert run_cli("nope", cwd=project).returncode == 2
    version = run_cli("--version", cwd=project)
    assert version.returncode == 0 and re.fullmatch(
        r"briefgen, version \d+\.\d+\.\d+\n", version.stdout
    )
    helped = run_cli("--help", cwd=project)
    assert helped.returncode == 0
    for command in ("build", "check", "deploy", "import", "init", "new", "serve"):
        assert command in helped.stdout


def test_quiet_build_prints_nothing(project: Path) -> None:
    result = run_cli("build", "-q", cwd=project)
    assert result.returncode == 0
    assert result.stderr == "" and result.stdout == ""


def test_refuses_to_build_over_the_project(project: Path) -> None:
    result = run_cli("build", "--out", "content", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"--out: error: {project / 'content'} holds the project's content "
        "(expected a separate output folder such as site/)"
    )
    assert (project / "content/2023/09/14-cooperation-militaire.md").exists()
    (project / "static").mkdir()
    inside = run_cli("build", "--out", "static/out", cwd=project)
    assert inside.returncode == 1
    assert "is inside static/ (expected an output folder outside content" in inside.stderr
    assert not (project / "static/out").exists()


def test_never_replaces_a_folder_it_did_not_build(project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work")
    result = run_cli("build", "--out", str(victim), cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"--out: error: {victim} holds files that briefgen did not write and a build replaces "
        "the whole folder (expected an empty folder or one built by briefgen; --clean "
        "replaces it anyway)"
    )
    assert (victim / "thesis.txt").read_text() == "years of work"
    # its own output, and an empty folder, are fine; --clean is the user's explicit choice
    assert run_cli("build", cwd=project).returncode == 0
    assert run_cli("build", cwd=project).returncode == 0
    (tmp_path / "empty").mkdir()
    assert run_cli("build", "--out", str(tmp_path / "empty"), cwd=project).returncode == 0
    assert run_cli("build", "--clean", "--out", str(victim), cwd=project).returncode == 0
    assert not (victim / "thesis.txt").exists()


def test_commands_find_the_project_from_a_subfolder(project: Path, tmp_path: Path) -> None:
    result = run_cli("build", cwd=project / "content/2023")
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").exists()
    assert not (project / "content/2023/site").exists()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    lost = run_cli("build", cwd=outside)
    assert lost.returncode == 1
    assert lost.stderr.splitlines()[0] == (
        f"error: no briefgen.yaml in {outside.resolve()} or any folder above it "
        "(expected a briefing project: `briefgen init DIR` makes one)"
    )


def test_quiet_strict_still_says_why_it_failed(project: Path) -> None:
    (project / "content/nosource.md").write_text(
        "---\ntitle: Sans source\ndate: 2023-09-15\nsummary: S\n---\nCorps.\n"
    )
    result = run_cli("build", "-q", "--strict", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/nosource.md:1: warning: source.url: missing (expected the original article's "
        "http(s) URL)",
        "content/nosource.md:1: warning: source.name: missing (expected the outlet's name)",
        "Build failed: 2 warnings (--strict); nothing was written",
    ]


def test_static_gitkeep_is_not_published_and_static_nojekyll_wins(project: Path) -> None:
    (project / "static").mkdir()
    (project / "static/.gitkeep").write_text("")
    (project / "static/.nojekyll").write_text("mine")
    assert run_cli("build", cwd=project).returncode == 0
    assert not (project / "site/.gitkeep").exists()
    assert (project / "site/.nojekyll").read_text() == "mine"


def test_a_template_that_cannot_be_read_is_named(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/day.html").write_bytes(b"\xff{{ x }}")
    (project / "templates/_macros.html").write_text('{% include "nope.html" %}\n')
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("templates/_macros.html:1: error: template not found: nope.html")


def run_in_terminal(project: Path) -> tuple[int, str]:
    """`briefgen build` with its messages going to a pseudo-terminal."""
    leader, follower = os.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "briefgen", "build"],
            cwd=project,
            stderr=follower,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    return result.returncode, b"".join(chunks).decode()


def test_a_terminal_gets_a_progress_bar_with_counts(project: Path) -> None:
    code, output = run_in_terminal(project)
    assert code == 0
    assert re.search(r"\rRendering pages \[#+\] (\d+)/\1", output), output
    assert "Built 2 entries" in output
    # an error in the middle of the bar starts on a line of its own
    (project / "templates").mkdir()
    (project / "templates/day.html").write_text("{{ nope }}\n")
    code, output = run_in_terminal(project)
    assert code == 1
    assert re.search(r"\d+/\d+\r?\ntemplates/day.html:1: error: UndefinedError", output), output


def test_long_lists_are_split_into_pages(project: Path) -> None:
    (project / "briefgen.yaml").write_text(CONFIG + "paginate: 1\n")
    assert run_cli("build", cwd=project).returncode == 0
    first = (project / "site/topics/diplomatie/index.html").read_text()
    second = (project / "site/topics/diplomatie/page/2/index.html").read_text()
    assert not (project / "site/topics/diplomatie/page/3").exists()
    assert "/revue/articles/cooperation-militaire/" in first
    assert "/revue/articles/kim-s-aligne/" not in first
    assert "/revue/articles/kim-s-aligne/" in second
    assert 'rel="next" href="/revue/topics/diplomatie/page/2/"' in first
    assert 'rel="prev" href="/revue/topics/diplomatie/"' in second
    # both pages give the size and span of the whole topic, and a working feed link
    for page in (first, second):
        assert "2\u00a0articles" in page
        assert '<time datetime="2023-09-13">13 septembre 2023</time>&nbsp;– ' in page
        assert 'href="/revue/topics/diplomatie/feed.xml"' in page
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_date_filter_given_text_says_what_it_expects(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/404.html").write_text("{{ config.title|month_name }}\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "templates/404.html:1: error: TypeError: the month_name filter expects an entry, a day "
        "or a date, got 'Revue' (while rendering 404.html)"
    )


def test_the_seed_build_groups_its_warnings_and_lists_them_with_v(tmp_path: Path) -> None:
    from tests.conftest import copy_seed_project

    seed = copy_seed_project(tmp_path / "seed")
    result = run_cli("build", cwd=seed)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "content/2023/09/: warning: 4 entries have no source URL: "
        "13-kim-jong-un-a-affirme-le-….md, 13-kim-s-aligne-sur-la-guerr….md, "
        "13-les-questions-sensibles-d….md and 1 more "
        "(-v: one line each)",
        "content/2023/09/: warning: 3 entries name no outlet: 13-kim-s-aligne-sur-la-guerr….md, "
        "13-les-questions-sensibles-d….md, 14-la-russie-et-la-coree-du-….md (-v: one line each)",
    ]
    assert re.fullmatch(
        r"Built 5 entries into site/: \d+ files \(\d+ pages\), 7 warnings, .* s", lines[2]
    )
    assert len(lines) == 3
    verbose = run_cli("build", "-v", cwd=seed).stderr.splitlines()
    missing = [line for line in verbose if ": warning: " in line]
    assert len(missing) == 7
    assert (
        "content/2023/09/13-kim-s-aligne-sur-la-guerre-sainte-de-poutine.md:1: warning: "
        "source.url: missing (expected the original article's http(s) URL)" in missing
    )
    assert not [line for line in verbose if "summary" in line]


def test_a_draft_does_not_warn_and_one_missing_url_is_one_plain_line(project: Path) -> None:
    (project / "content/draft.md").write_text("---\ntitle: Brouillon\ndraft: true\n---\nCorps.\n")
    (project / "content/nosource.md").write_text(
        "---\ntitle: Sans source\ndate: 2023-09-15\nsource: {name: A}\n---\nCorps.\n"
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:-1] == [
        "content/nosource.md:4: warning: source.url: missing (expected the original "
        "article's http(s) URL)"
    ]
