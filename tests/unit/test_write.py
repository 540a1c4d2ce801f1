from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.write import Staging, write_file


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_write_file_is_atomic_and_readable(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.html"
    write_file(target, b"one")
    write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["b.html"]
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044  # others may read it


def test_staging_swaps_the_whole_output(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with Staging(out) as staging:
        staging.add("index.html", b"v1", "test")
        staging.add("old.html", b"old", "test")
        staging.commit()
    with Staging(out) as staging:
        staging.add("index.html", b"v2", "test")
        staging.commit()
    assert files(out) == {"index.html": b"v2"}
    assert sorted(os.listdir(tmp_path)) == ["site"]
    assert stat.S_IMODE(out.stat().st_mode) & 0o055 == 0o055


def test_a_failed_build_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with Staging(out) as staging:
        staging.add("index.html", b"v1", "test")
        staging.commit()
    with pytest.raises(RuntimeError), Staging(out) as staging:
        staging.add("index.html", b"half", "test")
        raise RuntimeError("killed")
    assert files(out) == {"index.html": b"v1"}
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_site_moved_aside_by_a_killed_swap_is_restored(tmp_path: Path) -> None:
    aside = tmp_path / ".briefgen-old-site-x1"
    aside.mkdir()
    (aside / "index.html").write_bytes(b"v1")
    with Staging(tmp_path / "site"):
        pass
    assert files(tmp_path / "site") == {"index.html": b"v1"}


def test_two_writes_to_one_path_name_both_origins(tmp_path: Path) -> None:
    with Staging(tmp_path / "site") as staging:
        staging.add("index.html", b"a", "template index.html")
        with pytest.raises(BriefgenError) as raised:
            staging.add("index.html", b"b", "static/index.html")
    assert str(raised.value) == (
        "static/index.html: error: the output file index.html is "
        "written twice: by template index.html and by static/index.html"
    )


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_output_are_refused(tmp_path: Path, path: str) -> None:
    with Staging(tmp_path / "site") as staging, pytest.raises(ValueError):
        staging.add(path, b"x", "test")


def stage(out: Path, spare: Path, site: dict[str, bytes], keep: tuple[str, ...] = ()) -> None:
    """One build: `keep` linked from the current output (as the writer does), the rest written."""
    with Staging(out, spare=spare) as staging:
        for relative in keep:
            current = out / relative
            staging.link(relative, current, "test", os.stat(current).st_ino)
        for relative, data in site.items():
            staging.add(relative, data, "test")
        staging.commit()


def test_the_previous_site_is_kept_as_the_next_builds_staging_folder(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    spare.parent.mkdir()
    stage(out, spare, {"index.html": b"v1", "a/index.html": b"a1", "gone/index.html": b"g"})
    assert not spare.exists()  # nothing was swapped out yet
    stage(out, spare, {"index.html": b"v2", "b/index.html": b"b"}, keep=("a/index.html",))
    assert files(spare) == {"index.html": b"v1", "a/index.html": b"a1", "gone/index.html": b"g"}
    kept = os.stat(out / "a" / "index.html")
    stage(out, spare, {"index.html": b"v3"}, keep=("a/index.html", "b/index.html"))
    assert files(out) == {"index.html": b"v3", "a/index.html": b"a1", "b/index.html": b"b"}
    assert os.stat(out / "a" / "index.html").st_mtime_ns == kept.st_mtime_ns
    assert files(spare) == {"index.html": b"v2", "a/index.html": b"a1", "b/index.html": b"b"}
    assert sorted(os.listdir(tmp_path)) == ["cache", "site"]


def test_a_spare_is_trusted_for_nothing(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    spare.parent.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    stage(out, spare, {"index.html": b"v1", "a/index.html": b"a1"})
    stage(out, spare, {"index.html": b"v2", "a/index.html": b"a1"})
    # someone plants files in the spare, and replaces a kept page by a look-alike
    (spare / "planted.html").write_bytes(b"planted")
    (spare / "link").symlink_to(outside, target_is_directory=True)
    (spare / "a" / "index.html").unlink()
    (spare / "a" / "index.html").write_bytes(b"a1, forged")
    (spare / "b").write_bytes(b"a file where a folder must be")
    stage(out, spare, {"index.html": b"v3", "b/index.html": b"b"}, keep=("a/index.html",))
    assert files(out) == {"index.html": b"v3", "a/index.html": b"a1", "b/index.html": b"b"}
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert files(outside) == {"secret.txt": b"secret"}


def test_a_build_failing_in_the_spare_leaves_the_output_whole(tmp_path: Path) -> None:
    out, spare = tmp_path / "site", tmp_path / "cache" / "spare"
    spare.parent.mkdir()
    stage(out, spare, {"index.html": b"v1", "a/index.html": b"a1"})
    stage(out, spare, {"index.html": b"v2", "a/index.html": b"a1"})
    with pytest.raises(RuntimeError), Staging(out, spare=spare) as staging:
        staging.add("index.html", b"half", "test")
        raise RuntimeError("killed")
    assert files(out) == {"index.html": b"v2", "a/index.html": b"a1"}
    stage(out, spare, {"index.html": b"v4"})
    assert files(out) == {"index.html": b"v4"}
