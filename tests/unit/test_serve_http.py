"""The preview's HTTP side: a real server on a free port of 127.0.0.1, in a thread."""

from __future__ import annotations

import http.client
import io
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from watchdog.events import FileModifiedEvent, FileMovedEvent, FileOpenedEvent

from briefgen.build import build
from briefgen.cli.console import Console
from briefgen.cli.serve_cmd import report
from briefgen.config import Config, load_config, read_config
from briefgen.diagnostics import BriefgenError
from briefgen.serve import EVENTS, Hub, Preview, PreviewServer, Rebuild
from briefgen.watch import Watcher
from tests.conftest import run_cli, write_tree

BASE = "/repo/"
SECRET = "top secret, never served"
MEDIA = ("app.mjs", "photo.avif", "clip.mp4", "font.woff2", "photo.webp", "data.bin")
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
            **{f"static/media/{name}": "x" for name in MEDIA},
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
        (BASE + "media/app.mjs", "text/javascript; charset=utf-8"),
        (BASE + "media/photo.avif", "image/avif"),
        (BASE + "media/clip.mp4", "video/mp4"),
        (BASE + "media/font.woff2", "font/woff2"),
        (BASE + "media/photo.webp", "image/webp"),
        (BASE + "media/data.bin", "application/octet-stream"),
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
        ("/repo/topics?page=2", 301, "/repo/topics/?page=2"),
        ("/repo/topics?page=2&q=a%20b#top", 301, "/repo/topics/?page=2&q=a%20b"),
        ("/repo/topics/?", 200, None),
        ("/?x=1", 302, "/repo/?x=1"),
        ("/repo?x=1&y", 302, "/repo/?x=1&y"),
    ],
)
def test_redirects_into_the_base_path_and_to_folders(
    running: Running, path: str, status: int, location: str
) -> None:
    got, headers, _ = running.request(path)
    assert got == status
    assert headers.get("Location") == location
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
        host = f"{running.host}:{running.port}"
        sock.sendall(f"GET {EVENTS} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
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
    project = write_tree(tmp_path / "project", {"briefgen.yaml": 'title: "Desk"\n'})
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BriefgenError) as raised:
            Preview(load_config(project), port=port)
    assert str(raised.value) == (
        f"--port: error: 127.0.0.1:{port} is already in use: try --port {port + 1}, "
        "or --port 0 for any free port"
    )
    assert list(temp.iterdir()) == []


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
        ".git/index",
        ".venv/lib/x.py",
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


def test_follow_re_points_the_watches_at_the_folders_of_a_new_config(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path.resolve(),
        {"briefgen.yaml": "", "content/a.md": ENTRY, "articles/b.md": ENTRY, "static/x.css": ""},
    )
    watcher = Watcher(Config(root=root), root / "out")
    try:
        assert watcher.follow(Config(root=root)) == {root / "content", root / "static"}
        # templates/ does not exist: the root, which is watched anyway, tells when it appears
        assert watcher.watched == [(root, False), (root / "content", True), (root / "static", True)]
        moved = Config(root=root, content_dir="articles", templates_dir="src/theme")
        (root / "src").mkdir()
        assert watcher.follow(moved) == {root / "articles"}
        assert watcher.watched == [
            (root, False),
            (root / "articles", True),
            (root / "src", False),  # the nearest folder on the way to src/theme
            (root / "static", True),
        ]
        assert watcher.follow(moved) == set()
        # a watched folder that was deleted and made again gets a new watch
        assert watcher.follow(moved, [root / "static"]) == {root / "static"}
    finally:
        watcher.observer.unschedule_all()


def test_the_watcher_takes_the_folders_of_the_config_it_follows(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    watcher = Watcher(Config(root=root), root / "out")
    watcher.folders = frozenset({root / "articles", root / "src" / "theme"})
    for name in ["content/a.md", "articles/a.md", "src", "src/theme/base.html", "src/other.txt"]:
        watcher.on_any_event(FileModifiedEvent(str(root / name)))
    assert watcher.burst(threading.Event()) == {
        root / "articles/a.md",
        root / "src",
        root / "src/theme/base.html",
    }


DRAFT = ENTRY.replace('title: "Coopération militaire"', 'title: "Brouillon"\ndraft: true')


def preview_project(root: Path, config: str = 'title: "Desk"\n') -> Path:
    return write_tree(
        root / "project",
        {
            "briefgen.yaml": config,
            "content/2023/09/14-cooperation.md": ENTRY,
            "content/2023/09/15-arrivee.md": ENTRY.replace("Coopération", "Arrivée"),
            "content/2023/09/16-brouillon.md": DRAFT,
        },
    )


@contextmanager
def previewing(
    project: Path, *, drafts: bool = False
) -> Iterator[tuple[Preview, Rebuild, Callable[[Callable[[Rebuild], bool]], Rebuild]]]:
    """A started preview whose watcher runs in a thread; `wait(test)`: the first report
    that passes `test` (the others are skipped), or a failure after 10 s."""
    config, _ = read_config(project)
    preview = Preview(config or Config(root=project.resolve()), port=0, drafts=drafts)
    reports: queue.Queue[Rebuild] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=preview.run, args=(reports.put, stop))

    def wait(test: Callable[[Rebuild], bool]) -> Rebuild:
        deadline = time.monotonic() + 10
        while (left := deadline - time.monotonic()) > 0:
            try:
                done = reports.get(timeout=left)
            except queue.Empty:
                break
            if test(done):
                return done
        pytest.fail("no rebuild as expected within 10 s")

    try:
        first = preview.start()
        thread.start()
        yield preview, first, wait
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=5)
        preview.close()


def entries(count: int) -> Callable[[Rebuild], bool]:
    return lambda done: not done.outcome.errors and done.entries == count


