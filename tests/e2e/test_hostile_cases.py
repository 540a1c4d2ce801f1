"""Hostile input, one fixture file each in tests/cases/hostile/, through the real CLI.

A fixture holds `#` comment lines, `expect:` lines (the exact diagnostics the build must
print, in any order), a line `=====`, then the input: a `.md` case is written to
`content/case.md` of a project with `timezone: Europe/Paris`, a `.yaml` case is the
project's `briefgen.yaml`. In the input, `{{TEXT * N}}` stands for TEXT (with Python
escapes such as `\\x01`) repeated N times, so that long or unprintable values stay
readable here.

Every case runs `briefgen build` in a subprocess with a memory limit and a time limit:
it must print exactly the expected lines and no traceback, exit 1 when an error is
expected, and otherwise build a site whose XML parses and whose pages hold no control
character.
"""

from __future__ import annotations

import codecs
import os
import re
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.printable import UNPRINTABLE
from tests.conftest import ROOT, write_tree

pytestmark = pytest.mark.e2e

CASES = ROOT / "tests" / "cases" / "hostile"
MEMORY = 1 << 30  # bytes of address space the build may take
SECONDS = 60
CONFIG = "timezone: Europe/Paris\n"
REPEAT = re.compile(r"\{\{(.+?) \* (\d+)\}\}")
UPDATE = os.environ.get("BRIEFGEN_UPDATE_HOSTILE") == "1"


@dataclass
class Case:
    path: Path
    comments: list[str]
    expected: list[str]
    text: str


def read_case(path: Path) -> Case:
    head, separator, text = path.read_text(encoding="utf-8").partition("=====\n")
    assert separator, f"{path}: expected a line '=====' before the input"
    lines = head.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    expected = [line.removeprefix("expect: ") for line in lines if line.startswith("expect: ")]
    assert len(comments) + len(expected) == len(lines), f"{path}: '#' or 'expect: ' lines only"
    return Case(path, comments, expected, text)


def expand(text: str) -> str:
    def repeat(match: re.Match[str]) -> str:
        return codecs.decode(match[1], "unicode_escape") * int(match[2])

    return REPEAT.sub(repeat, text)


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "BRIEFGEN_JOBS": "1"})
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limit_memory,
    )


def diagnostics(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r": (error|warning): ", line)]


@pytest.mark.parametrize("path", sorted(CASES.iterdir()), ids=lambda p: p.name)
def test_hostile_case(path: Path, tmp_path: Path) -> None:
    case = read_case(path)
    if path.suffix == ".yaml":
        files = {"briefgen.yaml": expand(case.text)}
    else:
        files = {"briefgen.yaml": CONFIG, "content/case.md": expand(case.text)}
    project = write_tree(tmp_path / "project", files)
    result = run_build(project)
    found = diagnostics(result.stderr)
    if UPDATE:
        lines = [*case.comments, *(f"expect: {line}" for line in found)]
        path.write_text("\n".join([*lines, "=====", ""]) + case.text, encoding="utf-8")
        case.expected = found
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert sorted(found) == sorted(case.expected), f"{path.name}:\n{result.stderr[-3000:]}"
    assert all(len(line) < 400 for line in found), "a message quotes a value unbounded"
    if any(": error: " in line for line in case.expected):
        assert result.returncode == 1
        return
    assert result.returncode == 0, result.stderr[-2000:]
    site = project / "site"
    for page in site.rglob("*"):
        if page.suffix in (".xml", ".html"):
            text = page.read_text(encoding="utf-8")
            assert not UNPRINTABLE.search(text), f"{page}: a control character"
            if page.suffix == ".xml":
                ET.fromstring(text.encode())  # raises on invalid XML
