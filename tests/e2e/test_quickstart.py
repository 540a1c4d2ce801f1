"""The README's quick start, as written: its first command in a clean copy, its second in CI.

The first command is run in a copy of the repository's tracked files, with an
environment that knows nothing of this checkout (no PYTHONPATH, no active
virtual environment): it must make its own virtual environment, install
briefgen into it from the package index, and build the seed briefing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def quick_start_commands() -> list[str]:
    """The commands of the README's quick start block, comments left out."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the quick start has no ```sh block"
    lines = [line.strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_quick_start_has_two_commands_that_use_a_virtual_environment() -> None:
    first, second = quick_start_commands()
    assert first == "bash .ci/venv && .venv/bin/briefgen build"
    assert second.endswith(".venv/bin/python -m pytest")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [
        line for line in run if line and not line.startswith(("#", "set ", "cd ", "export"))
    ]
    assert commands == [quick_start_commands()[1]]


def tracked_files() -> list[str]:
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    pytest.skip("needs a git checkout to know the repository's files")


def clean_environment() -> dict[str, str]:
    """The user's environment as a new terminal has it: no Python variables of this run."""
    dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTEST_CURRENT_TEST")
    return {k: v for k, v in os.environ.items() if k not in dropped}


def test_the_first_command_installs_and_builds_in_a_clean_copy(tmp_path: Path) -> None:
    copy = tmp_path / "briefgen"
    for name in tracked_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    first = quick_start_commands()[0]
    done = subprocess.run(
        ["bash", "-c", first],
        cwd=copy,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^Built 5 entries into site/: ", done.stderr, re.MULTILINE), done.stderr
    assert (copy / "site" / "index.html").is_file()
    # the environment is the copy's own: briefgen comes from the copy, not from this checkout
    where = subprocess.run(
        [str(copy / ".venv/bin/python"), "-c", "import briefgen; print(briefgen.__file__)"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(copy.resolve())
