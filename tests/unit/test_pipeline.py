"""`briefgen build` with its cache, its lock, and what it refuses to read: the real CLI."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.write import OutputLock
from tests.conftest import run_cli


def entry(title: str, day: str, body: str = "Body.") -> str:
    return (
        f"---\ntitle: {title}\ndate: {day}\nsource: {{name: AFP, url: 'https://afp.example/{title}'}}"
        f"\ntopics: [Espace]\nsummary: About {title}.\n---\n{body}\n"
    )


FILES: dict[str, str | bytes] = {
    "briefgen.yaml": 'title: "Desk"\nlanguage: fr\n',
    "content/a.md": entry("Alpha", "2023-09-14"),
    "content/b.md": entry("Beta", "2023-09-13"),
    "static/robots-extra.txt": "extra\n",
}


@pytest.fixture
def project(make_project: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_project(dict(FILES))


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def build(project: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_cli("build", *args, cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    return result.stderr


def clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    run_cli("build", "-q", "--out", str(out), cwd=project, env={"XDG_CACHE_HOME": str(tmp_path)})
    return tree(out)


def test_a_build_with_nothing_changed_rewrites_nothing(project: Path) -> None:
    build(project)
    assert (project / ".briefgen-cache" / "build.cache").is_file()
    before = stats(project / "site")
    build(project)
    assert stats(project / "site") == before


def test_a_build_with_nothing_to_do_reads_the_glance_and_not_the_cache(
    project: Path, tmp_path: Path
) -> None:
    unnamed = "---\ntitle: Gamma\ndate: 2023-09-12\nsource: {url: 'https://x.example/g'}\n---\nG.\n"
    (project / "content" / "c.md").write_text(unnamed, encoding="utf-8")
    first = build(project)
    assert "content/c.md:4: warning: source.name: missing" in first
    cache = project / ".briefgen-cache" / "build.cache"
    cache.write_bytes(b"not a cache at all")  # read, it would be ignored with a warning
    before = stats(project / "site")
    again = build(project)
    # the same warnings and figures, and no word of the cache
    assert again.splitlines()[:-1] == first.splitlines()[:-1]
    assert again.rsplit(", ", 1)[0] == first.rsplit(", ", 1)[0]  # all but the seconds
    assert stats(project / "site") == before
    (project / "content" / "a.md").write_text(entry("Alpha", "2023-09-14", "Edited."))
    edited = build(project)
    assert "build.cache: warning: cache ignored" in edited  # an edit needs the cache
    assert tree(project / "site") == clean_build(project, tmp_path)


@pytest.mark.parametrize("damage", [lambda data: data[:-1], lambda data: b"garbage"])
def test_a_damaged_glance_costs_only_the_cache_load(
    project: Path, damage: Callable[[bytes], bytes]
) -> None:
    build(project)
    glance = project / ".briefgen-cache" / "last.cache"
    glance.write_bytes(damage(glance.read_bytes()))
    before = stats(project / "site")
    assert "warning" not in build(project).replace("0 warnings", "")  # the cache is sound
    assert stats(project / "site") == before
    (project / "content" / "b.md").write_text(entry("Beta", "2023-09-13", "Edited."))
    build(project)
    assert "Edited." in (project / "site/articles/b/index.html").read_text()


def test_an_edited_body_rewrites_its_page_and_keeps_the_others(project: Path) -> None:
    build(project)
    before = stats(project / "site")
    path = project / "content" / "a.md"
    path.write_text(entry("Alpha", "2023-09-14", "A new body."), encoding="utf-8")
    build(project)
    after = stats(project / "site")
    changed = sorted(name for name in after if after[name] != before.get(name))
    pages = [name for name in changed if not name.startswith("pagefind/")]
    assert pages == ["articles/a/index.html", "feed.xml", "topics/espace/feed.xml"]
    assert "pagefind/all/pagefind-entry.json" in changed  # the search index follows the body
    assert "A new body." in (project / "site/articles/a/index.html").read_text()


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda data: data[: len(data) // 2], "truncated, corrupt, or written by someone else"),
        (
            lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],
            "truncated, corrupt, or written by someone else",
        ),
        (
            lambda data: b"not a cache at all",
            "written by another version of briefgen, or not a cache",
        ),
    ],
)
def test_a_damaged_cache_is_ignored_with_one_warning(
    project: Path, tmp_path: Path, damage: Callable[[bytes], bytes], why: str
) -> None:
    build(project)
    cache = project / ".briefgen-cache" / "build.cache"
    cache.write_bytes(damage(cache.read_bytes()))
    (project / "content" / "b.md").write_text(entry("Beta", "2023-09-13", "Edited."))
    stderr = build(project)
    warning = f".briefgen-cache/build.cache: warning: cache ignored: {why}; building from scratch"
    assert stderr.splitlines().count(warning) == 1
    assert tree(project / "site") == clean_build(project, tmp_path)


def test_a_cache_signed_by_someone_else_is_not_unpickled(project: Path, tmp_path: Path) -> None:
    build(project, env={"XDG_CACHE_HOME": str(tmp_path / "them")})
    stderr = build(project, env={"XDG_CACHE_HOME": str(tmp_path / "me")})
    assert (
        ".briefgen-cache/build.cache: warning: cache ignored: truncated, corrupt, or written "
        "by someone else; building from scratch"
    ) in stderr.splitlines()


def test_the_cache_folder_may_be_deleted(project: Path, tmp_path: Path) -> None:
    build(project)
    (project / "content" / "a.md").write_text(entry("Alpha", "2023-09-14", "Again."))
    for path in sorted((project / ".briefgen-cache").iterdir()):
        path.unlink()
    (project / ".briefgen-cache").rmdir()
    assert "cache" not in build(project)
    assert tree(project / "site") == clean_build(project, tmp_path)


def test_links_out_of_the_project_are_never_published(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private key\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "c.md").write_text(entry("Gamma", "2023-09-12"))
    (project / "static" / "key.txt").symlink_to(secret)
    (project / "static" / "env").symlink_to("/proc/self/environ")
    (project / "templates" / "assets").mkdir(parents=True)
    (project / "templates" / "assets" / "k.css").symlink_to(secret)
    (project / "content" / "more").symlink_to(tmp_path / "outside")
    # links that stay inside the project are followed
    (project / "notes").mkdir()
    (project / "notes" / "d.md").write_text(entry("Delta", "2023-09-11"))
    (project / "content" / "inside").symlink_to(project / "notes")
    (project / "static" / "copy.txt").symlink_to(project / "static" / "robots-extra.txt")
    stderr = build(project)
    site = tree(project / "site")
    assert not any(b"private key" in data for data in site.values())
    assert "key.txt" not in site and "env" not in site and "assets/k.css" not in site
    assert "articles/c/index.html" not in site
    assert "articles/d/index.html" in site and site["copy.txt"] == b"extra\n"
    skipped = (
        "warning: skipped: a symbolic link to a path outside the project "
        "(expected a file or folder inside it)"
    )
    assert sorted(line for line in stderr.splitlines() if "skipped" in line) == [
        f"content/more: {skipped}",
        f"static/env: {skipped}",
        f"static/key.txt: {skipped}",
        f"templates/assets/k.css: {skipped}",
    ]


def test_a_second_build_of_one_output_is_refused_while_the_first_runs(project: Path) -> None:
    build(project)
    before = tree(project / "site")
    with OutputLock(project / "site"):
        result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{project / 'site'}: error: another build is writing this folder (expected one build "
        "at a time: wait for it to finish and build again)"
    )
    assert tree(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".briefgen-")) == [
        ".briefgen-cache"
    ]


def test_a_file_named_like_the_output_is_not_moved_aside(project: Path) -> None:
    (project / "site").write_text("my notes\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"briefgen.yaml: error: output_dir: {project / 'site'} is a file, not a folder (expected "
        "a folder for the site: move the file away or choose another output folder)"
    )
    assert (project / "site").read_text() == "my notes\n"


def test_output_paths_that_differ_only_by_case_are_refused(project: Path) -> None:
    (project / "static" / "Robots-Extra.txt").write_text("other\n")
    (project / "static" / "Articles").mkdir()
    (project / "static" / "Articles" / "x.txt").write_text("x\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()[:2]) == [
        "static/Articles/x.txt: error: the output paths 'articles' and 'Articles' differ only "
        "by case (expected names that stay distinct on Windows and macOS)",
        "static/robots-extra.txt: error: the output paths 'Robots-Extra.txt' and "
        "'robots-extra.txt' differ only by case (expected names that stay distinct on Windows "
        "and macOS)",
    ]
    assert not (project / "site").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_static_file_is_named_as_unreadable(project: Path) -> None:
    (project / "static" / "robots-extra.txt").chmod(0)
    (project / "content" / "locked").mkdir()
    (project / "content" / "locked").chmod(0)
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()[:2]) == [
        "content/locked: error: cannot read the folder: Permission denied",
        "static/robots-extra.txt: error: cannot read the file: Permission denied",
    ]


def test_long_sitemaps_become_an_index_and_months_are_paginated(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import pages
    from briefgen.build import build as build_site
    from briefgen.cache import Cache
    from briefgen.config import load_config

    (project / "briefgen.yaml").write_text('title: "Desk"\nlanguage: fr\npaginate: 1\n')
    (project / "content" / "c.md").write_text(entry("Gamma", "2023-09-01"))
    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 4)
    out = project / "site"
    build_site(load_config(project), out=out, cache=Cache())
    index = (out / "sitemap.xml").read_text()
    parts = sorted(p.name for p in out.glob("sitemap-*.xml"))
    assert "<sitemapindex" in index and len(parts) > 1
    assert all(f"<loc>http://127.0.0.1:8000/{part}</loc>" in index for part in parts)
    locs = [(out / part).read_text().count("<url>") for part in parts]
    assert max(locs) == 4
    # three entries in September, one a page: the month never lists them all at once
    months = sorted(p.relative_to(out).as_posix() for p in (out / "dates/2023/09").rglob("*.html"))
    assert {"dates/2023/09/index.html", "dates/2023/09/page/2/index.html"} <= set(months)
    assert "dates/2023/09/page/3/index.html" in months
    first = (out / "dates/2023/09/index.html").read_text()
    assert first.count('class="item-title"') == 1
    assert 'href="/dates/2023/09/page/2/"' in first
