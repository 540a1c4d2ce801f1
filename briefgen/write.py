"""Writing the output: staged, atomic, never two writes to one path, one build at a time.

A build that changes anything writes its files into a staging folder beside
the output (unchanged files are hard links to those of the current output,
so their bytes and modification times stay as they were), then swaps the two
folders in one step and removes the old one. Why this is safe:

- the swap is `renameat2(RENAME_EXCHANGE)`: the output path names the old
  site or the new one at every instant, never nothing. Where the system
  cannot exchange, the old site is renamed aside then the new one in place;
  a build killed between the two renames leaves the old site aside, and the
  next build puts it back before anything else (`_remove_leftovers`);
- a hard link is the same file, not a copy: the previous site is never
  modified (every changed file is a new file in the staging folder), so the
  links in staging see exactly the bytes the cache recorded for them;
- builds of one output take `OutputLock` first; only its holder removes
  staging or old folders left by killed builds, so a build never deletes
  the staging folder of a build that is still running.

`write_file` writes one file through a temporary file and `os.replace`.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import BriefgenError, Diagnostic, error

STAGING_PREFIX = ".briefgen-staging-"
OLD_PREFIX = ".briefgen-old-"
LOCK_PREFIX = ".briefgen-lock-"


@lru_cache(maxsize=1)
def umask() -> int:
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
        os.chmod(temp, 0o666 & ~umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class OutputLock:
    """An exclusive lock on one output folder, held for a whole build.

    The lock is a file beside the output, locked with `flock` (released by
    the system if the build dies) and removed on release; a build that
    opened a lock file just removed by another sees that the path no longer
    names its file, and tries again.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.path = self.output.parent / f"{LOCK_PREFIX}{self.output.name}"
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        while self.fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                raise BriefgenError(
                    [
                        error(
                            str(self.output),
                            0,
                            "another build is writing this folder (expected one build at "
                            "a time: wait for it to finish and build again)",
                            code="locked",
                        )
                    ]
                ) from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
            else:  # removed by the build that held it: lock the new file
                os.close(fd)
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if self.fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self.fd)
            self.fd = None


class Staging:
    """Collects the files of one build in a folder beside `output`, then swaps it in.

    Use as a context manager: on an exception the staging folder is removed
    and `output` is left as it was. It takes the output's lock unless the
    caller holds it (`locked=True`).
    """

    def __init__(self, output: Path, *, locked: bool = False) -> None:
        self.output = output.resolve()
        self.origins: dict[str, str] = {}
        self.root: Path | None = None
        self._lock = None if locked else OutputLock(self.output)

    def __enter__(self) -> Staging:
        if self._lock is not None:
            self._lock.__enter__()
        try:
            self._open()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _open(self) -> None:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.output)
        self.root = Path(
            tempfile.mkdtemp(dir=self.output.parent, prefix=f"{STAGING_PREFIX}{self.output.name}-")
        )
        os.chmod(self.root, 0o777 & ~umask())

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if self.root is not None and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        if self._lock is not None:
            self._lock.__exit__(kind, value, tb)

    def add(self, relative: str, data: bytes, origin: str) -> None:
        """Stage one file; a second write to the same path is an error naming both origins."""
        target = self._claim(relative, origin)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def link(self, relative: str, source: Path, origin: str) -> None:
        """Stage the file `source` of the current output as it is: a hard link (a copy
        keeping its modification time where links are refused)."""
        target = self._claim(relative, origin)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def _claim(self, relative: str, origin: str) -> Path:
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
        return target

    def add_all(self, files: Iterable[tuple[str, bytes, str]]) -> None:
        for relative, data, origin in files:
            self.add(relative, data, origin)

    def commit(self) -> None:
        """Swap the staging folder in place of the output folder."""
        root = self._root()
        if self.output.is_dir() and not self.output.is_symlink() and _exchange(root, self.output):
            self.root = None
            shutil.rmtree(root, ignore_errors=True)  # the previous site, now in `root`
            return
        old = None
        if self.output.exists() or self.output.is_symlink():
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


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux `renameat2`); False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_leftovers(output: Path) -> None:
    """Clean up after a killed build: restore a site it had moved aside, drop its staging.

    Called only by the holder of the output's lock: no other build is running."""
    olds = sorted(p for p in output.parent.glob(f"{OLD_PREFIX}{output.name}-*") if p.is_dir())
    if not output.exists() and olds:
        os.replace(olds[-1], output)
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for path in output.parent.glob(f"{prefix}{output.name}-*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
