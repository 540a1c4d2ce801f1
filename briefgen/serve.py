"""`briefgen serve`: build, serve, watch, rebuild what changed, reload the open tabs.

The site is built into a private temporary folder (the project's `site/` stays
what `briefgen build` makes for publishing) and served under the path of
`base_url`, as on GitHub Pages, by the server of `briefgen.serve_http`, which
also tells the open tabs to reload.

What is watched, and how the watches follow the configuration, is in
`briefgen.watch`. Nothing here prints: the command gets each `Rebuild` and
reports it.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen import incremental
from briefgen.config import CONFIG_FILE, Config
from briefgen.diagnostics import BriefgenError, error
from briefgen.serve_http import EVENTS as EVENTS  # re-exported: callers of serve used them
from briefgen.serve_http import Hub as Hub
from briefgen.serve_http import PreviewServer as PreviewServer
from briefgen.watch import Watcher


@dataclass(frozen=True)
class Rebuild:
    """One build of the preview, as the command reports it."""

    outcome: incremental.Outcome
    seconds: float
    recovered: bool = False  # it succeeded after a failed build
    entries: int = 0  # the entries in the site (with --drafts, the drafts too)
    drafts: int = 0  # how many of them are drafts


Report = Callable[[Rebuild], None]


def site_entries(state: incremental.State) -> tuple[int, int]:
    """`(entries, drafts)` in the site: drafts count only when they are built."""
    entries = [
        loaded.entry
        for loaded in state.files.values()
        if loaded.entry is not None and (state.drafts or not loaded.entry.draft)
    ]
    return len(entries), sum(1 for entry in entries if entry.draft)


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
        self.output = Path(tempfile.mkdtemp(prefix="briefgen-serve-")).resolve()
        self.state = incremental.State(
            config=config, output=self.output, drafts=drafts, reconfigure=True
        )
        try:
            self.server = _bind(host, port, self.output, self.hub, self._base_path)
        except BaseException:
            shutil.rmtree(self.output, ignore_errors=True)
            raise
        # made after the first build: watchdog starts a thread as soon as it exists
        self.watcher: Watcher | None = None
        self._thread: threading.Thread | None = None
        self._failed = False

    def _base_path(self) -> str:
        return self.state.config.base_path

    @property
    def url(self) -> str:
        address = self.server.server_address
        host = address[0] if isinstance(address[0], str) else address[0].decode()
        port = address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.state.config.base_path}"

    def start(self) -> Rebuild:
        """Build everything, then serve and watch.

        The first build runs before any thread starts, so that it may use every
        core; what was edited while it ran is built right after the watcher starts.
        """
        started = time.time()
        first = self._rebuild(set())
        self.watcher = Watcher(self.state.config, self.output)
        self.watcher.start(self.state.config)
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        missed = edited_since(self.state.config, started)
        return self._rebuild(missed) if missed else first

    def run(self, report: Report, stop: threading.Event) -> None:
        """Rebuild after each burst of changes until `stop` is set (or Ctrl-C)."""
        assert self.watcher is not None, "start() comes first"
        while not stop.is_set():
            changed = self.watcher.burst(stop)
            if changed:
                report(self._rebuild(changed))

    def _rebuild(self, changed: set[Path]) -> Rebuild:
        started = time.perf_counter()
        # a watched folder that appeared, went or moved is watched afresh and read again
        if self.watcher is not None:
            changed |= self.watcher.follow(self.state.config, changed)
        outcome = self._attempt(changed)
        self.state = outcome.state
        # a new briefgen.yaml may name other folders: watch them, and read them once more
        # in case they changed before their watch started
        if self.watcher is not None:
            for folder in sorted(self.watcher.follow(self.state.config)):
                self.watcher.changes.put(folder)
        failed_before, self._failed = self._failed, outcome.kind == "failed"
        if self._failed:
            self.hub.publish("failed", [str(d) for d in outcome.errors])
        elif failed_before or outcome.kind != "none":
            self.hub.publish("reload" if failed_before else outcome.kind, [])
        entries, drafts = site_entries(outcome.state)
        seconds = time.perf_counter() - started
        recovered = failed_before and not self._failed
        return Rebuild(outcome, seconds, recovered, entries, drafts)

    def _attempt(self, changed: set[Path]) -> incremental.Outcome:
        try:
            return incremental.rebuild(self.state, changed)
        except Exception as exc:  # the preview outlives a bug in briefgen; it is reported
            problem = error(
                "",
                0,
                f"internal error (a bug in briefgen, please report it): "
                f"{type(exc).__name__}: {exc}",
                code="internal",
            )
            state = replace(self.state, all_pages=True, all_plain=True, env=None)
            return incremental.Outcome(state, diagnostics=(problem,))

    def close(self) -> None:
        """Stop watching and serving, close the streams, remove the temporary folder."""
        if self.watcher is not None:
            self.watcher.stop()
        self.hub.close()
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()
        shutil.rmtree(self.output, ignore_errors=True)


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
