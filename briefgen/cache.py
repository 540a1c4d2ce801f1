"""What a build remembers: in memory for `serve`, in `.briefgen-cache/` for `briefgen build`.

The cache only ever saves work, never decides what the site says: each
record is checked against the files before use (a content file by its stamp,
or by the hash of its bytes when the stamp is too recent to be trusted; an
output file by its stamp), and every record depends on the settings through
the page signatures. Deleting the folder costs one cold build.

On disk the cache is two files. `build.cache`: a header naming the format
and briefgen's version, an HMAC of the payload under a key kept in the user's
own cache folder (never in the project), then a pickle. A repository can
commit any file at `.briefgen-cache/`, so a payload is unpickled only when
its HMAC proves this user's briefgen wrote it; a truncated, corrupt, foreign
or older cache is ignored with one warning and the build starts clean.
`bodies.sqlite`: the bodies' HTML (`bodies.Store`), never unpickled, each
body checked against its digest in the signed pickle when it is read.

The pickle holds neither HTML nor the Markdown of a body whose HTML is
stored (an entry's `body` is saved empty, marked `stripped`): loading it is
what every build pays, and most builds read few bodies if any.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.bodies import Damaged, Store, Summary, body_key
from briefgen.coverage_stage import CoverageCache
from briefgen.deps import Reading
from briefgen.diagnostics import Diagnostic, warning
from briefgen.model import Entry
from briefgen.sources import Stamp
from briefgen.story_stage import StoryCache
from briefgen.write import write_file

FOLDER = ".briefgen-cache"
FILE = "build.cache"
GLANCE = "last.cache"
BODIES = "bodies.sqlite"
SPARE_PREFIX = "previous-site-"
PREVIEW = "preview"
FORMAT = f"briefgen-cache 8 {__version__}\n".encode()
# a stamp this close to the moment it was taken may hide a later edit of the same size
RACY_NS = 2_000_000_000


@dataclass
class Source:
    """A file read by the last build: its stamp when read and the hash of its bytes."""

    stamp: Stamp
    read_at: int  # time.time_ns() when the stamp was taken
    digest: bytes

    def trusted(self, stamp: Stamp) -> bool:
        """The file is unchanged if its stamp is, and the stamp was old enough when taken."""
        return stamp == self.stamp and self.stamp[1] + RACY_NS < self.read_at


@dataclass
class Parsed(Source):
    """A content file: what it gave (an entry or nothing) and its messages."""

    entry: Entry | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    text: bytes = b""  # `bodies.text_digest` of the entry's body
    stripped: bool = False  # `entry.body` was left out of the cache on disk

    def usable(self, bodies: Mapping[bytes, Summary], unsafe_html: bool) -> bool:
        """The record gives all the entry needs: its body text, or the body already made."""
        return self.entry is None or not self.stripped or body_key(self.text, unsafe_html) in bodies


@dataclass
class Output:
    """A file of the output: what made it (signature) and the file as written."""

    signature: bytes
    digest: bytes
    stamp: Stamp


@dataclass(frozen=True)
class Last:
    """The last whole build: a digest of all it read, and what it reported.

    When a build reads the same inputs (`build.inputs`) and finds every output
    file as it was left, it is that build again: it gives this back and does
    nothing else.
    """

    inputs: bytes
    entries: int
    pages: int
    drafts: int
    warnings: tuple[Diagnostic, ...]  # those found after the content was read
    read: tuple[Diagnostic, ...] = ()  # those of the content files and their entries


@dataclass
class Glance:
    """What a build with nothing to do reads: the last whole build, the stamps and digests of
    the files it read and the stamps of the files it wrote. Saved apart from the cache
    (`GLANCE`, a twentieth of its size), so that such a build loads nothing else."""

    last: Last
    content: dict[str, Source]
    plain: dict[str, Source]
    templates: dict[bytes, Reading]
    output: str
    outputs: dict[str, Stamp]


@dataclass
class Cache:
    content: dict[str, Parsed] = field(default_factory=dict)  # by path relative to the project
    bodies: dict[bytes, Summary] = field(default_factory=dict)  # by `bodies.body_key`
    coverage: CoverageCache = field(default_factory=CoverageCache)  # leads, quotes, names
    plain: dict[str, Source] = field(default_factory=dict)  # copied files, by source path
    output: str = ""  # the output folder the records below describe
    outputs: dict[str, Output] = field(default_factory=dict)
    stories: StoryCache = field(default_factory=StoryCache)  # words of entries, last grouping
    templates: dict[bytes, Reading] = field(default_factory=dict)  # deps.Templates
    cards: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # deps.Signer
    last: Last | None = None  # the last build, when its output is whole (search index included)
    # the Jinja environment of these settings (`repr(config)`), kept in memory by the preview so
    # that templates are compiled once, not once per build; never saved
    environment: tuple[str, Any] | None = None
    dirty: bool = False  # learnt something since it was loaded: worth saving
    store: Store = field(default_factory=Store)  # the bodies' HTML (not in the pickle)

    def reset(self, store: Store) -> None:
        """Forget everything (the store was damaged): the next build is a clean one."""
        self.store.close()
        for item in fields(self):
            setattr(self, item.name, getattr(Cache(), item.name))
        self.store = store


def cache_file(root: Path) -> Path:
    return root / FOLDER / FILE


def preview_folder(root: Path) -> Path | None:
    """The live preview's output, kept between sessions so that the next one starts from
    it (`serve.seed_output`); None when the cache folder is a link or cannot be made."""
    folder = _folder(root)
    return None if folder is None else folder / PREVIEW


def _folder(root: Path) -> Path | None:
    """The project's cache folder, made (with the `.gitignore` that keeps it out of git)."""
    folder = root / FOLDER
    if folder.is_symlink():
        return None
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            write_file(ignore, b"# the build cache of briefgen: safe to delete\n*\n")
    except OSError:
        return None
    return folder


