"""Fixtures, as a ladder: a scratch project from a dict of files, the real CLI, the seed site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

Files = dict[str, str | bytes]


def write_tree(root: Path, files: Files) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[Files], Path]:
    """`make_project({"briefgen.yaml": "...", "content/a.md": "..."})` -> the project folder."""

    def make(files: Files) -> Path:
        project = tmp_path / "project"
        project.mkdir(exist_ok=True)
        return write_tree(project, files)

    return make


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `briefgen` command of this checkout in a subprocess.

    Proxy variables are dropped: every server a test talks to is on 127.0.0.1.
    """
    full_env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    # BRIEFGEN_NLP=0: the site must not depend on whether this machine has the `nlp` extra
    defaults = {"PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT), "BRIEFGEN_NLP": "0"}
    full_env.update({**defaults, **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_seed_project(target: Path) -> Path:
    """The repository's own briefing project (config and content) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "briefgen.yaml", target / "briefgen.yaml")
    shutil.copytree(ROOT / "content", target / "content")
    return target


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed briefing, built once per session by the real CLI; yields the output folder."""
    project = copy_seed_project(tmp_path_factory.mktemp("seed") / "project")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    yield project / "site"