@pytest.mark.parametrize(
    ("drafts", "count", "line"), [(False, 2, "2 entries:"), (True, 3, "3 entries (1 draft):")]
)
def test_the_entry_count_is_what_the_site_holds_as_in_briefgen_build(
    tmp_path: Path, drafts: bool, count: int, line: str
) -> None:
    project = preview_project(tmp_path)
    args = ["build", "--drafts"] if drafts else ["build"]
    built = run_cli(*args, cwd=project)
    assert f"Built {count} entries into" in built.stderr
    with previewing(project, drafts=drafts) as (_, first, _wait):
        assert (first.entries, first.drafts) == (count, count - 2)
        assert f"Built {line} " in printed(first, first=True)


def printed(done: Rebuild, *, first: bool = False, verbosity: int = 0) -> str:
    stream = io.StringIO()
    report(Console(verbosity=verbosity, stream=stream), done, first=first)
    return stream.getvalue()


def test_a_fix_that_changes_no_output_still_says_the_build_is_back(tmp_path: Path) -> None:
    project = preview_project(tmp_path)
    article = project / "content/2023/09/14-cooperation.md"
    with previewing(project) as (_, _first, wait):
        article.write_text(ENTRY.replace("2023-09-14T", "14/09/2023T"), encoding="utf-8")
        failed = wait(lambda done: bool(done.outcome.errors))
        assert (
            printed(failed).splitlines()[-1] == "Build failed: 1 error (shown in the browser too)"
        )
        article.write_text(ENTRY, encoding="utf-8")
        fixed = wait(lambda done: not done.outcome.errors)
        assert fixed.recovered
        assert fixed.outcome.written == fixed.outcome.removed == ()
        assert printed(fixed).startswith("Rebuilt: fixed, 0 files changed (")
        # an ordinary rebuild that changes nothing stays quiet, and says why with -v
        article.write_text(ENTRY + "\n", encoding="utf-8")
        same = wait(lambda done: True)
        assert not same.recovered
        assert printed(same) == ""
        assert printed(same, verbosity=1).startswith("No output changed (")
        article.write_text(ENTRY.replace("The body", "A new body"), encoding="utf-8")
        changed = wait(lambda done: bool(done.outcome.written))
        count = len(changed.outcome.written)
        assert count > 1
        assert printed(changed).startswith(f"Rebuilt: {count} files changed (")
        assert len(printed(changed).splitlines()) == 1
        assert "  articles/cooperation/index.html\n" in printed(changed, verbosity=1)


def test_a_new_content_dir_in_the_config_is_watched(tmp_path: Path) -> None:
    project = preview_project(tmp_path)
    shutil.copytree(project / "content", project / "articles")
    with previewing(project) as (preview, first, wait):
        assert first.entries == 2
        (project / "briefgen.yaml").write_text('title: "Desk"\ncontent_dir: articles\n')
        wait(lambda done: done.config is not None and done.config.content_dir == "articles")
        write_tree(project, {"articles/new.md": ENTRY.replace("Coopération", "Nouvelle")})
        wait(entries(3))
        # and the old folder is no longer watched
        assert (project.resolve() / "content", True) not in preview.watcher.watched


def test_a_config_broken_at_startup_is_watched_once_fixed(tmp_path: Path) -> None:
    project = preview_project(tmp_path, 'title: "Desk"\ncontent_dir: articles\nnope: 1\n')
    (project / "content").rename(project / "articles")
    with previewing(project) as (_, first, wait):
        assert first.outcome.errors
        (project / "briefgen.yaml").write_text('title: "Desk"\ncontent_dir: articles\n')
        assert wait(entries(2)).recovered
        write_tree(project, {"articles/new.md": ENTRY.replace("Coopération", "Nouvelle")})
        wait(entries(3))


def test_folders_that_appear_go_and_come_back_are_watched(tmp_path: Path) -> None:
    project = preview_project(tmp_path, 'title: "Desk"\ncontent_dir: src/articles\n')
    with previewing(project) as (_, first, wait):
        assert first.entries == 0
        (project / "src").mkdir()
        wait(lambda done: True)
        (project / "src" / "articles").mkdir()
        wait(lambda done: True)
        write_tree(project, {"src/articles/a.md": ENTRY})
        wait(entries(1))
        shutil.rmtree(project / "src" / "articles")
        wait(entries(0))
        write_tree(project, {"src/articles/b.md": ENTRY})
        wait(entries(1))
        write_tree(project, {"src/articles/c.md": ENTRY.replace("Coopération", "Autre")})
        wait(entries(2))
        # deleted and made again in one go (a checkout, a copy): the new folder is watched
        shutil.rmtree(project / "src" / "articles")
        write_tree(project, {"src/articles/d.md": ENTRY})
        wait(entries(1))
        write_tree(project, {"src/articles/e.md": ENTRY.replace("Coopération", "Encore")})
        wait(entries(2))


def test_serve_outside_a_project_stops_with_one_line(tmp_path: Path) -> None:
    result = run_cli("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: no briefgen.yaml in ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_edits_made_during_the_first_build_are_found(tmp_path: Path) -> None:
    from briefgen.config import load_config
    from briefgen.serve import edited_since

    project = tmp_path / "p"
    for name in ("content/old.md", "content/new.md", "templates/base.html", "static/x.css"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x")
    (project / "briefgen.yaml").write_text("title: T\n")
    for name in ("content/old.md", "static/x.css", "briefgen.yaml"):
        os.utime(project / name, (1_000_000, 1_000_000))
    config = load_config(project)
    found = edited_since(config, 2_000_000)
    assert found == {
        (project / "content/new.md").absolute(),
        (project / "templates/base.html").absolute(),
    }
