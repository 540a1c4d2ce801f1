"""Writing the output: staged, atomic, never two writes to one path, one build at a time.

A build that changes anything writes its files into a staging folder (unchanged
files are hard links to those of the current output, so their bytes and
modification times stay as they were), then swaps the two folders in one step.
The folder swapped out, the previous site, is kept as the next build's staging
folder (the *spare*) when the caller gives it a place: the next build then only
replaces the files that differ from its output and removes the ones it does not
make, instead of linking every file again and deleting a whole tree (at 10 000
articles, 23 000 links and 13 000 folders: seconds per build). Why this is safe:

- the swap is `renameat2(RENAME_EXCHANGE)`: the output path names the old
  site or the new one at every instant, never nothing. Where the system
  cannot exchange, the old site is renamed aside then the new one in place;
  a build killed between the two renames leaves the old site aside, and the
  next build puts it back before anything else (`remove_leftovers`);
- a hard link is the same file, not a copy: no file is ever written in place.
  A changed file is a new file (in the spare, the link standing at its path is
  removed first), so the current site is never modified, and the links in
  staging see exactly the bytes the cache recorded for them;
- a spare is trusted for nothing: it is walked when a build opens it, and a
  file is kept only when it is the very file (same inode) the new site keeps at
  that path; every other file is removed or replaced, and anything that is not a
  plain file or folder is removed on sight. A build killed while it refreshes
  the spare leaves the output untouched and the next build finishes the job;
- builds of one output take `OutputLock` first; only its holder touches its
  spare or removes staging or old folders left by killed builds, so a build
  never deletes the staging folder of a build that is still running.

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
    caller holds it (`locked=True`). With `spare` (a path on the output's file
    system, owned by this output), the previous site is kept there after the
    swap and the next build stages into it.
    """

    def __init__(self, output: Path, *, locked: bool = False, spare: Path | None = None) -> None:
        self.output = output.resolve()
        self.origins: dict[str, str] = {}
        self.root: Path | None = None
        self.spare = spare
        self._reused = False  # staging into the spare: its files are those of an older site
        self._present: dict[str, int] = {}  # in the spare: each file's inode, by relative path
        self._folders: set[str] = set()  # folders made (or found) in the staging folder
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
        spare = self.spare
        if spare is not None and spare.is_dir() and not spare.is_symlink():
            if same_device(spare, self.output.parent):  # inodes compare on one file system
                self.root, self._reused = spare, True
                self._present = inventory(spare)
                return
            shutil.rmtree(spare, ignore_errors=True)
        self.root = Path(
            tempfile.mkdtemp(dir=self.output.parent, prefix=f"{STAGING_PREFIX}{self.output.name}-")
        )
        os.chmod(self.root, 0o777 & ~umask())

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        # a spare is left as it is: the next build checks every file of it anyway
        if self.root is not None and not self._reused and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        if self._lock is not None:
            self._lock.__exit__(kind, value, tb)

    def add(self, relative: str, data: bytes, origin: str) -> None:
        """Stage one file; a second write to the same path is an error naming both origins."""
        key = self._claim(relative, origin)
        target = self._root() / key
        self._make_room(target, key)
        target.write_bytes(data)

    def link(self, relative: str, source: Path | str, origin: str, inode: int = -1) -> None:
        """Stage the file `source` of the current output as it is: a hard link (a copy
        keeping its modification time where links are refused). `inode` is the
        source's, when known: a spare already holding that very file keeps it."""
        key = self._claim(relative, origin)
        if self._reused and inode >= 0 and self._present.get(key) == inode:
            return
        target = self._root() / key
        self._make_room(target, key)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def _make_room(self, target: Path, key: str) -> None:
        """The folders above `target` (at `key`), and nothing left of an older site at its
        path. A folder made once stays: no file of this site is staged at its path."""
        folder = key.rpartition("/")[0]
        if folder not in self._folders:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if not self._reused:
                    raise
                self._unblock(target)  # a file of the older site stands where a folder must be
                target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        if self._reused:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)

    def _unblock(self, target: Path) -> None:
        root = self._root()
        parts = target.relative_to(root).parts[:-1]
        for depth in range(1, len(parts) + 1):
            folder = root.joinpath(*parts[:depth])
            if not folder.is_dir() or folder.is_symlink():
                folder.unlink(missing_ok=True)
                self._present.pop("/".join(parts[:depth]), None)
                return

    def _key(self, relative: str) -> str:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise ValueError(f"output path {relative!r} leaves the output folder")
        return "/".join(pure.parts)

    def _claim(self, relative: str, origin: str) -> str:
        """`relative` as a path inside the staging folder, claimed by `origin`."""
        key = self._key(relative)
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
        return key

    def add_all(self, files: Iterable[tuple[str, bytes, str]]) -> None:
        for relative, data, origin in files:
            self.add(relative, data, origin)

    def commit(self) -> None:
        """Swap the staging folder in place of the output folder."""
        root = self._root()
        if self._reused:
            self._drop_strays(root)
        if self.output.is_dir() and not self.output.is_symlink() and _exchange(root, self.output):
            self.root = None
            self._retire(root)  # the previous site, now in `root`
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
            self._retire(old)

    def _drop_strays(self, root: Path) -> None:
        """Remove the spare's files that the new site does not have, and emptied folders."""
        for key in sorted(self._present.keys() - self.origins.keys()):
            path = root / key
            path.unlink(missing_ok=True)
            prune_empty(path.parent, root)

    def _retire(self, previous: Path) -> None:
        """Keep the previous site as the spare, or remove it."""
        spare = self.spare
        if previous == spare:  # staged in the spare: it holds the previous site already
            return
        if spare is not None:
            try:
                if spare.is_dir() and not spare.is_symlink():
                    shutil.rmtree(spare)
                else:
                    spare.unlink(missing_ok=True)
                os.replace(previous, spare)
                return
            except OSError:  # another file system, or not ours to replace
                pass
        shutil.rmtree(previous, ignore_errors=True)

    @property
    def folder(self) -> Path:
        """The staging folder, holding what was added so far."""
        return self._root()

    def _root(self) -> Path:
        if self.root is None:
            raise RuntimeError("Staging is not open")
        return self.root


def same_device(first: Path, second: Path) -> bool:
    """Both paths are on one file system (where an inode number names one file)."""
    try:
        return os.stat(first).st_dev == os.stat(second).st_dev
    except OSError:
        return False


def inventory(folder: Path) -> dict[str, int]:
    """Every plain file under `folder`, by relative path, with its inode. Anything else
    (a link, a device) is removed on sight, and so is an empty folder."""
    found: dict[str, int] = {}

    def walk(path: str, prefix: str) -> bool:
        empty = True
        with os.scandir(path) as entries:
            for item in entries:
                if item.is_dir(follow_symlinks=False):
                    if walk(item.path, f"{prefix}{item.name}/"):
                        os.rmdir(item.path)
                    else:
                        empty = False
                elif item.is_file(follow_symlinks=False):
                    found[prefix + item.name] = item.inode()
                    empty = False
                else:
                    os.unlink(item.path)
        return empty

    walk(str(folder), "")
    return found


def prune_empty(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            return
        folder = folder.parent


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