def spare_folder(root: Path, output: Path) -> Path | None:
    """Where a build into `output` keeps the previous site for the next one (`write.Staging`):
    in the cache folder, one per output folder; None when the cache folder is a link or
    cannot be made."""
    folder = _folder(root)
    if folder is None:
        return None
    name = hashlib.blake2b(os.fsencode(output), digest_size=8).hexdigest()
    return folder / f"{SPARE_PREFIX}{name}"


def load_cache(root: Path) -> tuple[Cache, list[Diagnostic]]:
    """The cache of the project at `root`, or an empty one (with a warning when unusable)."""
    cache, notes = _load(root)
    store = cache.store = _store(root)
    try:
        present = store.keys()
    except Damaged:
        cache.reset(_fresh(store))
        return cache, [*notes, _ignored("truncated or corrupt", BODIES)]
    if cache.bodies.keys() - present:  # pruned by another build: those entries are read again
        cache.bodies = {key: value for key, value in cache.bodies.items() if key in present}
    return cache, notes


def _load(root: Path) -> tuple[Cache, list[Diagnostic]]:
    cache, why = _unpickle(cache_file(root))
    if not isinstance(cache, Cache) or set(vars(cache)) != {f.name for f in fields(Cache)}:
        return Cache(), [] if why is None else [_ignored(why or "unreadable")]
    cache.dirty = False
    return cache, []


def load_glance(root: Path) -> Glance | None:
    """The glance of the last whole build (`Glance`), or None. An unusable one is not
    reported: the cache it stands for is, when the build loads it."""
    glance, _why = _unpickle(root / FOLDER / GLANCE)
    return glance if isinstance(glance, Glance) else None


