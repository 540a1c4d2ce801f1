"""The preview's HTTP side: files of the built site, the reload script, the event stream.

Pages are served from a folder under the path of `base_url`, as on GitHub Pages.
HTML responses get a small reload script as they are served; it listens to a
Server-Sent Events stream under the reserved path `/__briefgen__/` and reloads
the tab after a rebuild, swaps the stylesheets after a CSS-only change, and
shows an overlay listing the problems while the build is broken (the overlay is
also rendered into any page served meanwhile, so a fresh load shows it too).

The server answers only requests whose `Host` names it (a DNS-rebinding page
gets 421), opens the event stream only to its own pages, keeps a real listen
backlog, and hangs up on a connection that stays silent or dribbles its request.
"""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import posixpath
import queue
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote

RESERVED = "/__briefgen__/"
EVENTS = RESERVED + "events"
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
HTML = "text/html; charset=utf-8"
# what Python 3.11's own table lacks, for a system without /etc/mime.types
WEB_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".webp": "image/webp"}
# one name for each type whatever the system's tables say (RFC 9239 for JavaScript)
SAME_TYPES = {"application/javascript": "text/javascript", "text/xml": "application/xml"}
XML = ("application/xml", "application/atom+xml", "application/rss+xml")
BACKLOG = 128  # connections waiting to be accepted (socketserver's default is 5)
IDLE_TIMEOUT = 10.0  # seconds a connection may stay silent
HEAD_DEADLINE = 10.0  # seconds to send a whole request line and headers
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
    """The standard `mimetypes` type of a file, with the charset of the site's text files."""
    kind = mimetypes.guess_type(path.name, strict=False)[0] or WEB_TYPES.get(path.suffix.lower())
    if kind is None:
        return "application/octet-stream"
    kind = SAME_TYPES.get(kind, kind)
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in XML else kind


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` headers the preview answers: loopback names and the host it was asked to bind.

    Anything else may be a DNS-rebinding page: a name of the attacker's that now resolves to
    127.0.0.1, reading the preview from the user's own browser.
    """
    names = {"127.0.0.1", "localhost", "[::1]", f"[{host}]" if ":" in host else host}
    hosts = {f"{name.lower()}:{port}" for name in names}
    return frozenset(hosts | (names if port == 80 else set()))


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
    """Serves `root` under a base path, with the reload script and the event stream.

    It answers only requests whose `Host` names it (see `allowed_hosts`), keeps a real
    listen backlog, and drops a connection that stays silent or dribbles its request.
    """

    daemon_threads = True
    request_queue_size = BACKLOG

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
        self.hosts = allowed_hosts(address[0], self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing a connection early is not an error worth a traceback."""


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "briefgen"
    timeout = IDLE_TIMEOUT  # on every read and write of the connection
    _deadline: threading.Timer | None = None

    def handle_one_request(self) -> None:
        """One request, whose line and headers must all arrive within `HEAD_DEADLINE`."""
        self._deadline = threading.Timer(HEAD_DEADLINE, self._hang_up)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._deadline.cancel()

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if self._deadline is not None:
            self._deadline.cancel()  # the head is in: the answer may take its time
        return parsed

    def _hang_up(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def do_GET(self) -> None:
        if self._foreign():
            return
        self._respond(head=False)

    def do_HEAD(self) -> None:
        if self._foreign():
            return
        self._respond(head=True)

    def _foreign(self) -> bool:
        """Refuse (and say so) a request for another host, or an event stream opened from
        another site's page."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts:
            port = f":{self.server.server_address[1]}"
            named = ", ".join(host for host in sorted(self.server.hosts) if host.endswith(port))
            self._refuse(421, f"this preview answers only requests for {named}")
            return True
        origin = self.headers.get("Origin")
        if self._is_stream() and origin is not None and origin.lower() not in self._origins():
            self._refuse(403, "the event stream is only for pages of this preview")
            return True
        return False

    def _origins(self) -> list[str]:
        return [f"http://{host}" for host in sorted(self.server.hosts)]

    def _refuse(self, status: int, reason: str) -> None:
        self.close_connection = True
        body = f"{status} {reason}\n".encode()
        self._send(status, body, "text/plain; charset=utf-8", head=self.command == "HEAD")

    def _is_stream(self) -> bool:
        return self.path.split("?", 1)[0] == EVENTS

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
        if self._is_stream() and not head:
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
            self._send(404, self._not_found(target), HTML, head)

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
