"""The writer of the preview's private output: changed files renamed in place, nothing staged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.output import TEMPORARY_PREFIX, Writer
from briefgen.sources import stamp


def first_build(output: Path, in_place: bool) -> dict[str, object]:
    writer = Writer(output, {}, in_place=in_place)
    writer.put("index.html", b"home", "template index.html", b"s1")
    writer.put("a/index.html", b"a", "template article.html", b"s2")
    writer.put("b/c/index.html", b"c", "template article.html", b"s3")
    return dict(writer.finish())


def test_in_place_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    records = first_build(output, in_place=True)
    home_before = os.stat(output / "index.html")
    writer = Writer(output, records, in_place=True)  # type: ignore[arg-type]
    writer.keep("index.html", "template index.html")
    writer.put("a/index.html", b"a, edited", "template article.html", b"s2'")
    writer.finish()
    assert (output / "a" / "index.html").read_bytes() == b"a, edited"
    assert not (output / "b").exists()  # the page and its emptied folders are gone
    assert os.stat(output / "index.html").st_mtime_ns == home_before.st_mtime_ns
    assert writer.written == ["a/index.html"] and writer.removed == ["b/c/index.html"]
    assert writer.records["a/index.html"].stamp == stamp(output / "a" / "index.html")
    assert not [p for p in output.parent.iterdir() if p.name != "out"]  # no staging folder


def test_a_failed_in_place_build_changes_nothing_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    output = tmp_path / "out"
    output.mkdir()
    records = first_build(output, in_place=True)
    linked = tmp_path / "linked.html"  # as the preview's first output links `site/`'s files
    os.link(output / "a" / "index.html", linked)
    writer = Writer(output, records, in_place=True)  # type: ignore[arg-type]
    writer.put("a/index.html", b"half a build", "template article.html", b"s9")
    with pytest.raises(BriefgenError):
        writer.put("a/index.html", b"twice", "template other.html", b"s9")
    writer.close()
    assert (output / "a" / "index.html").read_bytes() == b"a"
    assert not list(output.rglob(f"{TEMPORARY_PREFIX}*"))
    writer = Writer(output, records, in_place=True)  # type: ignore[arg-type]
    writer.put("a/index.html", b"a, edited", "template article.html", b"s2'")
    writer.finish()
    assert linked.read_bytes() == b"a"  # a file linked elsewhere is replaced, never written into


def test_in_place_and_swapped_outputs_hold_the_same_bytes(tmp_path: Path) -> None:
    folders = []
    for in_place in (True, False):
        output = tmp_path / f"out-{in_place}"
        output.mkdir()
        records = first_build(output, in_place)
        writer = Writer(output, records, in_place=in_place)  # type: ignore[arg-type]
        writer.put("index.html", b"home 2", "template index.html", b"s1'")
        writer.put("d/index.html", b"d", "template article.html", b"s4")
        writer.finish()
        folders.append(
            {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
        )
    assert folders[0] == folders[1]


def test_a_kept_file_already_in_the_spare_is_not_linked_again(tmp_path: Path) -> None:
    output, spare = tmp_path / "out", tmp_path / "spare"
    records = first_build(output, in_place=False)
    for number in (1, 2):  # the first change makes the spare, the second builds into it
        writer = Writer(output, records, spare=spare)  # type: ignore[arg-type]
        writer.keep("a/index.html", "template article.html")
        writer.keep("b/c/index.html", "template article.html")
        writer.put("index.html", f"home {number}".encode(), "template index.html", b"s1'")
        records = dict(writer.finish())
    assert (spare / "index.html").read_bytes() == b"home 1"
    article = os.stat(output / "a" / "index.html")
    assert os.stat(spare / "a" / "index.html").st_ino == article.st_ino
    assert article.st_nlink == 2  # the output's file and the spare's: one file
    assert (output / "index.html").read_bytes() == b"home 2"