def _unpickle(path: Path) -> tuple[object, str | None]:
    """The object saved in `path` by `_save`, or None and why not ("" for unreadable; None
    for a file that is not there)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"cannot read it: {exc.strerror or exc}"
    key = _key()
    head = memoryview(raw)[len(FORMAT) :]  # a view: copying 50 MB twice costs more than the HMAC
    if raw[: len(FORMAT)] != FORMAT or len(head) < 32 or key is None:
        return None, "written by another version of briefgen, or not a cache"
    signature, payload = bytes(head[:32]), head[32:]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return None, "truncated, corrupt, or written by someone else"
    try:
        with _collector_paused():
            return pickle.loads(payload), ""
    except Exception:  # signed but unreadable: a bug in an older briefgen, start again
        return None, ""


def _store(root: Path) -> Store:
    """The project's body store; in memory when the folder cannot hold one."""
    folder = _folder(root) if _key() is not None else None
    return Store() if folder is None else Store(folder / BODIES)


def _fresh(store: Store) -> Store:
    """An empty store in place of a damaged one (in memory if the file cannot be removed)."""
    store.close()
    if store.path is None:
        return Store()
    try:
        for suffix in ("", "-journal", "-wal", "-shm"):
            store.path.with_name(store.path.name + suffix).unlink(missing_ok=True)
    except OSError:
        return Store()
    return Store(store.path)


def recover(cache: Cache) -> Diagnostic:
    """After `Damaged`: an empty cache and a fresh store, and the warning that says so."""
    cache.reset(_fresh(cache.store))
    cache.dirty = True
    return _ignored("truncated, corrupt, or written by someone else", BODIES)


def save_cache(root: Path, cache: Cache) -> None:
    """Write the cache atomically; a cache that cannot be written only costs speed."""
    key = _key()
    if key is None or not cache.dirty:
        return
    folder = _folder(root)
    if folder is None:
        return
    cache.dirty = False
    saved = replace(cache, content=_stripped(cache), store=Store(), dirty=False, environment=None)
    try:
        # the old glance is removed first and the new one written last: a build killed
        # in between leaves none, and the next build reads the cache
        (folder / GLANCE).unlink(missing_ok=True)
        _save(folder / FILE, saved, key)
        glance = _glance(cache)
        if glance is not None:
            _save(folder / GLANCE, glance, key)
    except OSError:
        return


def _save(path: Path, thing: object, key: bytes) -> None:
    with _collector_paused():
        payload = pickle.dumps(thing, protocol=pickle.HIGHEST_PROTOCOL)
    write_file(path, FORMAT + hmac.new(key, payload, hashlib.sha256).digest() + payload)


def _glance(cache: Cache) -> Glance | None:
    if cache.last is None:
        return None
    return Glance(
        cache.last,
        {path: Source(r.stamp, r.read_at, r.digest) for path, r in cache.content.items()},
        dict(cache.plain),
        dict(cache.templates),
        cache.output,
        {path: record.stamp for path, record in cache.outputs.items()},
    )


def _stripped(cache: Cache) -> dict[str, Parsed]:
    """The records to save: an entry whose body is in the store goes without its text."""
    records: dict[str, Parsed] = {}
    for path, record in cache.content.items():
        entry = record.entry
        if (
            entry is not None
            and entry.body
            and (
                body_key(record.text, False) in cache.bodies
                or body_key(record.text, True) in cache.bodies
            )
        ):
            record = replace(record, entry=replace(entry, body=""), stripped=True)
        records[path] = record
    return records


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a moment: unpickling the cache makes some 100 000
    objects, and the collector would walk them again and again (half the load time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _ignored(why: str, name: str = FILE) -> Diagnostic:
    return warning(
        f"{FOLDER}/{name}",
        0,
        f"cache ignored: {why}; building from scratch",
        code="cache",
    )


def _key() -> bytes | None:
    """This user's key for signing caches, made on first use; None if it cannot be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "briefgen" / "cache-key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return path.read_bytes()
    except FileExistsError:
        data = path.read_bytes()
        return data if len(data) == 32 else None
    except OSError:
        return None
