"""The writing stage: each output file is kept, or written, and the output folder swapped once.

`Writer` is given every file of the new site as it is produced. A file whose
signature (what it was made from) and whose file on disk match the cache is
kept without being rendered; a file rendered again whose bytes did not change
is kept too. Only when something changed (a file written, or one gone) is a
staging folder made: kept files go in as hard links to the current ones and
the folders are swapped (`write.Staging`, which says why this is safe). A
build that changes nothing touches nothing: modification times stay.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from briefgen.cache import Output
from briefgen.deps import digest_bytes
from briefgen.diagnostics import BriefgenError, error
from briefgen.sources import MISSING, stamp
from briefgen.write import Staging


class Writer:
    """Collects the files of one build; `finish()` makes the output folder hold exactly them."""

    def __init__(self, output: Path, previous: Mapping[str, Output]) -> None:
        self.output = output
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
        self._open().add(relative, data, origin)
        self.records[relative] = Output(signature, digest, MISSING)
        self.written.append(relative)

    def current(self, relative: str) -> Path:
        """Where the bytes of `relative` are now: the staging folder if written, else the output."""
        if relative in self.written and self._staging is not None:
            return self._staging.folder / relative
        return self.output / relative

    def finish(self) -> dict[str, Output]:
        """Swap in the new site if anything changed; the records of what is now on disk."""
        self.removed = sorted(self.previous.keys() - self.records.keys())
        if self._staging is None and not self.removed and self.output.is_dir():
            return self.records
        staging = self._open()
        for relative, origin in self.kept:
            staging.link(relative, self.output / relative, origin)
        staging.commit()
        for relative in self.written:
            record = self.records[relative]
            self.records[relative] = Output(
                record.signature, record.digest, stamp(self.output / relative)
            )
        return self.records

    def close(self) -> None:
        """Drop the staging folder of a build that did not finish."""
        if self._staging is not None:
            self._staging.__exit__(None, None, None)
            self._staging = None

    def _open(self) -> Staging:
        if self._staging is None:
            self._staging = Staging(self.output, locked=True).__enter__()
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
