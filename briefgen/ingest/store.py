"""What `content/` already holds, and writing new entries into it without clobbering.

An article already in `content/` is found by its source URL (normalized) or
by its body text; a taken file name gets `-2`, `-3`…; each file is written
to a temporary file beside its target and linked into place only if the name
is still free.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from briefgen.config import Config
from briefgen.frontmatter import split
from briefgen.ingest.article import Article
from briefgen.ingest.entry import body_hash


@dataclass
class ContentIndex:
    """What `content/` already holds: source URLs, body hashes, file names."""

    urls: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)


def is_http_url(url: str) -> bool:
    """An http(s) URL with a host, that parses (`http://[::1` does not)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """The URL as a dedupe key: no fragment, no tracking parameters, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # not a URL (`http://[::1`): the text itself is the key
        return url.strip()
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(("utm_", "fbclid"))]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(
        (
            "https" if parts.scheme == "http" else parts.scheme,
            parts.netloc.lower().removeprefix("www."),
            path,
            query,
            "",
        )
    )


LOCK_NAME = ".briefgen-import.lock"  # Windows only: POSIX locks the project folder itself


@contextmanager
def import_lock(config: Config) -> Iterator[None]:
    """Hold the project's import lock while an import reads and writes content/: a
    second import of the same project waits, then sees what the first wrote."""
    fd = _open_lock(config.root)
    try:
        _lock(fd)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _open_lock(root: Path) -> int:
        return os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT)

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _open_lock(root: Path) -> int:
        return os.open(root, os.O_RDONLY)  # flock on the folder: no lock file to leave

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def scan_content(config: Config) -> ContentIndex:
    """Read the front matter and body of every existing entry, for dedupe."""
    index = ContentIndex()
    root = config.content_path
    if not root.is_dir():
        return index
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(config.root).as_posix()
        index.taken.add(relative)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        document, _problems = split(text, relative)
        if document is None:
            continue
        source = document.meta.data.get("source")
        if isinstance(source, dict) and isinstance(source.get("url"), str):
            index.urls.setdefault(normalize_url(source["url"]), relative)
        if document.body.strip():  # link entries have no body to compare
            index.hashes.setdefault(body_hash(document.body), relative)
    return index


@dataclass(frozen=True)
class EntryExtras:
    """What an entry holds besides an `Article`'s fields, kept by a refresh."""

    record: dict[str, str]
    story: str = ""
    draft: bool | None = None
    slug: str = ""


def read_entry(path: Path, config: Config) -> tuple[str, Article, EntryExtras] | None:
    """An existing entry: its text, as an `Article`, and its other keys; None when unreadable."""
    from briefgen.ingest.refresh import entry_article, read_record

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    document, _problems = split(text, path.name)
    if document is None:
        return None
    data = document.meta.data
    head = text.split("\n---", 1)[0] if text.startswith("---") else ""
    draft = data.get("draft")
    extras = EntryExtras(
        record=read_record(head),
        story=data["story"] if isinstance(data.get("story"), str) else "",
        draft=draft if isinstance(draft, bool) else None,
        slug=data["slug"] if isinstance(data.get("slug"), str) else "",
    )
    return text, entry_article(data, document.body, config.zone), extras


def replace_file(target: Path, text: str) -> None:
    """Write `text` over `target` atomically (a temporary file beside it, then a rename)."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def free_name(relative: str, index: ContentIndex, root: Path) -> str:
    """`relative`, or `…-2.md`, `…-3.md`… : the first name neither indexed nor on disk."""
    stem, suffix = relative.removesuffix(".md"), ".md"
    candidate, number = relative, 2
    while candidate in index.taken or (root / candidate).exists():
        candidate = f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def write_new(root: Path, relative: str, text: str, index: ContentIndex) -> str:
    """Write atomically under a free name (never replacing a file); return the name used."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        while True:
            try:
                os.link(temp_name, target)
                return target.relative_to(root).as_posix()
            except FileExistsError:
                index.taken.add(target.relative_to(root).as_posix())
                target = root / free_name(relative, index, root)
            except OSError:
                if target.exists():
                    raise
                os.replace(temp_name, target)
                return target.relative_to(root).as_posix()
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
