"""`briefgen init` and `briefgen new`, including from an installed (non-editable) wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """briefgen built as a wheel and unpacked: an install that cannot see the checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("briefgen-*.whl")
    lib = out / "lib"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "briefgen/theme/base.html" in names
        assert "briefgen/theme/assets/style.css" in names
        archive.extractall(lib)
    return lib


def run_installed(lib: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as installed from the wheel: `lib` instead of the checkout on the path."""
    return run_cli(*args, cwd=cwd, env={"PYTHONPATH": str(lib)})


def test_init_builds_out_of_the_box_from_the_wheel(installed_wheel: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import briefgen; print(briefgen.__file__)"],
        env={**os.environ, "PYTHONPATH": str(installed_wheel)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(installed_wheel))
    created = run_installed(installed_wheel, "init", "revue", "--language", "fr", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "revue"
    for name in (
        "briefgen.yaml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content",
        "templates",
        "static",
    ):
        assert (project / name).exists(), name
    assert "/site/" in (project / ".gitignore").read_text()
    new = run_installed(installed_wheel, "new", "Coopération militaire", cwd=project)
    assert new.returncode == 0, new.stderr
    built = run_installed(installed_wheel, "build", "--drafts", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "site/assets/style.css").exists()
    assert "Coopération militaire" in (project / "site/index.html").read_text()
    assert (project / "site/articles/cooperation-militaire/index.html").exists()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "revue").mkdir()
    (tmp_path / "revue/briefgen.yaml").write_text("title: Mine\n")
    result = run_cli("init", "revue", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "revue/briefgen.yaml: error: already exists (expected a new or empty folder; "
        "nothing was written)"
    )
    assert (tmp_path / "revue/briefgen.yaml").read_text() == "title: Mine\n"
    assert not (tmp_path / "revue/.gitignore").exists()


def test_new_writes_a_dated_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text("language: fr\ntimezone: Europe/Paris\n")
    first = run_cli("new", "Un « titre » : l’essai", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / first.stdout.strip()
    assert path.parent.parent.parent == tmp_path / "content"
    assert path.name.endswith("-un-titre-l-essai.md")
    text = path.read_text()
    assert text.startswith('---\ntitle: "Un « titre » : l’essai"\ndate: ')
    assert "draft: true\n" in text and "lang: fr\n" in text
    again = run_cli("new", "Un « titre » : l’essai", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert path.read_text() == text
    assert run_cli("new", "«»", cwd=tmp_path).returncode == 1
