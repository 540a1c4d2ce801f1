"""`briefgen check` as a user runs it: after `build --base-url`, and with `--external`.

Every server is on 127.0.0.1: a small HTTP server that fails in the ways the
web does (404, a redirect to ftp://, a redirect loop, an answer dripped a byte
at a time), a TCP server that does not speak HTTP, and closed ports standing
for a network that is down.
"""

from __future__ import annotations

import http.server
import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_seed_project, run_cli

pytestmark = pytest.mark.e2e


def test_check_checks_the_site_as_it_was_built(tmp_path: Path) -> None:
    project = copy_seed_project(tmp_path / "seed")
    built = run_cli("build", "--base-url", "https://desk.github.io/briefing/", cwd=project)
    assert built.returncode == 0, built.stderr
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert re.fullmatch(
        r"checked \d+ pages, \d+ links: 0 problems \(1 external link not fetched; "
        r"`--external` checks them\)",
        checked.stderr.splitlines()[-1],
    )
    assert not [line for line in checked.stderr.splitlines() if ": error: " in line]
    # --base-url still says where the site is served: here, where it was not built for
    elsewhere = run_cli("check", "--base-url", "https://other.example/", cwd=project)
    assert elsewhere.returncode == 1
    assert "site/index.html:" in elsewhere.stderr
    assert ": error: /briefing/feed.xml: no such file" in elsewhere.stderr


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        if self.path == "/drip":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(200):  # one header byte every 0.1 s: 20 s for the whole answer
                time.sleep(0.1)
                try:
                    self.wfile.write(b"X")
                    self.wfile.flush()
                except OSError:
                    return
            return
        status, location = {
            "/ok": (200, ""),
            "/ftp": (302, "ftp://files.example/x"),
            "/loop": (302, "/loop"),
        }.get(self.path, (404, ""))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class NotHttp(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        time.sleep(0.2)


@pytest.fixture
def servers() -> Iterator[tuple[str, str]]:
    """(origin of the HTTP server, origin of the server that does not speak HTTP)."""
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    web.daemon_threads = True
    other = socketserver.ThreadingTCPServer(("127.0.0.1", 0), NotHttp)
    other.daemon_threads = True
    for server in (web, other):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield (
            f"http://127.0.0.1:{web.server_address[1]}",
            f"http://127.0.0.1:{other.server_address[1]}",
        )
    finally:
        for server in (web, other):
            server.shutdown()
            server.server_close()


def project_with_links(root: Path, pages: dict[str, list[str]]) -> Path:
    """A project whose built site/ has these pages linking these URLs."""
    (root / "content").mkdir(parents=True)
    (root / "briefgen.yaml").write_text("base_url: https://desk.github.io/b/\n", encoding="utf-8")
    for name, urls in pages.items():
        page = root / "site" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<a href="{url}">x</a>\n' for url in urls)
        page.write_text(f"<!DOCTYPE html><title>t</title>\n{links}", encoding="utf-8")
    return root


def test_external_says_one_line_per_failing_url_with_the_pages_that_link_it(
    tmp_path: Path, servers: tuple[str, str]
) -> None:
    web, not_http = servers
    tls = web.replace("http://", "https://") + "/ok"  # TLS spoken to a plain HTTP server
    every = [f"{web}/ok", f"{web}/gone", f"{web}/ftp", f"{web}/loop", f"{web}/drip", not_http, tls]
    pages = {"index.html": every}
    pages.update({f"p{n}/index.html": [f"{web}/gone", f"{web}/ok"] for n in range(1, 6)})
    project = project_with_links(tmp_path / "p", pages)
    started = time.monotonic()
    done = run_cli("check", "--external", "--timeout", "2", cwd=project)
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    # progress goes to a log once the work takes a second (the dripping server takes 2)
    assert lines.pop(0) == "Checking external links: 7/7"
    assert lines == [
        f"site/index.html:3:1: error: {web}/gone: HTTP 404 (also linked from p1/index.html, "
        "p2/index.html, p3/index.html and 2 more)",
        f"site/index.html:4:1: error: {web}/ftp: redirected to ftp://files.example/x, "
        "which is not an http(s) URL",
        f"site/index.html:5:1: error: {web}/loop: more than 5 redirects",
        f"site/index.html:6:1: error: {web}/drip: no answer within 2 s",
        f"site/index.html:7:1: error: {not_http}: not an HTTP server "
        "(it answered 'SSH-2.0-OpenSSH_9.2\\r\\n')",
        f"site/index.html:8:1: error: {tls}: TLS failed (wrong version number)",
        "checked 6 pages, 17 links: 6 problems",
    ]
    assert elapsed < 10, elapsed  # the dripping server is given up at the 2 s deadline


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_external_says_one_line_when_no_server_can_be_reached(tmp_path: Path) -> None:
    urls = [f"http://127.0.0.1:{closed_port()}/{n}" for n in range(3)]
    project = project_with_links(tmp_path / "p", {"index.html": urls, "a/index.html": urls})
    done = run_cli("check", "--external", "--timeout", "2", cwd=project)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    first = min(urls)
    assert lines[0] == (
        "site/: error: no external link could be checked: none of the 3 servers could be "
        f"reached (is the network down? first: {first}: cannot connect: connection refused)"
    )
    assert lines[1] == "checked 2 pages, 6 links: 1 problem"
