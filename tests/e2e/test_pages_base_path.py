"""The seed briefing served as GitHub Pages serves a project site: under `/briefing/`.

The site is built with `--base-url https://example.github.io/briefing/`, served
by a plain static file server that maps `/briefing/…` to the output folder and
answers 404 (with the site's `404.html`) anywhere else, then crawled from the
home page. The crawler is independent of `briefgen check`, which must agree.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
BASE_URL = "https://example.github.io/briefing/"
PREFIX = "/briefing/"


def run_briefgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's seed briefing (config and content), built for a project site."""
    entries = sorted((REPO / "content").rglob("*.md"))
    assert entries, "the seed briefing has no entries in content/"
    root = tmp_path_factory.mktemp("pages") / "project"
    root.mkdir()
    shutil.copy2(REPO / "briefgen.yaml", root / "briefgen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    done = run_briefgen(root, "build", "--base-url", BASE_URL)
    assert done.returncode == 0, done.stderr
    return root


# --- a static file server mounted under /briefing/ ---------------------------------------


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the site under PREFIX; 404 with the site's 404.html everywhere else."""

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        path = urlsplit(self.path).path
        if not (path + "/").startswith(PREFIX):
            self.send_error(404)
            return None
        return super().send_head()  # type: ignore[no-any-return]

    def translate_path(self, path: str) -> str:
        relative = urlsplit(path).path[len(PREFIX) :]
        return super().translate_path("/" + relative)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[str]:
    handler = functools.partial(_PagesHandler, directory=str(project / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- a crawler --------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every URL a browser would follow or load from a page, and the page's anchors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v}
        self.ids.update(v for k, v in values.items() if k == "id" or (tag == "a" and k == "name"))
        for key in ("href", "src", "poster", "action"):
            if key in values:
                self.urls.append(values[key])
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])


@dataclass
class Crawl:
    origin: str
    visited: dict[str, int] = field(default_factory=dict)  # local URL path -> status
    ids: dict[str, set[str]] = field(default_factory=dict)  # page path -> anchors
    broken: list[str] = field(default_factory=list)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  # page, target, id
    external: set[str] = field(default_factory=set)

    def local(self, url: str) -> str | None:
        """The server path for a URL of the site, None for another site."""
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "data", "javascript"):
            return None
        if url.startswith(BASE_URL) or parts.netloc in ("example.github.io", ""):
            return parts.path
        if url.startswith(self.origin):
            return parts.path
        self.external.add(url)
        return None

    def fetch(self, path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(self.origin + path, timeout=10) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get_content_type(), exc.read()

    def run(self, *starts: str) -> None:
        queue = [(path, "(start)") for path in starts]
        while queue:
            path, referrer = queue.pop()
            if path in self.visited:
                continue
            status, kind, body = self.fetch(path)
            self.visited[path] = status
            if status != 200:
                self.broken.append(f"{referrer}: {path}: HTTP {status}")
                continue
            for url in self.links(path, kind, body):
                absolute = urljoin(BASE_URL + path[len(PREFIX) :], url)
                target, fragment = urldefrag(absolute)
                local = self.local(target)
                if local is None:
                    continue
                if fragment:
                    self.fragments.append((path, local, unquote(fragment)))
                queue.append((local, path))

    def links(self, path: str, kind: str, body: bytes) -> list[str]:
        text = body.decode("utf-8")
        if kind == "text/html":
            parser = _Links()
            parser.feed(text)
            self.ids[path] = parser.ids
            return parser.urls
        if path.endswith(".xml"):
            return re.findall(r"<loc>([^<]+)</loc>", text) + re.findall(
                r"<link\b[^>]*\bhref=\"([^\"]+)\"", text
            )
        if path.endswith("robots.txt"):
            return re.findall(r"(?im)^sitemap:\s*(\S+)", text)
        if kind == "text/css":
            return re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        return []


def site_pages(site: Path) -> set[str]:
    """The URL path of every page of the site (404.html is served, not linked)."""
    pages = set()
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        pages.add(PREFIX + relative.removesuffix("index.html"))
    return pages


@pytest.fixture(scope="module")
def crawl(server: str) -> Crawl:
    crawl = Crawl(server)
    crawl.run(PREFIX, PREFIX + "robots.txt")
    return crawl


def test_a_crawler_from_the_home_page_reaches_every_page(project: Path, crawl: Crawl) -> None:
    reached = {path for path, status in crawl.visited.items() if status == 200}
    assert site_pages(project / "site") - reached == set()
    assert PREFIX + "feed.xml" in reached
    assert PREFIX + "sitemap.xml" in reached
    assert len(site_pages(project / "site")) > 10


def test_no_link_or_asset_is_broken(crawl: Crawl) -> None:
    assert crawl.broken == []
    assert all(path.startswith(PREFIX) for path in crawl.visited)


def test_every_anchor_exists(crawl: Crawl) -> None:
    missing = [
        f"{page}: {target}#{anchor}"
        for page, target, anchor in crawl.fragments
        if anchor != "top" and anchor not in crawl.ids.get(target, set())
    ]
    assert missing == []


def test_every_source_link_is_listed_as_external(project: Path, crawl: Crawl) -> None:
    sources = set()
    for entry in (project / "content").rglob("*.md"):
        match = re.search(r"^\s+url:\s*\"?(https?://[^\"\s]+)", entry.read_text("utf-8"), re.M)
        if match:
            sources.add(match.group(1))
    assert sources
    assert sources <= crawl.external


def test_the_404_page_works_at_any_depth(server: str) -> None:
    crawl = Crawl(server)
    status, _kind, body = crawl.fetch(PREFIX + "no/such/page/")
    assert status == 404
    links = crawl.links(PREFIX + "no/such/page/", "text/html", body)
    assert links
    for url in links:
        if url.startswith("#"):  # the same (missing) page
            continue
        target = urldefrag(urljoin(BASE_URL + "no/such/page/", url))[0]
        local = crawl.local(target)
        if local is not None:
            assert crawl.fetch(local)[0] == 200, url


def test_outside_the_base_path_nothing_is_served(server: str) -> None:
    crawl = Crawl(server)
    assert crawl.fetch("/index.html")[0] == 404
    assert crawl.fetch("/briefing")[0] == 200  # redirected to /briefing/


def test_briefgen_check_agrees(project: Path, crawl: Crawl) -> None:
    done = run_briefgen(project, "check", "--base-url", BASE_URL)
    assert done.returncode == 0, done.stderr
    pages = len(list((project / "site").rglob("*.html")))
    summary = done.stderr.splitlines()[-1]
    assert summary.startswith(f"checked {pages} pages, "), summary
    assert ": 0 problems (" in summary
    # Checked as a site served at the root of the host, the same output does not work.
    wrong = run_briefgen(project, "check", "--base-url", "https://example.github.io/")
    assert wrong.returncode == 1
    assert "outside the base path" not in wrong.stderr  # / holds everything…
    assert "/briefing/: no such page" in wrong.stderr  # …but there is no folder briefing/


def test_briefgen_check_finds_what_is_planted_in_the_built_site(
    project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    page = next(p for p in sorted((copy / "site" / "articles").rglob("index.html")))
    html = page.read_text("utf-8")
    lines = html.count("\n", 0, html.index("</body>")) + 1
    planted = (
        '<a href="/briefing/articles/does-not-exist/">x</a>\n'
        '<a href="/briefing/#no-such-anchor">y</a>\n'
        '<img src="/briefing/assets/missing.png" alt="">\n'
    )
    page.write_text(html.replace("</body>", planted + "</body>", 1), "utf-8")
    done = run_briefgen(copy, "check", "--base-url", BASE_URL)
    assert done.returncode == 1
    shown = page.relative_to(copy).as_posix()
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        f"{shown}:{lines}:1: error: /briefing/articles/does-not-exist/: no such page",
        f"{shown}:{lines + 1}:1: error: /briefing/#no-such-anchor: "
        "no anchor #no-such-anchor in /briefing/",
        f"{shown}:{lines + 2}:1: error: /briefing/assets/missing.png: no such file",
    ]
    assert ": 3 problems" in done.stderr.splitlines()[-1]
