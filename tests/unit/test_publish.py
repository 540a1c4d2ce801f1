"""The GitHub Pages workflow that `briefgen init` writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.publish import pages_workflow

REPO = Path(__file__).resolve().parents[2]
# beside the running Python first: `.venv/bin/python -m pytest` runs without activating .venv
SCHEMA_CHECK = shutil.which(
    "check-jsonschema", path=str(Path(sys.executable).parent)
) or shutil.which("check-jsonschema")


def workflow(text: str | None = None) -> dict[Any, Any]:
    data = yaml.safe_load(text if text is not None else pages_workflow())
    assert isinstance(data, dict)
    return data


def steps(job: str) -> list[dict[str, Any]]:
    result = workflow()["jobs"][job]["steps"]
    assert isinstance(result, list)
    return result


def step(job: str, **match: str) -> dict[str, Any]:
    [found] = [s for s in steps(job) if all(s.get(k) == v for k, v in match.items())]
    return found


def test_runs_on_push_to_main_and_by_hand() -> None:
    # YAML 1.1 reads the key `on` as True: GitHub reads it as "on".
    assert workflow()[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}


def test_has_the_permissions_and_concurrency_pages_needs() -> None:
    data = workflow()
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_uses_the_official_actions_in_order() -> None:
    assert [s.get("uses") for s in steps("build") if "uses" in s] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
    ]
    assert [s.get("uses") for s in steps("deploy")] == ["actions/deploy-pages@v4"]


def test_caches_pip_with_a_dependency_file_that_always_exists() -> None:
    python = step("build", uses="actions/setup-python@v5")["with"]
    assert python["python-version"] == "3.12"
    assert python["cache"] == "pip"
    # setup-python fails when no file matches: the workflow itself always does.
    assert python["cache-dependency-path"].split() == [
        "requirements*.txt",
        ".github/workflows/pages.yml",
    ]


def test_builds_for_the_url_pages_gives_and_uploads_the_site() -> None:
    assert step("build", uses="actions/configure-pages@v5")["id"] == "pages"
    runs = [s["run"] for s in steps("build") if "run" in s]
    assert runs[1:] == [
        'briefgen build --base-url "${{ steps.pages.outputs.base_url }}/"',
        'briefgen check --base-url "${{ steps.pages.outputs.base_url }}/"',
    ]
    assert step("build", uses="actions/upload-pages-artifact@v3")["with"] == {"path": "site"}


def test_deploy_job_publishes_to_the_github_pages_environment() -> None:
    job = workflow()["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert job["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_python_version_and_output_folder_are_parameters() -> None:
    data = workflow(pages_workflow("3.11", output_dir="public"))
    build = data["jobs"]["build"]["steps"]
    assert build[1]["with"]["python-version"] == "3.11"
    assert build[-1]["with"] == {"path": "public"}


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        ("briefgen==0.1.0\n", "install -r requirements.txt"),
        (None, "install briefgen"),
    ],
)
def test_install_step_honours_a_pinned_requirements_file(
    tmp_path: Path, requirements: str | None, expected: str
) -> None:
    script = step("build", name="Install briefgen")["run"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_pip = bin_dir / "pip"
    fake_pip.write_text('#!/bin/sh\necho "$@" >> "$PIP_LOG"\n', encoding="utf-8")
    fake_pip.chmod(0o755)
    if requirements is not None:
        (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    log = tmp_path / "pip.log"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PIP_LOG": str(log)}
    subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True, timeout=10)
    assert log.read_text(encoding="utf-8") == expected + "\n"


def run_schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    assert SCHEMA_CHECK is not None, "check-jsonschema is a test dependency (pip install .[test])"
    return subprocess.run(
        [SCHEMA_CHECK, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_validates_against_githubs_workflow_schema(tmp_path: Path) -> None:
    path = tmp_path / "pages.yml"
    path.write_text(pages_workflow(), encoding="utf-8")
    done = run_schema_check(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    # The same check on a workflow with a wrong permission: the validation is not a no-op.
    path = tmp_path / "pages.yml"
    path.write_text(pages_workflow().replace("pages: write", "pages: publish"), encoding="utf-8")
    assert run_schema_check(path).returncode == 1


def test_briefgen_init_writes_this_workflow(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "init", "briefing"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    path = tmp_path / "briefing" / ".github" / "workflows" / "pages.yml"
    assert path.read_text(encoding="utf-8") == pages_workflow()
    result = run_schema_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
