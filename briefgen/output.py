"""The writing stage: each output file is kept, or written, and the output folder swapped once.

`Writer` is given every file of the new site as it is produced. A file whose
signature (what it was made from) and whose file on disk match the cache is
kept without being rendered; a file rendered again whose bytes did not change
is kept too. Only when something changed (a file written, or one gone) is a
staging folder made, or the previous site kept as the spare brought up to
date: kept files go in as hard links to the current ones and the folders are
swapped (`write.Staging`, which says why this is safe). A
build that changes nothing touches nothing: modification times stay.

The live preview's output is a private temporary folder that only its own
server reads, and the open tabs are told to reload after the build: there a
whole-site swap buys nothing and relinking 12 000 unchanged files costs
seconds per edit. With `in_place=True` each changed file is written to a
temporary file beside its place as it comes and renamed over it in
`finish()` (one atomic rename per file: a request sees the old bytes or the
new, never a part), then the files that are gone are removed. A build that
fails renames nothing and removes its temporary files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from briefgen.cache import Output
from briefgen.deps import digest_bytes
from briefgen.diagnostics import BriefgenError, error
from briefgen.sources import MISSING, stamp
from briefgen.write import Staging, prune_empty, umask

TEMPORARY_PREFIX = ".briefgen-new-"


class Writer:
    """Collects the files of one build; `finish()` makes the output folder hold exactly them."""

    def __init__(
        self,
        output: Path,
        previous: Mapping[str, Output],
        *,
        in_place: bool = False,
        spare: Path | None = None,
    ) -> None:
        self.output = output
        self.in_place = in_place
        self.spare = spare  # where the previous site is kept for the next build (`Staging`)
        self._pending: dict[str, str] = {}  # in place: relative path -> its temporary file
        self._prefix = f"{output}{os.sep}"  # paths as strings: 12 000 `Path`s cost 0.1 s
        self.previous = previous
        self.records: dict[str, Output] = {}
        self.origins: dict[str, str] = {}
        self.kept: list[tuple[str, str]] = []
        self.written: list[str] = []
        self.removed: list[str] = []
        self._staging: Staging | None = None

    def unchanged(self, relative: str, signature: bytes) -> bool:
        """The file on disk was made from the same inputs and nobody touched it since."""
        record = self.previous.get(relative)
        return (
            record is not None
            and record.signature == signature
            and record.stamp == stamp(self._prefix + relative)
        )

    def keep(self, relative: str, origin: str) -> None:
        """Keep the current file (after `unchanged` said so)."""
        self._claim(relative, origin)
        self.records[relative] = self.previous[relative]
        self.kept.append((relative, origin))

    def put(self, relative: str, data: bytes, origin: str, signature: bytes) -> None:
        """The file's bytes: written if they differ from the file on disk, kept otherwise."""
        digest = digest_bytes(data)
        record = self.previous.get(relative)
        if (
            record is not None
            and record.digest == digest
            and record.stamp == stamp(self.output / relative)
        ):
            self._claim(relative, origin)
            self.records[relative] = Output(signature, digest, record.stamp)
            self.kept.append((relative, origin))
            return
        self._claim(relative, origin)
        if self.in_place:
            self._pending[relative] = _temporary(self.output / relative, data)
        else:
            self._open().add(relative, data, origin)
        self.records[relative] = Output(signature, digest, MISSING)
        self.written.append(relative)

    def current(self, relative: str) -> Path:
        """Where the bytes of `relative` are now: the staging folder if written, else the output."""
        if relative in self._pending:
            return Path(self._pending[relative])
        if relative in self.written and self._staging is not None:
            return self._staging.folder / relative
        return self.output / relative

    def finish(self) -> dict[str, Output]:
        """Swap in the new site if anything changed; the records of what is now on disk."""
        self.removed = sorted(self.previous.keys() - self.records.keys())
        if self.in_place:
            self._rename_pending()
        elif self._staging is None and not self.removed and self.output.is_dir():
            return self.records
        else:
            self._swap()
        for relative in self.written:
            record = self.records[relative]
            self.records[relative] = Output(
                record.signature, record.digest, stamp(self.output / relative)
            )
        return self.records

    def _rename_pending(self) -> None:
        """In place: each written file renamed over the old one, then the stale files removed."""
        for relative, temporary in self._pending.items():
            os.replace(temporary, self.output / relative)
        self._pending.clear()
        for relative in self.removed:
            path = self.output / relative
            path.unlink(missing_ok=True)
            prune_empty(path.parent, self.output)

    def _swap(self) -> None:
        staging = self._open()
        for relative, origin in self.kept:
            inode = self.records[relative].stamp[2]
            staging.link(relative, self._prefix + relative, origin, inode)
        staging.commit()

    def close(self) -> None:
        """Drop the staging folder (or the temporary files) of a build that did not finish."""
        for temporary in self._pending.values():
            Path(temporary).unlink(missing_ok=True)
        self._pending.clear()
        if self._staging is not None:
            self._staging.__exit__(None, None, None)
            self._staging = None

    def _open(self) -> Staging:
        if self._staging is None:
            self._staging = Staging(self.output, locked=True, spare=self.spare).__enter__()
        return self._staging

    def _claim(self, relative: str, origin: str) -> None:
        first = self.origins.get(relative)
        self.origins[relative] = origin
        if first is not None:
            raise BriefgenError(
                [
                    error(
                        origin,
                        0,
                        f"the output file {relative} is written twice: by {first} and by {origin}",
                        code="duplicate-output",
                    )
                ]
            )


def _temporary(target: Path, data: bytes) -> str:
    """`data` in a new temporary file beside `target`, to be renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o666 & ~umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
