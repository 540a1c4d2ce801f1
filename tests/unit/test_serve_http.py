"""The preview's HTTP side: a real server on a free port of 127.0.0.1, in a thread."""

from __future__ import annotations

import http.client
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from watchdog.events import FileModifiedEvent, FileMovedEvent, FileOpenedEvent

from briefgen.build import build
from briefgen.config import Config, load_config
from briefgen.diagnostics import BriefgenError
from briefgen.serve import EVENTS, Hub, Preview, PreviewServer, Watcher
from tests.conftest import write_tree

BASE = "/repo/"
SECRET = "top secret, never served"
ENTRY = """---
title: "Coopération militaire"
date: 2023-09-14T16:50:56+02:00
source:
  name: Le Monde
  url: https://example.org/a
topics: [Défense]
summary: "Moscou et Pyongyang."
---
The body of the article.
"""


@dataclass
class Running:
    host: str
    port: int
    site: Path
    outside: Path
    hub: Hub

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("http")
    project = write_tree(
        root / "project",
        {
            "briefgen.yaml": 'title: "Desk"\nbase_url: "https://user.github.io/repo/"\n',
            "content/2023/09/14-cooperation.md": ENTRY,
            "static/data/notes.json": '{"a": 1}\n',
        },
    )
    build(load_config(project))
    site = project / "site"
    outside = root / "secret.txt"
    outside.write_text(SECRET)
    (site / "leak.txt").symlink_to(outside)
    (site / "leakdir").symlink_to(root, target_is_directory=True)
    (site / "inner.css").symlink_to(site / "assets" / "style.css")
    hub = Hub()
    server = PreviewServer(("127.0.0.1", 0), site, hub, lambda: BASE)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield Running("127.0.0.1", server.server_address[1], site, outside, hub)
    hub.close()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (BASE, "text/html; charset=utf-8"),
        (BASE + "articles/cooperation/", "text/html; charset=utf-8"),
        (BASE + "assets/style.css", "text/css; charset=utf-8"),
        (BASE + "feed.xml", "application/xml; charset=utf-8"),
        (BASE + "robots.txt", "text/plain; charset=utf-8"),
        (BASE + "data/notes.json", "application/json"),
        (BASE + ".nojekyll", "application/octet-stream"),
    ],
)
def test_serves_files_with_their_content_type_and_no_store(
    running: Running, path: str, kind: str
) -> None:
    status, headers, body = running.request(path)
    assert status == 200
    assert headers["Content-Type"] == kind
    assert headers["Cache-Control"] == "no-store"
    assert int(headers["Content-Length"]) == len(body)


def test_html_gets_the_reload_script_and_other_files_do_not(running: Running) -> None:
    _, _, page = running.request(BASE + "articles/cooperation/")
    assert page.count(b"/__briefgen__/events") == 1
    assert page.index(b"/__briefgen__/events") < page.rindex(b"</body>")
    assert b"The body of the article." in page
    _, _, css = running.request(BASE + "assets/style.css")
    assert css == (running.site / "assets" / "style.css").read_bytes()


def test_the_built_site_never_contains_the_reload_script(running: Running) -> None:
    files = [p for p in running.site.rglob("*") if p.is_file() and not p.is_symlink()]
    assert len(files) > 10
    for path in files:
        assert b"__briefgen__" not in path.read_bytes(), path


def test_a_missing_page_gets_the_site_404_page_with_status_404(running: Running) -> None:
    status, headers, body = running.request(BASE + "articles/nothing-here/")
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    own = (running.site / "404.html").read_bytes()
    assert body.startswith(own[: own.rindex(b"</body>")])
    assert b"/__briefgen__/events" in body


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/", 302, BASE),
        ("/repo", 302, BASE),
        ("/repo/articles/cooperation", 301, "/repo/articles/cooperation/"),
        ("/repo/topics?page=2", 301, "/repo/topics/"),
    ],
)
def test_redirects_into_the_base_path_and_to_folders(
    running: Running, path: str, status: int, location: str
) -> None:
    got, headers, _ = running.request(path)
    assert got == status
    assert headers["Location"] == location
    assert headers["Cache-Control"] == "no-store"


def test_a_path_outside_the_base_path_links_to_it(running: Running) -> None:
    status, _, body = running.request("/elsewhere/page/")
    assert status == 404
    assert b'<a href="/repo/">/repo/</a>' in body


