"""The files a build reads from a folder of the project, and nothing outside it.

A briefing repository can commit a symbolic link (`static/key -> ~/.ssh/id_rsa`,
`content/x -> /proc/self/environ`), so links are followed only when they
point inside `inside` (the project, or the installed theme for its own
assets); any other link is skipped and named in a warning. Folders that
cannot be read, and files that are not regular files (a FIFO would block the
build), are named too: nothing is skipped without a word.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefgen.diagnostics import Diagnostic, error, warning

# (size, modification time in ns, inode) of a file when it was read
Stamp = tuple[int, int, int]
MISSING: Stamp = (-1, -1, -1)


def stamp(path: Path | str) -> Stamp:
    """What changes when a file's content may have changed; `MISSING` when it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return MISSING
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def project_files(
    folder: Path, shown_root: Path, inside: Path | None = None
) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """Every regular file under `folder`: `(relative path with /, path)`, sorted; and problems.

    `shown_root` is the folder messages are relative to (the project); links
    are followed only when their target is inside `inside` (default: the project).
    """
    boundary = (inside or shown_root).resolve()
    found: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    walker = _Walker(folder, shown_root, boundary, found, problems)
    if folder.is_symlink() and not walker.allowed(folder):
        return [], problems
    if folder.is_dir():
        walker.walk(folder, "", {folder.resolve()})
    found.sort()
    return found, problems


class _Walker:
    def __init__(
        self,
        root: Path,
        shown_root: Path,
        boundary: Path,
        found: list[tuple[str, Path]],
        problems: list[Diagnostic],
    ) -> None:
        self.root = root
        self.shown_root = shown_root
        self.boundary = boundary
        self.found = found
        self.problems = problems

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.shown_root).as_posix()
        except ValueError:
            return str(path)

    def allowed(self, link: Path) -> bool:
        """A link is followed only to an existing target inside the boundary."""
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError):
            self.problems.append(
                warning(self.shown(link), 0, "skipped: a symbolic link to nothing", code="link")
            )
            return False
        if not target.is_relative_to(self.boundary):
            self.problems.append(
                warning(
                    self.shown(link),
                    0,
                    "skipped: a symbolic link to a path outside the project "
                    "(expected a file or folder inside it)",
                    code="link",
                )
            )
            return False
        return True

    def walk(self, folder: Path, prefix: str, seen: set[Path]) -> None:
        try:
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda item: item.name)
        except OSError as exc:
            self.problems.append(
                error(
                    self.shown(folder),
                    0,
                    f"cannot read the folder: {exc.strerror or exc}",
                    code="read",
                )
            )
            return
        for child in children:
            relative = f"{prefix}{child.name}"
            if not child.is_symlink() and child.is_file(follow_symlinks=False):
                # the common case, told by the listing itself: no `stat`, no path arithmetic
                self.found.append((relative, Path(child.path)))
                continue
            path = Path(child.path)
            if child.is_symlink() and not self.allowed(path):
                continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                reason = exc.strerror or str(exc)
                self.problems.append(
                    error(self.shown(path), 0, f"cannot read: {reason}", code="read")
                )
                continue
            if stat.S_ISDIR(mode):
                real = path.resolve()
                if real in seen:  # a link back up the tree: walked once already
                    continue
                self.walk(path, relative + "/", seen | {real})
            elif stat.S_ISREG(mode):
                self.found.append((relative, path))
            else:
                self.problems.append(
                    warning(
                        self.shown(path),
                        0,
                        "skipped: not a regular file (a FIFO, socket or device)",
                        code="read",
                    )
                )
