"""Full-text search: a Pagefind index of the article pages, searched in the browser, offline.

Pagefind (PyPI `pagefind[bin]`, whose wheel ships the binary) reads the
article pages of a built site, one index per language taken from each page's
`lang` so that stemming fits it (French "coopérations" finds "coopération"),
and writes a bundle of static files under `pagefind/` that the search page
loads. Only article pages are indexed: they mark their text with
`data-pagefind-body` and carry their filters (topic, outlet, language, story)
and result fields (date, outlet) as `data-pagefind-*` attributes.

The bundle does not depend on the base path (the search page tells Pagefind
where the site lives), and Pagefind writes the same bytes for the same pages;
`index_key` names the input, so a build reuses the previous bundle while no
article page changed. Pagefind writes filters in a random order; `search_bundle`
sorts them, so the same pages give the same bytes (tests/unit/test_search.py).

A big briefing is indexed in parts (`partition`): one bundle per year, per few
months or per slice of a month, each at most `PART_LIMIT` pages, in
`pagefind/<part>/`, listed in `pagefind/parts.json`; the search page merges
them. An edit then re-indexes the part of the edited article only, and
Pagefind's memory follows a part's size, not the briefing's.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

from babel import Locale

from briefgen.diagnostics import BriefgenError, error
from briefgen.i18n import translations, ui_language
from briefgen.parallel import workers
from briefgen.search_bundle import BundleFormatError, canonical

FOLDER = "pagefind"
PREFIX = FOLDER + "/"  # of every output file of the index
MANIFEST = PREFIX + "parts.json"  # the parts of the index, for the search page
WHOLE = "all"  # the one part of a briefing of at most `PART_LIMIT` articles
# Articles in one part of the index at most. Pagefind takes about 3.5 ms and
# 0.3 MB an article page; the search page loads every part's entry file and
# language bundle, so a part should not be small either.
PART_LIMIT = 1000
ORIGIN = "search index"  # what messages call those files
ARTICLES = "articles/*/index.html"
# Parts of the Pagefind bundle that the theme's search page never loads: its ready-made UIs.
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.")
PR_SET_PDEATHSIG = 1  # prctl(2)
TIMEOUT = 1800  # seconds: 10 000 pages take 45 s of CPU time, minutes on a busy machine


class Stop(Protocol):
    """What stops a background run: a `threading.Event`, or several."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class SearchIndex:
    """The Pagefind bundle: output path (`pagefind/…`) -> bytes, and what it indexed."""

    files: dict[str, bytes]
    pages: int
    key: str


@dataclass(frozen=True)
class Part:
    """One part of the index: its folder's name, its key, and the article pages it reads."""

    name: str
    key: str
    pages: tuple[str, ...]


