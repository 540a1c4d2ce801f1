"""`briefgen serve`: build, serve, watch, rebuild what changed, reload the open tabs.

The site is built into a private temporary folder (the project's `site/` stays
what `briefgen build` makes for publishing) and served under the path of
`base_url`, as on GitHub Pages. HTML responses get a small reload script as
they are served; it listens to a Server-Sent Events stream under the
reserved path `/__briefgen__/` and reloads the tab after a rebuild, swaps the
stylesheets after a CSS-only change, and shows an overlay listing the
problems while the build is broken (the overlay is also rendered into any
page served meanwhile, so a fresh load shows it too).

What is watched, and how the watches follow the configuration, is in
`briefgen.watch`. Nothing here prints: the command gets each `Rebuild` and
reports it.
"""

from __future__ import annotations

import errno
import html
import json
import posixpath
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from briefgen.build import BuildResult, build
from briefgen.cache import Cache
from briefgen.config import CONFIG_FILE, Config, read_config
from briefgen.diagnostics import BriefgenError, Diagnostic, error, sort_diagnostics
from briefgen.watch import Watcher

RESERVED = "/__briefgen__/"
EVENTS = RESERVED + "events"
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}
OVERLAY_ID = "__briefgen_overlay"


def _script_source() -> str:
    return (resources.files("briefgen") / "serve_assets" / "livereload.js").read_text("utf-8")


def overlay_html(problems: list[str]) -> str:
    """The error overlay, as rendered into pages served while the build is broken."""
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:0 0 auto 0;'
        "max-height:80vh;overflow:auto;z-index:2147483647;background:#3b0d0d;color:#fff;"
        "padding:1rem 1.25rem;font:14px/1.5 ui-monospace,monospace;"
        'border-bottom:4px solid #e5484d"><strong>briefgen: the build failed. Fix the files '
        "below; this page reloads by itself.</strong>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem;white-space:pre-wrap">{items}</ul>'
        "</div>"
    )


def inject(page: bytes, script: str, generation: int, problems: list[str]) -> bytes:
    """`page` with the overlay (when broken) and the reload script before `</body>`."""
    tag = f'<script data-generation="{generation}">{script}</script>\n'
    addition = (overlay_html(problems) if problems else "") + tag
    lowered = page.lower()
    at = lowered.rfind(b"</body>")
    if at < 0:
        return page + addition.encode()
    return page[:at] + addition.encode() + page[at:]


@dataclass(frozen=True)
class Target:
    """What a request path points at: a file (200), a redirect or nothing (404)."""

    status: int
    path: Path | None = None
    location: str = ""
    outside: bool = False  # outside the base path


def resolve(root: Path, base_path: str, raw: str) -> Target:
    """Map a request path to a file inside `root` (resolved), never outside it.

    A redirect keeps the query string (`/articles?x=1` -> `/articles/?x=1`).
    """
    raw = raw.split("#", 1)[0]
    path, mark, query = raw.partition("?")
    query = mark + query
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return Target(404)
    parts = decoded.split("/")
    if not decoded.startswith("/") or "\x00" in decoded or "\\" in decoded or ".." in parts:
        return Target(404)
    if not decoded.startswith(base_path):
        if decoded in ("/", base_path.rstrip("/")):
            return Target(302, location=base_path + query)
        return Target(404, outside=True)
    relative = decoded[len(base_path) :]
    if relative.startswith("/"):
        return Target(404)
    normal = posixpath.normpath("/" + relative).lstrip("/")
    found = _inside(root, root / normal if normal and normal != "." else root)
    if found is not None and found.is_dir():
        if not path.endswith("/"):
            return Target(301, location=path + "/" + query)
        found = _inside(root, found / "index.html")
    if found is None or not found.is_file():
        return Target(404)
    return Target(200, found)


def _inside(root: Path, candidate: Path) -> Path | None:
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_relative_to(root) else None


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower(), "application/octet-stream")


class Hub:
    """The open event streams, the build generation and the current problems."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[str | None]] = []
        self._closed = False
        self.generation = 0
        self.problems: list[str] = []

    def subscribe(self) -> queue.Queue[str | None]:
        """A new client's queue, starting with a `hello` that tells it where things stand."""
        client: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            hello = {"generation": self.generation, "problems": self.problems}
            client.put(_event("hello", hello))
            if self._closed:
                client.put(None)
            self._clients.append(client)
        return client

    def unsubscribe(self, client: queue.Queue[str | None]) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    def snapshot(self) -> tuple[int, list[str]]:
        with self._lock:
            return self.generation, list(self.problems)

    def publish(self, kind: str, problems: list[str]) -> None:
        """`reload`, `css` (a new generation) or `failed`; `none` changes nothing."""
        with self._lock:
            if kind in ("reload", "css"):
                self.generation += 1
            self.problems = problems
            data = {"generation": self.generation, "problems": problems}
            for client in self._clients:
                client.put(_event(kind, data))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


class PreviewServer(ThreadingHTTPServer):
    """Serves `root` under a base path, with the reload script and the event stream."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], root: Path, hub: Hub, base_path: Callable[[], str]
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.root = root.resolve()
        self.hub = hub
        self.base_path = base_path
        self.script = _script_source()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a connection early is not an error worth a traceback."""


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "briefgen"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _not_allowed(self) -> None:
        self._send(
            405,
            b"405 Method Not Allowed\n",
            "text/plain; charset=utf-8",
            head=False,
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the command reports rebuilds, not requests."""

    def _respond(self, head: bool) -> None:
        if self.path.split("?", 1)[0] == EVENTS and not head:
            self._stream()
            return
        target = resolve(self.server.root, self.server.base_path(), self.path)
        if target.status in (301, 302):
            self._send(
                target.status,
                b"",
                "text/plain; charset=utf-8",
                head,
                extra={"Location": target.location},
            )
        elif target.path is not None:
            self._send(200, target.path.read_bytes(), content_type(target.path), head)
        else:
            self._send(404, self._not_found(target), TYPES[".html"], head)

    def _not_found(self, target: Target) -> bytes:
        base = self.server.base_path()
        page = self.server.root / "404.html"
        if not target.outside and page.is_file():
            return page.read_bytes()
        link = html.escape(base)
        return (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Not found</title></head>'
            f'<body><h1>Not found</h1><p>This site is served under <a href="{link}">{link}</a>'
            f"</p></body></html>"
        ).encode()

    def _send(
        self, status: int, body: bytes, kind: str, head: bool, extra: dict[str, str] | None = None
    ) -> None:
        if kind.startswith("text/html"):
            generation, problems = self.server.hub.snapshot()
            body = inject(body, self.server.script, generation, problems)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream(self) -> None:
        """Server-Sent Events until the client leaves or the server stops."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        client = self.server.hub.subscribe()
        try:
            while True:
                try:
                    message = client.get(timeout=KEEP_ALIVE)
                except queue.Empty:
                    message = ": keep-alive\n\n"
                if message is None:
                    break
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (ConnectionError, OSError):
            pass
        finally:
            self.server.hub.unsubscribe(client)


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
        return self.result.written if self.result is not None else ()

    @property
    def removed(self) -> tuple[str, ...]:
        return self.result.removed if self.result is not None else ()

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
        self.output = Path(tempfile.mkdtemp(prefix="briefgen-serve-")).resolve()
        self.config = config
        self.drafts = drafts
        self.cache = Cache()  # what the builds of this preview remember, in memory
        self._entries = (0, 0)
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
                config, out=self.output, drafts=self.drafts, replace=True, cache=self.cache
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
        return Outcome(result)

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
