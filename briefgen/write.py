"""Writing the output: staged, atomic, never two writes to one path.

A full build writes every file into a staging folder beside the output and
then swaps the two folders, so a failed or killed build leaves the previous
site whole and stale files disappear with the old folder. `write_file`
writes one file through a temporary file and `os.replace`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import BriefgenError, Diagnostic, error

STAGING_PREFIX = ".briefgen-staging-"
OLD_PREFIX = ".briefgen-old-"


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process umask, read once (reading it means setting it for a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def cannot_write(exc: OSError, fallback: Path) -> Diagnostic:
    """A failed write as one line: the file and the system's reason."""
    where = exc.filename or fallback
    return error(str(where), 0, f"cannot write: {exc.strerror or exc}", code="write")


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a reader sees the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Staging:
    """Collects the files of one build in a folder beside `output`, then swaps it in.

    Use as a context manager: on an exception the staging folder is removed
    and `output` is left as it was.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.origins: dict[str, str] = {}
        self.root: Path | None = None

    def __enter__(self) -> Staging:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.output)
        self.root = Path(
            tempfile.mkdtemp(dir=self.output.parent, prefix=f"{STAGING_PREFIX}{self.output.name}-")
        )
        os.chmod(self.root, 0o777 & ~_umask())
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if self.root is not None and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)

    def add(self, relative: str, data: bytes, origin: str) -> None:
        """Stage one file; a second write to the same path is an error naming both origins."""
        target = self._target(relative)
        key = target.relative_to(self._root()).as_posix()
        first = self.origins.get(key)
        if first is not None:
            raise BriefgenError(
                [
                    error(
                        origin,
                        0,
                        f"the output file {key} is written twice: by {first} and by {origin}",
                        code="duplicate-output",
                    )
                ]
            )
        self.origins[key] = origin
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def add_all(self, files: Iterable[tuple[str, bytes, str]]) -> None:
        for relative, data, origin in files:
            self.add(relative, data, origin)

    def commit(self) -> None:
        """Swap the staging folder in place of the output folder."""
        root = self._root()
        old = None
        if self.output.exists():
            old = Path(
                tempfile.mkdtemp(dir=self.output.parent, prefix=f"{OLD_PREFIX}{self.output.name}-")
            )
            os.rmdir(old)
            os.replace(self.output, old)
        os.replace(root, self.output)
        self.root = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    @property
    def folder(self) -> Path:
        """The staging folder, holding what was added so far."""
        return self._root()

    def _root(self) -> Path:
        if self.root is None:
            raise RuntimeError("Staging is not open")
        return self.root

    def _target(self, relative: str) -> Path:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ValueError(f"output path {relative!r} leaves the output folder")
        return self._root().joinpath(*pure.parts)


def _remove_leftovers(output: Path) -> None:
    """Clean up after a killed build: restore a site it had moved aside, drop its staging."""
    olds = sorted(p for p in output.parent.glob(f"{OLD_PREFIX}{output.name}-*") if p.is_dir())
    if not output.exists() and olds:
        os.replace(olds[-1], output)
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for path in output.parent.glob(f"{prefix}{output.name}-*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
