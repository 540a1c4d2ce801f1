"""What a build remembers: in memory for `serve`, in `.briefgen-cache/` for `briefgen build`.

The cache only ever saves work, never decides what the site says: each
record is checked against the files before use (a content file by its stamp,
or by the hash of its bytes when the stamp is too recent to be trusted; an
output file by its stamp), and every record depends on the settings through
the page signatures. Deleting the folder costs one cold build.

On disk the cache is one file: a header naming the format and briefgen's
version, an HMAC of the payload under a key kept in the user's own cache
folder (never in the project), then a pickle. A repository can commit any
file at `.briefgen-cache/`, so a payload is unpickled only when its HMAC
proves this user's briefgen wrote it; a truncated, corrupt, foreign or
older cache is ignored with one warning and the build starts clean.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from briefgen import __version__
from briefgen.bodies import Body
from briefgen.coverage_stage import CoverageCache
from briefgen.diagnostics import Diagnostic, warning
from briefgen.model import Entry
from briefgen.sources import Stamp
from briefgen.story_stage import StoryCache
from briefgen.write import write_file

FOLDER = ".briefgen-cache"
FILE = "build.cache"
FORMAT = f"briefgen-cache 3 {__version__}\n".encode()
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


@dataclass
class Output:
    """A file of the output: what made it (signature) and the file as written."""

    signature: bytes
    digest: bytes
    stamp: Stamp


@dataclass
class Cache:
    content: dict[str, Parsed] = field(default_factory=dict)  # by path relative to the project
    bodies: dict[bytes, Body] = field(default_factory=dict)  # by `bodies.body_key`
    coverage: CoverageCache = field(default_factory=CoverageCache)  # leads, quotes, names
    plain: dict[str, Source] = field(default_factory=dict)  # copied files, by source path
    output: str = ""  # the output folder the records below describe
    outputs: dict[str, Output] = field(default_factory=dict)
    stories: StoryCache = field(default_factory=StoryCache)  # words of entries, last grouping
    templates: dict[bytes, frozenset[str | None]] = field(default_factory=dict)  # deps.Templates
    dirty: bool = False  # learnt something since it was loaded: worth saving


def cache_file(root: Path) -> Path:
    return root / FOLDER / FILE


def load_cache(root: Path) -> tuple[Cache, list[Diagnostic]]:
    """The cache of the project at `root`, or an empty one (with a warning when unusable)."""
    path = cache_file(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Cache(), []
    except OSError as exc:
        return Cache(), [_ignored(f"cannot read it: {exc.strerror or exc}")]
    key = _key()
    head, mark, payload = raw[len(FORMAT) :], raw[: len(FORMAT)], b""
    if mark != FORMAT or len(head) < 32 or key is None:
        return Cache(), [_ignored("written by another version of briefgen, or not a cache")]
    signature, payload = head[:32], head[32:]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return Cache(), [_ignored("truncated, corrupt, or written by someone else")]
    try:
        cache = pickle.loads(payload)
    except Exception:  # signed but unreadable: a bug in an older briefgen, start again
        return Cache(), [_ignored("unreadable")]
    if not isinstance(cache, Cache) or set(vars(cache)) != {f.name for f in fields(Cache)}:
        return Cache(), [_ignored("unreadable")]
    cache.dirty = False
    return cache, []


def save_cache(root: Path, cache: Cache) -> None:
    """Write the cache atomically; a cache that cannot be written only costs speed."""
    key = _key()
    folder = root / FOLDER
    if key is None or folder.is_symlink() or not cache.dirty:
        return
    cache.dirty = False
    payload = pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL)
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            write_file(ignore, b"# the build cache of briefgen: safe to delete\n*\n")
        write_file(folder / FILE, FORMAT + signature + payload)
    except OSError:
        return


def _ignored(why: str) -> Diagnostic:
    return warning(
        f"{FOLDER}/{FILE}",
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
