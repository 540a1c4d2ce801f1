"""`briefgen serve`: build, serve, watch, rebuild what changed, reload the open tabs.

The site is built into the preview's own folder, `.briefgen-cache/preview/`
(the project's `site/` stays what `briefgen build` makes for publishing), kept
between sessions so that the next one starts from it; a second preview of the
project at the same time uses a temporary folder. It is served under the path of
`base_url`, as on GitHub Pages, by the server of `briefgen.serve_http`, which
also tells the open tabs to reload.

What is watched, and how the watches follow the configuration, is in
`briefgen.watch`. Nothing here prints: the command gets each `Rebuild` and
reports it.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen import search
from briefgen.build import BuildResult, build
from briefgen.cache import Cache, cache_file, load_cache, preview_folder
from briefgen.config import CONFIG_FILE, Config, read_config
from briefgen.diagnostics import BriefgenError, Diagnostic, error, sort_diagnostics
from briefgen.serve_http import EVENTS as EVENTS  # re-exported: callers of serve used them
from briefgen.serve_http import Hub as Hub
from briefgen.serve_http import PreviewServer as PreviewServer
from briefgen.sources import stamp
from briefgen.watch import Watcher
from briefgen.write import OutputLock, inventory, prune_empty, same_device


def _pages(paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path for path in paths if not path.startswith(search.PREFIX))


@dataclass(frozen=True)
class Outcome:
    """What one build of the preview did: `build()`'s result, or the problems that stopped it."""

    result: BuildResult | None = None
    errors: tuple[Diagnostic, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self.errors) if self.result is None else self.result.warnings

    @property
    def written(self) -> tuple[str, ...]:
        """The files this build changed; the search index, which comes in later, aside."""
        return _pages(self.result.written) if self.result is not None else ()

    @property
    def removed(self) -> tuple[str, ...]:
        return _pages(self.result.removed) if self.result is not None else ()

    @property
    def searched(self) -> bool:
        """Whether this build published a new search index (built in the background)."""
        changed = self.result.written + self.result.removed if self.result is not None else ()
        return any(path.startswith(search.PREFIX) for path in changed)

    @property
    def rendered(self) -> int:
        return self.result.rendered if self.result is not None else 0

    @property
    def kind(self) -> str:
        """`failed`, or what the open tabs must do: `none`, `css` or `reload`."""
        return "failed" if self.result is None else self.result.kind


@dataclass(frozen=True)
class Rebuild:
    """One build of the preview, as the command reports it."""

    outcome: Outcome
    seconds: float
    recovered: bool = False  # it succeeded after a failed build
    entries: int = 0  # the entries in the site (with --drafts, the drafts too)
    drafts: int = 0  # how many of them are drafts
    config: Config | None = None  # the settings it was built with


Report = Callable[[Rebuild], None]


def edited_since(config: Config, moment: float) -> set[Path]:
    """The project's source files modified at or after `moment` (a `time.time()`)."""
    found = set()
    candidates = [config.root / CONFIG_FILE]
    for folder in (config.content_path, config.templates_path, config.static_path):
        if folder.is_dir():
            candidates.extend(p for p in folder.rglob("*") if p.is_file())
    for path in candidates:
        try:
            if path.stat().st_mtime >= moment:
                found.add(path.absolute())
        except OSError:  # gone meanwhile: the watcher reports it
            continue
    return found