@pytest.mark.parametrize(
    "path",
    [
        "/repo/../secret.txt",
        "/repo/../../secret.txt",
        "/repo/%2e%2e/secret.txt",
        "/repo/%2E%2E/%2e%2e/secret.txt",
        "/repo/..%2fsecret.txt",
        "/repo/%2e%2e%2fsecret.txt",
        "/repo/assets/..%2f..%2fsecret.txt",
        "/repo/%252e%252e/secret.txt",
        "/repo//etc/passwd",
        "/repo/%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/repo/index.html%00.css",
        "/repo/..\\secret.txt",
        "/repo/leak.txt",
        "/repo/leakdir/secret.txt",
        "/repo/%ff%fe",
    ],
)
def test_never_serves_a_file_outside_the_output(running: Running, path: str) -> None:
    status, _, body = running.request(path)
    assert status == 404
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_an_absolute_path_to_a_real_file_is_refused(running: Running) -> None:
    status, _, body = running.request(BASE + str(running.outside).lstrip("/"))
    assert status == 404
    status, _, body = running.request(BASE.rstrip("/") + str(running.outside))
    assert status == 404
    assert SECRET.encode() not in body


def test_a_symlink_inside_the_output_is_served(running: Running) -> None:
    status, headers, _ = running.request(BASE + "inner.css")
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_methods_other_than_get_and_head_are_not_allowed(running: Running, method: str) -> None:
    status, headers, _ = running.request(BASE, method)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert (running.site / "index.html").is_file()


def test_head_sends_the_headers_of_get_without_a_body(running: Running) -> None:
    _, got, body = running.request(BASE + "assets/style.css")
    status, head, empty = running.request(BASE + "assets/style.css", "HEAD")
    assert status == 200
    assert empty == b""
    assert head["Content-Length"] == got["Content-Length"] == str(len(body))


def test_the_event_stream_says_hello_then_relays_rebuilds(running: Running) -> None:
    with socket.create_connection((running.host, running.port), timeout=10) as sock:
        sock.sendall(f"GET {EVENTS} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        reader = sock.makefile("rb")
        head = read_until_blank(reader)
        assert "text/event-stream" in head
        assert "no-store" in head
        hello = read_until_blank(reader)
        assert hello.startswith('event: hello\ndata: {"generation": ')
        deadline = threading.Event()
        while running.hub.clients == 0 and not deadline.wait(0.01):
            pass
        running.hub.publish("reload", [])
        assert read_until_blank(reader).startswith("event: reload\n")
        running.hub.publish("failed", ["content/a.md:3: error: date: <b>bad</b>"])
        assert "<b>bad</b>" in read_until_blank(reader)
        # meanwhile a page shows the overlay, escaped
        _, _, page = running.request(BASE)
        assert b'id="__briefgen_overlay"' in page
        assert b"content/a.md:3: error: date: &lt;b&gt;bad&lt;/b&gt;" in page
        running.hub.publish("reload", [])
        assert read_until_blank(reader).startswith("event: reload\n")
    _, _, page = running.request(BASE)
    assert b"__briefgen_overlay" not in page.split(b"<script")[0]


def read_until_blank(reader: object) -> str:
    lines = []
    while True:
        line = reader.readline().decode()  # type: ignore[attr-defined]
        if line in ("\r\n", "\n", ""):
            return "".join(lines).replace("\r\n", "\n")
        lines.append(line)


def test_a_busy_port_is_a_clear_message_and_leaves_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BriefgenError) as raised:
            Preview(load_config(tmp_path), port=port)
    assert str(raised.value) == (
        f"--port: error: 127.0.0.1:{port} is already in use: try --port {port + 1}, "
        "or --port 0 for any free port"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_watcher_ignores_editor_litter_and_gathers_a_burst(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    watcher = Watcher(Config(root=root), root / "out")
    for name in [
        "content/a.md",
        "content/.a.md.swp",
        "content/a.md~",
        "content/4913",
        "content/.#a.md",
        "content/a.md.tmp",
        "other.txt",
        "briefgen.yaml",
        "site/index.html",
        "out/x.html",
        "templates/base.html",
    ]:
        watcher.on_any_event(FileModifiedEvent(str(root / name)))
    watcher.on_any_event(FileOpenedEvent(str(root / "content/b.md")))
    watcher.on_any_event(
        FileMovedEvent(str(root / "static/.x.css.tmp"), str(root / "static/x.css"))
    )
    started = time.monotonic()
    changed = watcher.burst(threading.Event())
    assert time.monotonic() - started < 0.5
    assert changed == {
        root / "content/a.md",
        root / "briefgen.yaml",
        root / "templates/base.html",
        root / "static/x.css",
    }
