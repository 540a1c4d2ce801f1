"""Where the preview builds: its own folder in the project's cache, kept between sessions
and brought up to date from the last `briefgen build` when the next session starts."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import search
from briefgen.build import build
from briefgen.cache import load_cache
from briefgen.config import load_config
from briefgen.serve import Preview, seed_output


def entry(title: str, day: str) -> str:
    return (
        f"---\ntitle: {title}\ndate: {day}\nsource: {{name: AFP, url: 'https://afp.example/{title}'}}"
        f"\ntopics: [Espace]\nsummary: About {title}.\n---\nBody of {title}.\n"
    )


@pytest.fixture
def project(make_project: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_project(
        {
            "briefgen.yaml": 'title: "Desk"\nlanguage: fr\n',
            "content/a.md": entry("Alpha", "2023-09-14"),
            "content/b.md": entry("Beta", "2023-09-13"),
        }
    )


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_preview_folder_is_kept_and_a_second_preview_uses_a_temporary_one(
    project: Path,
) -> None:
    config = load_config(project)
    first = Preview(config, port=0)
    second = Preview(config, port=0)
    try:
        assert first.output == project / ".briefgen-cache" / "preview"
        assert second.output.parent == Path(tempfile.gettempdir()).resolve()
        assert second.output.name.startswith("briefgen-serve-")
    finally:
        second.close()
        first.close()
    assert not second.output.exists()
    assert first.output.is_dir()  # for the next session
    third = Preview(config, port=0)  # the folder is free again
    try:
        assert third.output == first.output
    finally:
        third.close()


def test_a_new_session_brings_the_last_ones_files_up_to_date(project: Path) -> None:
    config = load_config(project)
    build(config)
    site = project / "site"
    preview = project / ".briefgen-cache" / "preview"
    (preview / "articles" / "gone").mkdir(parents=True)
    (preview / "articles" / "gone" / "index.html").write_bytes(b"a page of the last session")
    (preview / "articles" / "a").mkdir(parents=True)
    # a look-alike of the site's page (another file), and the site's own page (a link)
    (preview / "articles" / "a" / "index.html").write_bytes(
        (site / "articles" / "a" / "index.html").read_bytes()
    )
    os.link(site / "index.html", preview / "index.html")
    outside = project.parent / "outside"
    outside.mkdir()
    (preview / "planted").symlink_to(outside, target_is_directory=True)
    cache, _notes = load_cache(project)
    seed_output(cache, preview)
    assert files(preview) == files(site)
    assert not (preview / "planted").exists() and not (preview / "articles" / "gone").exists()
    for relative in files(site):
        assert os.stat(preview / relative).st_ino == os.stat(site / relative).st_ino
    assert cache.output == str(preview) and cache.outputs.keys() == files(site).keys()
    # the build that follows has nothing to write
    result = build(config, out=preview, replace=True, cache=cache, in_place=True)
    assert result.written == () and result.removed == ()


def test_a_session_without_a_cache_starts_from_an_empty_folder(project: Path) -> None:
    preview = project / ".briefgen-cache" / "preview"
    preview.mkdir(parents=True)
    (preview / "stale.html").write_bytes(b"from a session of another site")
    running = Preview(load_config(project), port=0)
    try:
        running.start()
        assert not (preview / "stale.html").exists()
        assert (preview / "articles" / "a" / "index.html").is_file()
    finally:
        running.close()


def test_the_search_snapshots_are_taken_beside_the_preview_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    scratch = project / ".briefgen-cache" / "preview-search"
    scratch.mkdir(parents=True)  # left by a session killed before its end, with a planted link
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the preview's")
    (scratch / "briefgen-pages-old").symlink_to(outside, target_is_directory=True)
    taken: list[Path] = []
    snapshot = search.snapshot

    def watched(pages: dict[str, Path], to: Path) -> None:
        taken.append(to)
        snapshot(pages, to)

    monkeypatch.setattr(search, "snapshot", watched)
    running = Preview(load_config(project), port=0)
    try:
        assert list(scratch.iterdir()) == []
        running.start()
        running.indexer.wait(60)
        assert taken and all(folder.parent == scratch for folder in taken)
        assert list(temp.iterdir()) == []  # not one file in the system's temporary folder
    finally:
        running.close()
    assert not scratch.exists()
    assert (outside / "keep.txt").read_text() == "not the preview's"