class Preview:
    """The whole live preview: a temporary output folder, the server and the watcher."""

    def __init__(
        self, config: Config, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False
    ) -> None:
        self.hub = Hub()
        self.output, self._session = _output_folder(config)
        self.config = config
        self.drafts = drafts
        self.cache = Cache()  # what the builds of this preview remember, in memory
        # the search index is rebuilt in the background: an edit is served at once, and
        # when the index is ready a build publishes it (the search page has it on reload)
        self.scratch = _scratch(self.output, self._session)
        self.indexer = search.BackgroundIndexer(self._search_ready, self.scratch)
        self._notes: list[Diagnostic] = []  # the cache's warnings, shown with the first build
        self._entries = (0, 0)
        try:
            self.server = _bind(host, port, self.output, self.hub, self._base_path)
        except BaseException:
            self._leave()
            raise
        # made after the first build: watchdog starts a thread as soon as it exists
        self.watcher: Watcher | None = None
        self._thread: threading.Thread | None = None
        self._failed = False

    def _search_ready(self) -> None:
        """Called from the indexing thread: ask the watching loop for one more build."""
        if self.watcher is not None:
            self.watcher.changes.put(self.output)

    def _base_path(self) -> str:
        return self.config.base_path

    @property
    def url(self) -> str:
        address = self.server.server_address
        host = address[0] if isinstance(address[0], str) else address[0].decode()
        port = address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.config.base_path}"

    def start(self) -> Rebuild:
        """Build everything, then serve and watch.

        The first build runs before any thread starts, so that it may use every
        core; what was edited while it ran is built right after the watcher starts.
        """
        started = time.time()
        self._warm_start()
        first = self._rebuild(set())
        self.watcher = Watcher(self.config, self.output)
        self.watcher.start(self.config)
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        missed = edited_since(self.config, started)
        return self._rebuild(missed) if missed else first

    def run(self, report: Report, stop: threading.Event) -> None:
        """Rebuild after each burst of changes until `stop` is set (or Ctrl-C)."""
        assert self.watcher is not None, "start() comes first"
        while not stop.is_set():
            changed = self.watcher.burst(stop)
            if changed:
                report(self._rebuild(changed))

    def _warm_start(self) -> None:
        """Start from what `briefgen build` left: its cache and, linked in, its site.

        The first build then renders only what changed since, as `briefgen build`
        would. The preview never saves the cache (its output is a temporary
        folder), but it shares the store of bodies, which only ever gains
        bodies or loses those no build shows.
        """
        if cache_file(self.config.root).is_file():
            self.cache, self._notes = load_cache(self.config.root)
        seed_output(self.cache, self.output)  # and the last session's files gone

    def _rebuild(self, changed: set[Path]) -> Rebuild:
        started = time.perf_counter()
        # a watched folder that appeared, went or moved is watched afresh
        if self.watcher is not None:
            self.watcher.follow(self.config, changed)
        outcome = self._attempt()
        # a new briefgen.yaml may name other folders: watch them, and read them once more
        # in case they changed before their watch started
        if self.watcher is not None:
            for folder in sorted(self.watcher.follow(self.config)):
                self.watcher.changes.put(folder)
        failed_before, self._failed = self._failed, outcome.kind == "failed"
        if self._failed:
            self.hub.publish("failed", [str(d) for d in outcome.errors])
        elif failed_before or outcome.kind != "none":
            self.hub.publish("reload" if failed_before else outcome.kind, [])
        if outcome.result is not None:
            self._entries = (outcome.result.entries, outcome.result.drafts)
        seconds = time.perf_counter() - started
        recovered = failed_before and not self._failed
        return Rebuild(outcome, seconds, recovered, *self._entries, config=self.config)

    def _attempt(self) -> Outcome:
        """Read the configuration again and build: the whole pipeline is `build()`."""
        config, problems = read_config(self.config.root)
        if config is None or any(d.is_error for d in problems):
            return Outcome(errors=tuple(sort_diagnostics(problems)))
        self.config = config
        try:
            result = build(
                config,
                out=self.output,
                drafts=self.drafts,
                replace=True,
                cache=self.cache,
                indexing=self.indexer,
                in_place=True,
            )
        except BriefgenError as exc:
            return Outcome(errors=tuple(d for d in exc.diagnostics if d.is_error))
        except Exception as exc:  # the preview outlives a bug in briefgen; it is reported
            self.cache = Cache()
            problem = error(
                "",
                0,
                f"internal error (a bug in briefgen, please report it): "
                f"{type(exc).__name__}: {exc}",
                code="internal",
            )
            return Outcome(errors=(problem,))
        if self._notes:
            result.warnings = sort_diagnostics(self._notes + result.warnings)
            self._notes = []
        return Outcome(result)

    def close(self) -> None:
        """Stop watching, indexing and serving, close the streams, remove the temporary folder."""
        if self.watcher is not None:
            self.watcher.stop()
        self.indexer.close()
        self.hub.close()
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()
        self._leave()

    def _leave(self) -> None:
        """A temporary output is removed; the project's preview folder is kept for the next."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self._session is None:
            shutil.rmtree(self.output, ignore_errors=True)
        else:
            self._session.__exit__(None, None, None)
            self._session = None


def _output_folder(config: Config) -> tuple[Path, OutputLock | None]:
    """The preview's output: the project's preview folder, kept between sessions, with the
    lock that makes it this session's; a new temporary folder when another preview of the
    project holds it (or the project has no cache folder)."""
    folder = preview_folder(config.root)
    session = None if folder is None else _hold(folder)
    if folder is not None and session is not None:
        return folder.resolve(), session
    return Path(tempfile.mkdtemp(prefix="briefgen-serve-")).resolve(), None


def _scratch(output: Path, session: OutputLock | None) -> Path:
    """The folder where the search indexer snapshots pages: beside the project's preview
    folder (one file system, so the snapshot is hard links), made afresh, as a session
    killed before its end may have left it; a temporary folder beside a temporary output."""
    if session is not None:
        folder = output.with_name(f"{output.name}-search")
        try:
            if folder.is_symlink() or folder.is_file():
                folder.unlink()
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            return folder
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="briefgen-serve-search-"))


def _hold(folder: Path) -> OutputLock | None:
    """This session's lock on the preview folder (made if need be); None when another preview
    holds it or it is not a plain folder. The lock has its own name: each build locks the
    output folder itself."""
    session = OutputLock(folder.with_name(f"{folder.name}-session"))
    try:
        session.__enter__()
        folder.mkdir(exist_ok=True)
    except (BriefgenError, OSError):
        session.__exit__(None, None, None)
        return None
    if folder.is_symlink() or not folder.is_dir():
        session.__exit__(None, None, None)
        return None
    return session


def seed_output(cache: Cache, output: Path) -> None:
    """Make `output` hold the files of the site `cache` describes, as hard links (copies
    across file systems), and make the cache describe `output` instead.

    `output` may hold an older preview's files: one that is already the very
    file of the site (same inode) stays, every other one is removed, and the
    files of the site still missing are linked. Only files whose stamp is
    still the recorded one are taken, so the build that follows treats them
    as its own. Linking is safe because no build writes into an existing
    output file: a file that changes is written anew, in a staging folder
    swapped in whole (`briefgen.write.Staging`) or, in the preview, as a
    temporary file renamed over the old name (`briefgen.output.Writer`), so
    the site linked from stays as it was.
    """
    present = inventory(output)
    source = Path(cache.output) if cache.output else None
    records, cache.outputs, cache.output = cache.outputs, {}, str(output)
    if source is None or not source.is_dir() or source == output:
        records = {}
    if not same_device(output, source or output):
        present = {key: -1 for key in present}  # inode numbers of two file systems
    # strings and bare system calls: 23 000 files through `Path` took a second
    origins, targets = f"{source}{os.sep}", f"{output}{os.sep}"
    wanted = {
        relative: record
        for relative, record in records.items()
        if stamp(origins + relative) == record.stamp
    }
    for relative, inode in present.items():
        record = wanted.get(relative)
        if record is not None and record.stamp[2] == inode:
            cache.outputs[relative] = record  # already the site's file
        else:
            os.unlink(targets + relative)
            prune_empty(Path(targets + relative).parent, output)
    made = {str(output)}
    for relative, record in wanted.items():
        if relative in cache.outputs:
            continue
        origin, target = origins + relative, targets + relative
        try:
            folder = os.path.dirname(target)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            try:
                os.link(origin, target)  # the same file: its stamp is the recorded one
            except OSError:
                shutil.copyfile(origin, target)
                record = dataclasses.replace(record, stamp=stamp(target))
        except OSError:
            continue
        cache.outputs[relative] = record


def _bind(
    host: str, port: int, root: Path, hub: Hub, base_path: Callable[[], str]
) -> PreviewServer:
    try:
        return PreviewServer((host, port), root, hub, base_path)
    except OSError as exc:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            message = (
                f"{where} is already in use: try --port {port + 1}, or --port 0 for any free port"
            )
            raise BriefgenError([error("--port", 0, message)]) from None
        reason = exc.strerror or str(exc)
        raise BriefgenError([error("--host", 0, f"cannot listen on {where}: {reason}")]) from None
