"""The wheel of the running briefgen that `briefgen init` puts in a project's vendor/."""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

from briefgen import __version__
from briefgen.selfwheel import wheel_name, write_wheel

REPO = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_the_package_the_theme_and_exact_metadata(tmp_path: Path) -> None:
    wheel = write_wheel(tmp_path)
    assert wheel.name == wheel_name() == f"briefgen-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "briefgen/cli/__init__.py" in names
        assert "briefgen/theme/base.html" in names
        assert "briefgen/theme/assets/style.css" in names
        assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
        info = f"briefgen-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        required = [
            line[len("Requires-Dist: ") :]
            for line in metadata.splitlines()
            if line.startswith("Requires-Dist: ")
        ]
        assert required == project["dependencies"]
        assert "briefgen = briefgen.cli:main" in archive.read(f"{info}/entry_points.txt").decode()
        record = archive.read(f"{info}/RECORD").decode().splitlines()
        for line in record[:-1]:
            name, digest, size = line.rsplit(",", 2)
            data = archive.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data))
        assert len(record) == len(names)


def test_the_same_files_give_the_same_bytes(tmp_path: Path) -> None:
    first = write_wheel(tmp_path / "a").read_bytes()
    assert write_wheel(tmp_path / "b").read_bytes() == first