def partition(days: Mapping[str, date], limit: int = 0) -> dict[str, list[str]]:
    """The article pages (output path -> day of publication) in parts of at most `limit`
    (default `PART_LIMIT`).

    Up to `limit` pages make one part. Beyond, each year with at most `limit`
    pages is a part; the months of a bigger year are packed in order into
    parts while they fit, and a month of more than `limit` pages is cut into
    equal slices in order of day and path. A part is named after its year, its
    first month, or its month and slice (`2024`, `2024-03`, `2024-03-2`), and
    the parts of a year are made from its start: an article added to the
    newest month changes the newest part only, unless its year or month
    outgrows `limit` and is cut anew.
    """
    limit = limit or PART_LIMIT
    if len(days) <= limit:
        return {WHOLE: sorted(days)} if days else {}
    years: dict[int, list[str]] = {}
    for path in sorted(days, key=lambda p: (days[p], p)):
        years.setdefault(days[path].year, []).append(path)
    parts: dict[str, list[str]] = {}
    for year, paths in sorted(years.items()):
        if len(paths) <= limit:
            parts[f"{year:04d}"] = paths
            continue
        months: dict[int, list[str]] = {}
        for path in paths:
            months.setdefault(days[path].month, []).append(path)
        packed: list[str] = []
        name = ""
        for month, members in sorted(months.items()):
            if packed and len(packed) + len(members) > limit:
                parts[name], packed = packed, []
            if len(members) > limit:
                slices = -(-len(members) // limit)
                size = -(-len(members) // slices)
                for number in range(slices):
                    chunk = members[number * size : (number + 1) * size]
                    parts[f"{year:04d}-{month:02d}-{number + 1}"] = chunk
                continue
            if not packed:
                name = f"{year:04d}-{month:02d}"
            packed += members
        if packed:
            parts[name] = packed
    return parts


def plan_parts(days: Mapping[str, date], digests: Mapping[str, bytes], version: str) -> list[Part]:
    """The parts of the index of the article pages `days`, each keyed by its pages' digests."""
    return [
        Part(name, index_key(((path, digests[path]) for path in paths), version), tuple(paths))
        for name, paths in sorted(partition(days).items())
    ]


def manifest(names: Iterable[str]) -> bytes:
    """`pagefind/parts.json`: the folders of the parts, for the search page to merge."""
    return (json.dumps({"parts": [f"{name}/" for name in sorted(names)]}) + "\n").encode()


def pagefind_binary() -> Path:
    """The Pagefind executable: `$BRIEFGEN_PAGEFIND`, else the one of the `pagefind-bin` wheel."""
    named = os.environ.get("BRIEFGEN_PAGEFIND")
    if named:
        return Path(named)
    try:
        from pagefind_bin import get_executable

        return Path(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BriefgenError(
            f"the search index needs Pagefind ({exc}); install it with "
            "`python -m pip install 'pagefind[bin]'`"
        ) from None


@lru_cache(maxsize=1)
def pagefind_version() -> str:
    """Pagefind's version, part of the index's key: from the wheel's metadata (no process
    started, so that a build with nothing to index stays quick), else from the binary."""
    if not os.environ.get("BRIEFGEN_PAGEFIND"):
        try:
            return "pagefind " + metadata.version("pagefind-bin")
        except metadata.PackageNotFoundError:
            pass
    result = _run([str(pagefind_binary()), "--version"], Path.cwd())
    return result.stdout.strip()


def index_key(pages: Iterable[tuple[str, bytes]], version: str) -> str:
    """A digest of what the index reads: the article pages (paths, and bytes or a digest of
    them, such as the build's records of its outputs) and Pagefind's version."""
    digest = hashlib.sha256(version.encode())
    for path, data in sorted(pages):
        digest.update(f"\0{path}\0{hashlib.sha256(data).hexdigest()}".encode())
    return digest.hexdigest()


def is_article(relative: str) -> bool:
    """Whether an output path is one of the pages the index reads."""
    parts = relative.split("/")
    return len(parts) == 3 and parts[0] == "articles" and parts[2] == "index.html"


def digest_file(path: Path) -> bytes:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def article_pages(site: Path) -> list[tuple[str, bytes]]:
    """The indexed pages of a built site: `(output path, bytes)`, sorted."""
    return sorted(
        (path.relative_to(site).as_posix(), path.read_bytes()) for path in site.glob(ARTICLES)
    )


def index_site(
    site: Path, *, key: str = "", stop: Stop | None = None, scratch: Path | None = None
) -> SearchIndex:
    """Index the article pages of the built site in `site`; nothing is written into it.
    Pagefind writes its bundle in a temporary folder in `scratch` (the system's if None)."""
    paths = sorted(site.glob(ARTICLES))
    if not key:
        pages = ((p.relative_to(site).as_posix(), digest_file(p)) for p in paths)
        key = index_key(pages, pagefind_version())
    if not paths:  # Pagefind refuses a site without pages; the search page says it is empty
        return SearchIndex(files={}, pages=0, key=key)
    with tempfile.TemporaryDirectory(
        prefix="briefgen-search-", dir=scratch, ignore_cleanup_errors=True
    ) as temp:
        bundle = Path(temp) / FOLDER
        command = [str(pagefind_binary()), "--site", str(site), "--glob", ARTICLES]
        _run([*command, "--output-path", str(bundle), "--quiet"], site, stop)
        files = {
            f"{FOLDER}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not path.name.startswith(UNUSED_PREFIXES)
        }
    try:
        files = canonical(files)
    except (BundleFormatError, OSError, EOFError, KeyError, ValueError) as exc:
        raise BriefgenError(
            [error(FOLDER, 0, f"cannot make Pagefind's index deterministic: {exc}", code="search")]
        ) from None
    return SearchIndex(files=files, pages=len(paths), key=key)


def _run(
    command: list[str], cwd: Path, stop: Stop | None = None
) -> subprocess.CompletedProcess[str]:
    """Run Pagefind; in the background (`stop` given) at the lowest CPU priority, on one
    thread, and killed as soon as `stop` is set."""
    background = stop is not None
    env = {**os.environ, "RAYON_NUM_THREADS": "1"} if background else None
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_lowest_priority if background else None,
        )
    except OSError as exc:
        raise BriefgenError([error(FOLDER, 0, f"Pagefind failed: {exc}", code="search")]) from None
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            out, err = process.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
                process.kill()
                process.communicate()
                why = "stopped" if stop is not None and stop.is_set() else f"over {TIMEOUT} s"
                raise BriefgenError(
                    [error(FOLDER, 0, f"Pagefind failed: {why}", code="search")]
                ) from None
    if process.returncode != 0:
        last = (err or out).strip().splitlines()[-1:] or ["no output"]
        raise BriefgenError(
            [error(FOLDER, 0, f"Pagefind failed ({process.returncode}): {last[0]}", code="search")]
        )
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _lowest_priority() -> None:
    """In the Pagefind process of a background run: yield the CPU to the preview, and die with
    it (Linux's parent-death signal), so that a preview killed outright leaves no Pagefind."""
    os.nice(19)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def result_counts(lang: str) -> dict[str, str]:
    """The "N results" sentence for each CLDR plural category of the UI language, for the page's
    script (which picks one with `Intl.PluralRules`): {"one": "%(num)d result for …", …}."""
    catalog = translations(lang)
    rule = Locale.parse(ui_language(lang)).plural_form
    forms: dict[str, str] = {}
    for number in (0, 1, 2, 3, 5, 11, 21, 100, 1_000_000):
        category = rule(number)
        if category not in forms:
            forms[category] = catalog.ngettext(
                "%(num)d result for “%(query)s”", "%(num)d results for “%(query)s”", number
            )
    return forms


def snapshot(pages: Mapping[str, Path], folder: Path) -> None:
    """Hard-link (or copy) the article pages `pages` (output path -> file) into `folder`,
    so that Pagefind can read them while the output folder moves on. Links are safe because
    briefgen never writes into an existing file: it moves a new one over it."""
    for relative, source in sorted(pages.items()):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except FileNotFoundError:  # removed by a later build of the preview: not indexed
            continue
        except OSError:  # another file system, or no hard links here
            shutil.copyfile(source, target)


def index_pages(pages: Mapping[str, Path], key: str) -> SearchIndex:
    """Index the article pages `pages` (output path -> file), wherever they are now."""
    with tempfile.TemporaryDirectory(prefix="briefgen-pages-") as temp:
        snapshot(pages, Path(temp))
        return index_site(Path(temp), key=key)


Request = tuple[str, Callable[[], Mapping[str, Path]]]  # a part's key, and where its pages are


class Indexing(Protocol):
    """How a build gets the index of each part (`key`): now, or None while it is being made.

    A build asks for every part whose pages changed (`index_all`, whose
    answers come in the order asked), then calls `begin` once its files are in
    place. `deferred`: the pages are read after that, so they must be named
    where they will be, not where they are."""

    deferred: bool

    def index_all(self, requests: Sequence[Request]) -> Iterator[SearchIndex | None]: ...

    def begin(self) -> None:
        """The build's files are in place: work asked for may read them now."""


class Synchronous:
    """How `briefgen build` indexes: at once, the parts whose article pages changed, as many
    Pagefind runs at a time as the build has workers (one run keeps about 1.3 cores busy)."""

    deferred = False

    def index_all(self, requests: Sequence[Request]) -> Iterator[SearchIndex | None]:
        jobs = min(workers(), len(requests))
        if jobs < 2:
            yield from (index_pages(pages(), key) for key, pages in requests)
            return
        pool = ThreadPoolExecutor(jobs, thread_name_prefix="pagefind")
        try:  # each part's pages are named here, in the build's thread
            runs: list[Future[SearchIndex]] = [
                pool.submit(index_pages, pages(), key) for key, pages in requests
            ]
            for run in runs:
                yield run.result()
        finally:  # a failed part: the parts not started yet are not run
            pool.shutdown(wait=True, cancel_futures=True)

    def begin(self) -> None:
        return None


class BackgroundIndexer:
    """Indexes in a thread of its own, for the live preview: an edit is served at once and
    the search catches up (its page works after the next reload).

    `request(key, pages)` asks for the index of one part's pages unless that
    key is done already; `begin()` (called once the build's files are in
    place) makes the build's requests the work to do, drops what no build asks
    for any more (stopping a run under way for it) and starts the thread, which
    snapshots each part's pages (hard links, in `scratch`) and indexes them; `ready(key)`
    gives a part's index once it is built. `on_ready` is called (from the
    indexing thread) when every part asked for is done, so that the preview
    builds again and publishes them. A burst of edits indexes once after it.
    """

    deferred = True

    def __init__(self, on_ready: Callable[[], None], scratch: Path | None = None) -> None:
        self._on_ready = on_ready
        self._scratch = scratch  # where snapshots are taken: best on the pages' file system
        self._lock = threading.Lock()
        self._done: dict[str, SearchIndex] = {}
        self._asked: dict[str, dict[str, Path]] = {}  # by the build under way
        self._used: set[str] = set()  # keys the build under way asked for, done or not
        self._wanted: dict[str, dict[str, Path]] = {}  # the work, in order
        self._busy = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()  # the preview closes
        self._stale = threading.Event()  # the run under way is for a part no build wants now
        self.failure = ""  # the last indexing error, shown by the preview

    def ready(self, key: str) -> SearchIndex | None:
        with self._lock:
            return self._done.get(key)

    def request(self, key: str, pages: Mapping[str, Path]) -> None:
        with self._lock:
            self._used.add(key)
            if not self._stop.is_set() and key not in self._done:
                self._asked[key] = dict(pages)

    def begin(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._done = {key: done for key, done in self._done.items() if key in self._used}
            self._wanted, self._asked, self._used = self._asked, {}, set()
            if self._busy and self._busy not in self._wanted:
                self._stale.set()  # its pages are gone: stop it
            if self._wanted and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._work, daemon=True)
                self._thread.start()

    def index_all(self, requests: Sequence[Request]) -> Iterator[SearchIndex | None]:
        return (self.index(key, pages) for key, pages in requests)

    def index(self, key: str, pages: Callable[[], Mapping[str, Path]]) -> SearchIndex | None:
        """The index of `key` if it is ready; else None, and it is asked for."""
        done = self.ready(key)
        if done is None:
            self.request(key, pages())
        else:
            with self._lock:
                self._used.add(key)
        return done

    def close(self) -> None:
        """Stop: kill a Pagefind run under way and drop what was asked."""
        self._stop.set()
        with self._lock:
            self._wanted, self._asked = {}, {}
        self.wait(10)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the work asked for so far is done (for tests and benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                todo = [key for key in self._wanted if key not in self._done]
                if not todo or self._stop.is_set():
                    self._busy = ""
                    return
                key = todo[0]
                pages = self._wanted[key]
                self._busy = key
                stop = EitherEvent(self._stop, self._stale)
                self._stale.clear()
            try:
                # taken here, off the build's path; a page a later build replaced meanwhile
                # is indexed as it is now, and that build has asked for its own index
                with tempfile.TemporaryDirectory(
                    prefix="briefgen-pages-", dir=self._scratch, ignore_cleanup_errors=True
                ) as temp:
                    snapshot(pages, Path(temp))
                    index = index_site(Path(temp), key=key, stop=stop, scratch=self._scratch)
            except BriefgenError as exc:
                with self._lock:
                    self._wanted.pop(key, None)  # not tried again until a build asks again
                if not stop.is_set():
                    self.failure = "; ".join(str(d) for d in exc.diagnostics)
                continue
            with self._lock:
                self._done[key] = index
                finished = key in self._wanted and all(k in self._done for k in self._wanted)
                if finished:
                    self.failure = ""
            if finished and not self._stop.is_set():
                self._on_ready()


class EitherEvent:
    """Set when either of two events is: what stops one background run."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.events = (first, second)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)
