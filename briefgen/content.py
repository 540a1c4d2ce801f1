"""The first two stages: read the content files (stamps, hashes), then parse the changed ones.

A file whose stamp is the one recorded (and old enough to be trusted) is not
read; a file read again whose bytes hash as before is not parsed again. What
is parsed is parsed on every core (`parallel.ordered_map`), in a stable
order, so the result does not depend on the cache.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from briefgen.bodies import text_digest
from briefgen.cache import Cache, Parsed, Source
from briefgen.config import Config
from briefgen.deps import digest_bytes
from briefgen.diagnostics import Diagnostic, error
from briefgen.loader import content_files, duplicate_slugs, parse_entry
from briefgen.model import Entry
from briefgen.parallel import ordered_map
from briefgen.sources import stamp

Progress = Callable[[int, int], None]


def content_digests(
    config: Config, known: Mapping[str, Source]
) -> tuple[dict[str, bytes], list[Diagnostic]] | None:
    """The digest of every content file (a file whose stamp `known` trusts is not read), and
    the folder's problems; None when a file cannot be read (`read_content` says why)."""
    files, problems = content_files(config)
    digests: dict[str, bytes] = {}
    for path in files:
        shown = _shown(path, config)
        old = known.get(shown)
        if old is not None and old.trusted(stamp(path)):
            digests[shown] = old.digest
            continue
        try:
            digests[shown] = digest_bytes(path.read_bytes())
        except OSError:
            return None
    return digests, problems


def read_content(
    config: Config, cache: Cache, *, drafts: bool = False, progress: Progress | None = None
) -> tuple[list[Entry], list[Diagnostic], list[Diagnostic]]:
    """Every entry (drafts only when asked), the cache brought up to date; the folder's
    problems (links skipped, folders unreadable), then those of the files and entries."""
    files, folder = content_files(config)
    problems: list[Diagnostic] = []
    records: dict[str, Parsed] = {}
    todo: list[tuple[str, Path, bytes]] = []
    for path in files:
        shown = _shown(path, config)
        now, seen = time.time_ns(), stamp(path)
        old = cache.content.get(shown)
        usable = old is not None and old.usable(cache.bodies, config.unsafe_html)
        if old is not None and usable and old.trusted(seen):
            records[shown] = old
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            problems.append(error(shown, 0, f"cannot read the file: {reason}", code="read"))
            continue
        digest = digest_bytes(raw)
        if old is not None and usable and old.digest == digest:
            records[shown] = replace(old, stamp=seen, read_at=now)
        else:
            records[shown] = Parsed(seen, now, digest)
            todo.append((shown, path, raw))
    parsed = ordered_map(lambda item: parse_entry(item[2], item[1], config), todo, progress)
    for (shown, _path, _raw), (entry, diagnostics) in zip(todo, parsed, strict=True):
        record = records[shown]
        text = text_digest(entry.body) if entry is not None else b""
        records[shown] = Parsed(
            record.stamp, record.read_at, record.digest, entry, tuple(diagnostics), text
        )
    if (
        todo
        or records.keys() != cache.content.keys()
        or any(records[shown] is not cache.content.get(shown) for shown in records)
    ):
        cache.dirty = True
    cache.content = records
    entries: list[Entry] = []
    for record in records.values():
        problems.extend(record.diagnostics)
        if record.entry is not None and (drafts or not record.entry.draft):
            entries.append(record.entry)
    problems.extend(duplicate_slugs(entries))
    return entries, folder, problems


def _shown(path: Path, config: Config) -> str:
    """`config.shown` without resolving links: the files come from walking the project."""
    text, root = str(path), f"{config.root}{os.sep}"
    if text.startswith(root):  # as `relative_to`, at a tenth of its cost
        return text[len(root) :].replace(os.sep, "/")
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return config.shown(path)
