"""The Markdown bodies of the entries, rendered to HTML: a stage of its own, after the model.

The model holds each body as written; this stage turns it into a `Body`
(HTML, the plain text of its first paragraph, its word count), keyed by a
hash of the body and of the one setting that changes its HTML, so that a
body is rendered once whatever else changes. Templates ask for it with
`body(entry)` and `summary(entry)`.

The HTML is most of what a build remembers (about 55 MB at 10 000 entries),
and a page that is not rendered again never needs it. So the cache keeps a
small `Summary` of each body (first paragraph, word count, digest of the
HTML) and the HTML itself goes to a `Store`: a SQLite file beside the cache,
read one body at a time when a page that shows it is rendered, in whichever
process renders that page. The HTML read back must hash to the digest in the
(signed) cache: anything else raises `Damaged`, and `build()` starts again
clean, so a damaged or foreign store can cost time but never change the site.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.markdown import Rendered, make_parser, render
from briefgen.model import Entry
from briefgen.parallel import ordered_map

Body = Rendered
Progress = Callable[[int, int], None]
BATCH = 256  # bodies written to the store per transaction while they stream in


class Damaged(Exception):
    """The body store cannot be read, or does not hold what the cache says it holds."""


@dataclass(frozen=True)
class Summary:
    """What the cache keeps of a rendered body; the HTML is in the `Store`."""

    first_paragraph: str
    words: int
    digest: bytes  # of the HTML's UTF-8 bytes


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def text_digest(text: str) -> bytes:
    """The digest of a body as written."""
    return _digest(text.encode("utf-8"))


def body_key(text: bytes, unsafe_html: bool) -> bytes:
    """What a body's HTML depends on: its text (`text_digest`) and whether raw HTML is kept."""
    return _digest(text + (b"unsafe" if unsafe_html else b"safe"))


class Store:
    """The HTML of bodies by key: a SQLite file, or a dict when `path` is None.

    Each process opens its own connection (workers are forked: a connection
    must not cross a fork). Every SQLite failure is raised as `Damaged`.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._memory: dict[bytes, bytes] = {}
        self._connections: dict[int, sqlite3.Connection] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "_memory": {}, "_connections": {}}

    def _db(self) -> sqlite3.Connection:
        assert self.path is not None
        pid = os.getpid()
        connection = self._connections.get(pid)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bodies (key BLOB PRIMARY KEY, html BLOB NOT NULL) "
                "WITHOUT ROWID"
            )
            self._connections[pid] = connection
        return connection

    def keys(self) -> set[bytes]:
        if self.path is None:
            return set(self._memory)
        try:
            return {bytes(row[0]) for row in self._db().execute("SELECT key FROM bodies")}
        except sqlite3.Error as exc:
            raise Damaged(str(exc)) from None

    def put(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        if self.path is None:
            self._memory.update(items)
            return
        try:
            db = self._db()
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", items)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise Damaged(str(exc)) from None

    def html(self, key: bytes, digest: bytes) -> str:
        """The HTML stored under `key`, which must hash to `digest`."""
        if self.path is None:
            data = self._memory.get(key)
        else:
            try:
                row = self._db().execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                raise Damaged(str(exc)) from None
            data = bytes(row[0]) if row is not None else None
        if data is None or _digest(data) != digest:
            raise Damaged("a body is missing or does not match the cache")
        return data.decode("utf-8")

    def prune(self, keep: Collection[bytes]) -> None:
        """Forget the bodies not in `keep`."""
        gone = [key for key in self.keys() if key not in keep]
        if self.path is None:
            for key in gone:
                del self._memory[key]
        elif gone:
            try:
                db = self._db()
                db.execute("BEGIN")
                db.executemany("DELETE FROM bodies WHERE key = ?", [(key,) for key in gone])
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise Damaged(str(exc)) from None

    def close(self) -> None:
        """Close this process's connection (a new one opens on next use)."""
        connection = self._connections.pop(os.getpid(), None)
        if connection is not None:
            connection.close()


class Bodies(Mapping[str, Body]):
    """Each shown entry's body by the entry's path; the HTML is read only when asked for."""

    def __init__(
        self, keys: dict[str, bytes], summaries: Mapping[bytes, Summary], store: Store
    ) -> None:
        self.keys_by_path = keys
        self.summaries = summaries
        self.store = store

    def __getitem__(self, path: str) -> Body:
        key = self.keys_by_path[path]
        summary = self.summaries[key]
        html = self.store.html(key, summary.digest)
        return Rendered(html, summary.first_paragraph, summary.words)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_by_path)

    def __len__(self) -> int:
        return len(self.keys_by_path)

    def first_paragraph(self, path: str) -> str:
        key = self.keys_by_path.get(path)
        summary = self.summaries.get(key) if key is not None else None
        return summary.first_paragraph if summary is not None else ""


def render_bodies(
    entries: Iterable[Entry],
    *,
    unsafe_html: bool,
    summaries: dict[bytes, Summary],
    store: Store,
    texts: Mapping[str, bytes] | None = None,
    progress: Progress | None = None,
) -> Bodies:
    """Each entry's body by the entry's path; only bodies not in `summaries` are rendered.

    `texts` gives each entry's `text_digest` (computed from `entry.body` when
    absent): an entry read from the cache on disk has no body text any more,
    and `content.read_content` parses it again if its body is not stored.
    The HTML streams from the workers into `store`, never all in memory.
    """
    entries = list(entries)
    keys: dict[str, bytes] = {}
    todo: dict[bytes, str] = {}
    for entry in entries:
        text = texts.get(entry.path) if texts is not None else None
        key = body_key(text if text is not None else text_digest(entry.body), unsafe_html)
        keys[entry.path] = key
        if key not in summaries:
            todo.setdefault(key, entry.body)
    items = sorted(todo.items())
    md = make_parser(unsafe_html=unsafe_html)
    batch: list[tuple[bytes, bytes]] = []
    for (key, _text), done in zip(
        items, ordered_map(lambda item: render(md, item[1]), items, progress), strict=True
    ):
        data = done.html.encode("utf-8")
        batch.append((key, data))
        summaries[key] = Summary(done.first_paragraph, done.words, _digest(data))
        if len(batch) >= BATCH:
            store.put(batch)
            batch = []
    if batch:
        store.put(batch)
    return Bodies(keys, summaries, store)


def summary_of(entry: Entry, bodies: Mapping[str, Body]) -> str:
    """The entry's own summary, or the first paragraph of its body."""
    if entry.summary:
        return entry.summary
    if isinstance(bodies, Bodies):
        return bodies.first_paragraph(entry.path)
    body = bodies.get(entry.path)
    return body.first_paragraph if body is not None else ""
