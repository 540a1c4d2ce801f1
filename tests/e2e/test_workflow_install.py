"""The Pages workflow that `briefgen init` writes, run for real: its own install and build
steps, in a clean virtual environment that knows nothing of this checkout.

The steps' `run:` scripts are taken from the YAML as written; the one expression they use,
the Pages base URL, is given the value GitHub would. Only the package index is reached
(for briefgen's dependencies): briefgen itself comes from the project's `vendor/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli

pytestmark = pytest.mark.e2e

BASE_URL = "https://desk.github.io/revue"  # as actions/configure-pages gives it: no final /
ENTRY = """\
---
title: "Sommet de Vostochny"
date: 2023-09-13
source: {name: Le Desk, url: "https://desk.example/sommet"}
---
Corps.
"""


def run_steps(project: Path) -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(
        (project / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    )
    steps = data["jobs"]["build"]["steps"]
    scripts = {step["name"]: step["run"] for step in steps if "run" in step}
    assert list(scripts) == ["Install briefgen", "Build the site", "Check links and assets"]
    return {
        name: script.replace("${{ steps.pages.outputs.base_url }}", BASE_URL)
        for name, script in scripts.items()
    }


def test_the_workflow_installs_briefgen_from_the_project_and_builds(tmp_path: Path) -> None:
    created = run_cli("init", "revue", "--language", "fr", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "revue"
    (project / "content/2023").mkdir(parents=True)
    (project / "content/2023/sommet.md").write_text(ENTRY, encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    dropped = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    for name, script in run_steps(project).items():
        done = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{name}:\n{done.stdout}{done.stderr}"
    where = subprocess.run(
        [str(venv / "bin/python"), "-c", "import briefgen; print(briefgen.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Sommet de Vostochny" in index
    assert f"{BASE_URL}/" in (project / "site/sitemap.xml").read_text(encoding="utf-8")
