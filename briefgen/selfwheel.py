"""A wheel of the running briefgen, for a new project to install in CI (`vendor/`).

`briefgen init` writes it beside `requirements.txt`, which names it with
`--find-links` and pins briefgen's version: the Pages workflow installs the
very briefgen the project was made with, from the project itself, and the
same pin keeps working once that version is on the package index (the
`vendor/` folder may then go). The wheel is put together from the package's
own files and the default theme (as the packaged wheel places it, in
`briefgen/theme/`); its metadata comes from `pyproject.toml` in a checkout,
else from the installed distribution. The same files give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import tomllib
import zipfile
from pathlib import Path

from briefgen import __version__
from briefgen.render import theme_dir

NAME = "briefgen"
_EPOCH = (1980, 1, 1, 0, 0, 0)
_WHEEL = "Wheel-Version: 1.0\nGenerator: briefgen\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
_ENTRY_POINTS = "[console_scripts]\nbriefgen = briefgen.cli:main\n"
_SKIPPED_PARTS = ("__pycache__",)


def wheel_name() -> str:
    return f"{NAME}-{__version__}-py3-none-any.whl"


def write_wheel(folder: Path) -> Path:
    """Write the wheel of the running briefgen into `folder`; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / wheel_name()
    files = wheel_files()
    dist_info = f"{NAME}-{__version__}.dist-info"
    files[f"{dist_info}/METADATA"] = metadata().encode("utf-8")
    files[f"{dist_info}/WHEEL"] = _WHEEL.encode()
    files[f"{dist_info}/entry_points.txt"] = _ENTRY_POINTS.encode()
    record = "".join(f"{name},{_hash(data)},{len(data)}\n" for name, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    scratch = path.with_name(path.name + ".part")
    with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, _EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    scratch.replace(path)
    return path


def wheel_files() -> dict[str, bytes]:
    """`archive name -> bytes` of the package and its theme, in a stable order."""
    package = Path(__file__).resolve().parent
    theme = theme_dir().resolve()
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or path.suffix in (".pyc", ".pyo"):
            continue
        if any(part in _SKIPPED_PARTS for part in relative.parts):
            continue
        if path.resolve().is_relative_to(theme):
            continue  # an installed wheel holds the theme inside the package: added below
        files[f"{NAME}/{relative.as_posix()}"] = path.read_bytes()
    for path in sorted(theme.rglob("*")):
        if path.is_file() and not any(part in _SKIPPED_PARTS for part in path.parts):
            files[f"{NAME}/theme/{path.relative_to(theme).as_posix()}"] = path.read_bytes()
    return files


def metadata() -> str:
    """The core metadata: from `pyproject.toml` of a checkout, else the installed one's."""
    project_file = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if project_file.is_file():
        project = tomllib.loads(project_file.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == NAME:
            lines = [
                "Metadata-Version: 2.1",
                f"Name: {NAME}",
                f"Version: {__version__}",
                f"Summary: {project.get('description', '')}",
                f"Requires-Python: {project.get('requires-python', '>=3.11')}",
                *(f"Requires-Dist: {dependency}" for dependency in project["dependencies"]),
            ]
            return "\n".join(lines) + "\n"
    installed = importlib.metadata.distribution(NAME).read_text("METADATA") or ""
    kept = [
        line
        for line in installed.split("\n\n", 1)[0].splitlines()
        if not line.startswith("Requires-Dist:") or "extra ==" not in line
    ]
    return "\n".join(kept) + "\n"


def _hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
