"""What `briefgen serve` watches: the config file and the folders it names.

The project root is watched on its own (for `briefgen.yaml` and for folders
that appear or go), and the content, templates and static folders of the
current configuration recursively. `follow()` re-points the watches, between
rebuilds and never from inside an event, when a new configuration names other
folders, when a folder appears, or when one is deleted or moved (watchdog stops
watching a folder that was deleted, so a folder that comes back gets a new
watch). Nothing here reads the project beyond asking which folders exist.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from briefgen.config import CONFIG_FILE, Config

QUIET = 0.1  # seconds without events that end a burst
BURST_CAP = 1.0  # a burst never delays a rebuild longer than this
CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})
IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", "~")

# a watched path and whether its subfolders are watched too
Target = tuple[Path, bool]


def folders(config: Config) -> frozenset[Path]:
    """The folders whose changes a rebuild needs: content, templates and static."""
    return frozenset(
        path.resolve() for path in (config.content_path, config.templates_path, config.static_path)
    )


class Watcher(FileSystemEventHandler):
    """Collects the paths that changed in the watched folders, editors' litter ignored."""

    def __init__(self, config: Config, output: Path) -> None:
        self.changes: queue.Queue[Path] = queue.Queue()
        self.root = config.root.resolve()
        self.output = output.resolve()
        # read by the observer's thread, replaced whole by `follow`
        self.folders = folders(config)
        self.ignored = (self.output, config.output_path.resolve())
        self.observer = Observer()
        self._watches: dict[Target, ObservedWatch] = {}

    @property
    def watched(self) -> list[Target]:
        """What is watched now, sorted: `(folder, recursive)`."""
        return sorted(self._watches)

    def start(self, config: Config) -> None:
        self.follow(config)
        self.observer.start()

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)

    def follow(self, config: Config, changed: Iterable[Path] = ()) -> set[Path]:
        """Watch the folders of `config` from now on; return the folders newly watched.

        `changed` are paths that just changed: a watched folder among them, or
        inside one of them, is watched afresh. What happened in a newly watched
        folder before its watch started is unknown, so the caller rebuilds it.
        """
        self.folders = folders(config)
        self.ignored = (self.output, config.output_path.resolve())
        moved = [path.resolve() for path in changed]
        wanted = self._targets()
        for target in sorted(self._watches):
            renew = target[0] != self.root and any(target[0].is_relative_to(p) for p in moved)
            if renew or target not in wanted:
                with contextlib.suppress(KeyError):
                    self.observer.unschedule(self._watches.pop(target))
        started: set[Path] = set()
        for folder, recursive in sorted(wanted - self._watches.keys()):
            try:
                watch = self.observer.schedule(self, str(folder), recursive=recursive)
            except OSError:  # gone meanwhile: its event brings us back here
                continue
            self._watches[folder, recursive] = watch
            if recursive:
                started.add(folder)
        return started

    def _targets(self) -> set[Target]:
        """The root, each folder that exists, else the nearest of its parents that does."""
        targets: set[Target] = {(self.root, False)}
        for folder in self.folders:
            if folder.is_dir():
                targets.add((folder, True))
                continue
            parent = next((p for p in folder.parents if p.is_dir()), self.root)
            if parent.is_relative_to(self.root):
                targets.add((parent, False))
        return targets

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type in ("modified", "closed"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            name = raw if isinstance(raw, str) else raw.decode()
            if name and self._wanted(Path(name)):
                self.changes.put(Path(name))

    def _wanted(self, path: Path) -> bool:
        name = path.name
        if name.startswith(".") or name.endswith(IGNORED_SUFFIXES) or name == "4913":
            return False
        if any(path.is_relative_to(folder) for folder in self.ignored):
            return False
        if path == self.root:
            return False
        if path.is_relative_to(self.root):
            if path.relative_to(self.root).parts[0].startswith("."):  # .git, .venv…
                return False
            if path.parent == self.root and name == CONFIG_FILE:
                return True
        # inside a watched folder, or a folder on the way to one (it appeared or went)
        return any(path.is_relative_to(f) or f.is_relative_to(path) for f in self.folders)

    def burst(self, stop: threading.Event) -> set[Path]:
        """Wait for a change, then gather the rest of its burst (quiet for `QUIET`)."""
        changed: set[Path] = set()
        while not changed:
            if stop.is_set():
                return changed
            try:
                changed.add(self.changes.get(timeout=0.2))
            except queue.Empty:
                continue
        deadline = time.monotonic() + BURST_CAP
        while (left := deadline - time.monotonic()) > 0:
            try:
                changed.add(self.changes.get(timeout=min(QUIET, left)))
            except queue.Empty:
                break
        return changed
