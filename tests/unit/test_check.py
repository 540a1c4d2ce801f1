"""The link check of a built site: internal links, anchors and assets under the base path."""

from __future__ import annotations

import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.check import check_site, parse_srcset
from briefgen.diagnostics import BriefgenError
from tests.conftest import run_cli

BASE_URL = "https://example.github.io/briefing/"
REPO = Path(__file__).resolve().parents[2]

PAGE = """\
<!DOCTYPE html>
<html><head>
<link rel="canonical" href="https://example.github.io/briefing/{path}">
<link rel="stylesheet" href="/briefing/assets/style.css">
<link rel="alternate" type="application/atom+xml" href="/briefing/feed.xml">
</head><body>
<a href="#main">skip</a>
<main id="main">
{body}
</main>
</body></html>
"""

CLEAN_SITE = {
    "index.html": PAGE.format(
        path="",
        body='<a href="/briefing/articles/a/">A</a>\n'
        '<a href="articles/a/#body">A, body</a>\n'
        '<a href="/briefing/articles/a/#caf%C3%A9">A, café</a>\n'
        '<a href="/briefing/topics">topics, no slash</a>\n'
        '<a href="/briefing/search/?q=kim">search</a>\n'
        '<a href="#top">top</a> <a href="#">top too</a>\n'
        '<a href="mailto:desk@example.org">mail</a>\n'
        '<a href="https://www.lemonde.fr/article">Le Monde</a>\n'
        '<img src="/briefing/assets/logo.png" alt=""'
        ' srcset="/briefing/assets/logo.png 1x, /briefing/assets/logo@2x.png 2x">\n'
        '<div style="background: url(/briefing/assets/logo.png)"></div>',
    ),
    "articles/a/index.html": PAGE.format(
        path="articles/a/",
        body='<h2 id="body">Body</h2><h2 id="café">Café</h2>\n'
        '<a href="../../">home</a> <a href="/briefing/">home</a> <a href="/briefing">home</a>\n'
        '<a name="old-anchor"></a><a href="#old-anchor">old</a>',
    ),
    "topics/index.html": PAGE.format(path="topics/", body='<a href="../index.html">home</a>'),
    "search/index.html": PAGE.format(
        path="search/", body='<script src="/briefing/assets/search.js"></script>'
    ),
    "404.html": PAGE.format(path="404.html", body='<a href="/briefing/">home</a>'),
    "assets/style.css": "@import 'fonts.css';\nbody { background: url(\"logo.png\"); }\n",
    "assets/fonts.css": "",
    "assets/logo.png": "png",
    "assets/logo@2x.png": "png",
    "assets/search.js": "",
    "search.json": '[{"title": "A", "url": "/briefing/articles/a/"}]',
    "feed.xml": '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom">\n'
    '<link rel="self" href="https://example.github.io/briefing/feed.xml"/>\n'
    '<entry><link href="https://example.github.io/briefing/articles/a/"/></entry>\n'
    "</feed>\n",
    "sitemap.xml": '<?xml version="1.0" encoding="utf-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    "<url><loc>https://example.github.io/briefing/</loc></url>\n"
    "<url><loc>https://example.github.io/briefing/articles/a/</loc></url>\n"
    "</urlset>\n",
    "robots.txt": "User-agent: *\nSitemap: https://example.github.io/briefing/sitemap.xml\n",
    ".nojekyll": "",
}


def make_site(root: Path, files: dict[str, str]) -> Path:
    site = root / "site"
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def planted(page: str, snippet: str) -> dict[str, str]:
    """The clean site with `snippet` added as the first line of `page`'s <main> (line 9)."""
    files = dict(CLEAN_SITE)
    files[page] = files[page].replace('<main id="main">\n', f'<main id="main">\n{snippet}\n')
    return files


def messages(site: Path, base_url: str = BASE_URL) -> list[str]:
    result = check_site(site, base_url)
    return sorted(str(d) for d in result.diagnostics)


def test_clean_site_has_no_problem(tmp_path: Path) -> None:
    site = make_site(tmp_path, CLEAN_SITE)
    result = check_site(site, BASE_URL)
    assert [str(d) for d in result.diagnostics] == []
    assert result.pages == 5
    assert result.problems == 0


def test_counts_every_reference(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="/briefing/">x</a><img src="x.png">'})
    (site / "x.png").write_bytes(b"")
    result = check_site(site, BASE_URL)
    assert (result.pages, result.links, result.problems) == (1, 2, 0)


@pytest.mark.parametrize(
    ("page", "snippet", "expected"),
    [
        (
            "topics/index.html",
            '<a href="/briefing/topics/missing/">x</a>',
            "site/topics/index.html:9:1: error: /briefing/topics/missing/: no such page",
        ),
        (
            "index.html",
            '<a href="articles/b/">x</a>',
            "site/index.html:9:1: error: articles/b/: no such page",
        ),
        (
            "index.html",
            '<p>see <a href="/briefing/articles/a/#nope">x</a></p>',
            "site/index.html:9:8: error: /briefing/articles/a/#nope: "
            "no anchor #nope in /briefing/articles/a/",
        ),
        (
            "articles/a/index.html",
            '<a href="#missing">x</a>',
            "site/articles/a/index.html:9:1: error: #missing: no anchor #missing on this page",
        ),
        (
            "index.html",
            '<img src="/briefing/assets/missing.png" alt="">',
            "site/index.html:9:1: error: /briefing/assets/missing.png: no such file",
        ),
        (
            "index.html",
            '<img src="/briefing/assets/logo.png" srcset="/briefing/assets/logo.png 1x,'
            ' /briefing/assets/logo@3x.png 3x" alt="">',
            "site/index.html:9:1: error: /briefing/assets/logo@3x.png: no such file",
        ),
        (
            "index.html",
            '<script src="/briefing/assets/app.js"></script>',
            "site/index.html:9:1: error: /briefing/assets/app.js: no such file",
        ),
        (
            "index.html",
            '<a href="/articles/a/">x</a>',
            "site/index.html:9:1: error: /articles/a/: "
            "outside the base path /briefing/ where the site is served",
        ),
        (
            "index.html",
            '<link rel="canonical" href="https://example.github.io/articles/a/">',
            "site/index.html:9:1: error: https://example.github.io/articles/a/: "
            "outside the base path /briefing/ where the site is served",
        ),
        (
            "articles/a/index.html",
            '<a href="../../../elsewhere/">x</a>',
            "site/articles/a/index.html:9:1: error: ../../../elsewhere/: "
            "outside the base path /briefing/ where the site is served",
        ),
        (
            "404.html",
            '<a href="articles/a/">x</a>',
            "site/404.html:9:1: error: articles/a/: relative link in the 404 page, which is "
            "served at any missing URL: use a link from the base path (/briefing/…)",
        ),
        (
            "index.html",
            "<div style=\"background: url('/briefing/assets/bg.jpg')\"></div>",
            "site/index.html:9:1: error: /briefing/assets/bg.jpg: no such file",
        ),
        (
            "index.html",
            '<a href="http://[::1">x</a>',
            "site/index.html:9:1: error: http://[::1: malformed URL",
        ),
        (
            "index.html",
            '<img src="//[example.github.io/logo.png" alt="">',
            "site/index.html:9:1: error: //[example.github.io/logo.png: malformed URL",
        ),
        (
            "index.html",
            '<a href="https://example.github.io:99999/briefing/">x</a>',
            "site/index.html:9:1: error: https://example.github.io:99999/briefing/: malformed URL",
        ),
    ],
)
def test_reports_each_planted_problem(
    tmp_path: Path, page: str, snippet: str, expected: str
) -> None:
    site = make_site(tmp_path, planted(page, snippet))
    assert messages(site) == [expected]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "sitemap.xml",
            '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            "<url><loc>https://example.github.io/briefing/gone/</loc></url>\n</urlset>\n",
            "site/sitemap.xml:3: error: https://example.github.io/briefing/gone/: no such page",
        ),
        (
            "feed.xml",
            '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            '<link href="https://example.github.io/articles/a/"/>\n</feed>\n',
            "site/feed.xml:3: error: https://example.github.io/articles/a/: "
            "outside the base path /briefing/ where the site is served",
        ),
        (
            "assets/style.css",
            "body {}\n.hero { background: url(img/hero.jpg); }\n",
            "site/assets/style.css:2: error: img/hero.jpg: no such file",
        ),
        (
            "search.json",
            '{"docs": [{"url": "/briefing/articles/zz/", "title": "zz"}]}',
            "site/search.json: error: /briefing/articles/zz/: no such page",
        ),
        (
            "robots.txt",
            "User-agent: *\nSitemap: https://example.github.io/sitemap.xml\n",
            "site/robots.txt:2: error: https://example.github.io/sitemap.xml: "
            "outside the base path /briefing/ where the site is served",
        ),
    ],
)
def test_checks_links_outside_html(tmp_path: Path, name: str, text: str, expected: str) -> None:
    files = dict(CLEAN_SITE)
    files[name] = text
    site = make_site(tmp_path, files)
    assert messages(site) == [expected]


def test_a_site_built_for_the_root_fails_under_a_base_path(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="/topics/">t</a>', "topics/index.html": ""})
    assert messages(site, "https://example.github.io/") == []
    assert messages(site) == [
        "site/index.html:1:1: error: /topics/: outside the base path /briefing/ "
        "where the site is served"
    ]


def test_display_names_the_site_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="/briefing/x/">x</a>'})
    result = check_site(site, BASE_URL, display="public")
    assert [str(d) for d in result.diagnostics] == [
        "public/index.html:1:1: error: /briefing/x/: no such page"
    ]


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [
        ("a.png", ["a.png"]),
        ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
        ("a.png 480w,b.png 800w", ["a.png", "b.png"]),
        ("  a.png,  b.png 2x ", ["a.png", "b.png"]),
        ("a,b.png 1x, c.png 2x", ["a,b.png", "c.png"]),
        ("", []),
    ],
)
def test_parses_srcset(srcset: str, urls: list[str]) -> None:
    assert parse_srcset(srcset) == urls


# --- external links ---------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, str]]

    def _answer(self, body: bool) -> None:
        self.requests.append((self.command, self.path))
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        else:
            status = 200 if self.path in ("/good", "/no-head") else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    requests: list[tuple[str, str]] = []
    handler = type("Handler", (_Handler,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def external_site(tmp_path: Path, origin: str) -> Path:
    return make_site(
        tmp_path,
        {
            "index.html": f'<a href="{origin}/good">good</a>\n'
            f'<a href="{origin}/missing#part">missing</a>\n'
            f'<a href="{origin}/no-head">no HEAD</a>\n',
            "other/index.html": f'<a href="{origin}/missing">missing again</a>',
        },
    )


def test_lists_external_links_without_fetching_them(
    tmp_path: Path, server: tuple[str, list[tuple[str, str]]]
) -> None:
    origin, requests = server
    result = check_site(external_site(tmp_path, origin), BASE_URL)
    assert result.diagnostics == []
    assert sorted(result.external) == [f"{origin}/good", f"{origin}/missing", f"{origin}/no-head"]
    assert [name for name, _ref in result.external[f"{origin}/missing"]] == [
        "index.html",
        "other/index.html",
    ]
    assert not result.external_checked
    assert requests == []


def test_external_fetches_each_link_once_and_reports_failures(
    tmp_path: Path, server: tuple[str, list[tuple[str, str]]]
) -> None:
    origin, requests = server
    seen: list[tuple[int, int]] = []
    result = check_site(
        external_site(tmp_path, origin),
        BASE_URL,
        external=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [str(d) for d in result.diagnostics] == [
        f"site/index.html:2:1: error: {origin}/missing: HTTP 404 "
        "(also linked from other/index.html)",
    ]
    assert sorted(requests) == [
        ("GET", "/missing"),
        ("GET", "/no-head"),
        ("HEAD", "/good"),
        ("HEAD", "/missing"),
        ("HEAD", "/no-head"),
    ]
    assert seen[-1] == (3, 3)


def test_external_reports_an_unreachable_host(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = make_site(tmp_path, {"index.html": f'<a href="http://127.0.0.1:{port}/">x</a>'})
    [diagnostic] = check_site(site, BASE_URL, external=True, timeout=2).diagnostics
    assert str(diagnostic).startswith(
        f"site/index.html:1:1: error: http://127.0.0.1:{port}/: cannot connect: "
    )


# --- the command -------------------------------------------------------------------------


def run_briefgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def test_check_command_refuses_a_site_not_built(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    done = run_briefgen(tmp_path, "check")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "site/: error: the site is not built (run `briefgen build` first)\n"


def test_check_command_reports_problems_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    make_site(tmp_path, planted("index.html", '<a href="/briefing/nowhere/">x</a>'))
    done = run_briefgen(tmp_path, "check")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "site/index.html:9:1: error: /briefing/nowhere/: no such page",
        "checked 5 pages, 49 links: 1 problem "
        "(1 external link not fetched; `--external` checks them)",
    ]


def test_check_command_passes_on_a_clean_site(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    make_site(tmp_path, CLEAN_SITE)
    done = run_briefgen(tmp_path, "check")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "checked 5 pages, 48 links: 0 problems "
        "(1 external link not fetched; `--external` checks them)"
    ]


def test_check_command_base_url_option_overrides_the_config(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text("base_url: https://example.org/\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    make_site(tmp_path, CLEAN_SITE)
    assert run_briefgen(tmp_path, "check").returncode == 1
    done = run_briefgen(tmp_path, "check", "--base-url", BASE_URL)
    assert done.returncode == 0, done.stderr
    bad = run_briefgen(tmp_path, "check", "--base-url", "ftp://x/")
    assert bad.returncode == 1
    assert bad.stderr.startswith("--base-url: error: base_url: expected an http(s) URL")


def test_check_command_external_fetches_links(
    tmp_path: Path, server: tuple[str, list[tuple[str, str]]]
) -> None:
    origin, requests = server
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    external_site(tmp_path, origin)
    assert run_briefgen(tmp_path, "check").returncode == 0
    assert requests == []
    done = run_briefgen(tmp_path, "check", "--external")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"site/index.html:2:1: error: {origin}/missing: HTTP 404 "
        "(also linked from other/index.html)",
        "checked 2 pages, 4 links: 1 problem",
    ]


@pytest.mark.parametrize(
    ("href", "external"),
    [
        ("https://EXAMPLE.github.io/briefing/", None),
        ("http://example.github.io/briefing/", None),
        ("//example.github.io/briefing/", None),
        ("//cdn.example.org/lib.js", "https://cdn.example.org/lib.js"),
        ("https://example.github.io:8443/x", "https://example.github.io:8443/x"),
        ("https://www.lemonde.fr/a#frag", "https://www.lemonde.fr/a"),
        ("ftp://files.example.org/x", None),
        ("tel:+33100000000", None),
    ],
)
def test_tells_internal_from_external_links(
    tmp_path: Path, href: str, external: str | None
) -> None:
    site = make_site(tmp_path, {"index.html": f'<a href="{href}">x</a>'})
    result = check_site(site, BASE_URL)
    assert result.diagnostics == []
    assert sorted(result.external) == ([external] if external else [])


def test_resolves_relative_links_against_a_base_element(tmp_path: Path) -> None:
    files = {
        "index.html": '<base href="/briefing/articles/">\n<a href="a/">ok</a>\n<a href="b/">ko</a>',
        "articles/a/index.html": "",
    }
    assert messages(make_site(tmp_path, files)) == ["site/index.html:3:1: error: b/: no such page"]


def test_a_malformed_base_element_is_reported_on_the_links_it_resolves(tmp_path: Path) -> None:
    files = {
        "index.html": '<base href="http://[::1">\n<a href="a/">x</a>\n<a href="/briefing/">y</a>'
    }
    assert messages(make_site(tmp_path, files)) == [
        "site/index.html:2:1: error: a/: the page's <base href> is a malformed URL: http://[::1",
        "site/index.html:3:1: error: /briefing/: the page's <base href> is a malformed URL: "
        "http://[::1",
    ]


def test_a_malformed_base_url_is_an_error_not_a_crash(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.html": '<a href="/briefing/">x</a>'})
    with pytest.raises(BriefgenError) as raised:
        check_site(site, "https://example.github.io:port/briefing/")
    assert (
        str(raised.value)
        == "error: base_url: malformed URL: https://example.github.io:port/briefing/"
    )


def test_check_command_reports_a_malformed_url_of_a_built_page(tmp_path: Path) -> None:
    """The review's repro: a static page with a malformed link, built, then checked."""
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "x.html").write_text(
        '<!DOCTYPE html>\n<title>x</title>\n<a href="http://[::1">x</a>\n', encoding="utf-8"
    )
    built = run_briefgen(tmp_path, "build")
    assert built.returncode == 0, built.stderr
    done = run_briefgen(tmp_path, "check")
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        "site/x.html:3:1: error: http://[::1: malformed URL"
    ]


def test_check_command_runs_from_a_subfolder_of_the_project(tmp_path: Path) -> None:
    """As git does, from anywhere inside; files are named from the project, as entries are."""
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content" / "2023").mkdir(parents=True)
    make_site(tmp_path, planted("index.html", '<a href="/briefing/nowhere/">x</a>'))
    done = run_briefgen(tmp_path / "content" / "2023", "check")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "site/index.html:9:1: error: /briefing/nowhere/: no such page",
        "checked 5 pages, 49 links: 1 problem "
        "(1 external link not fetched; `--external` checks them)",
    ]


def test_check_command_outside_a_project_says_so_in_one_line(tmp_path: Path) -> None:
    make_site(tmp_path, CLEAN_SITE)  # a site, but no briefgen.yaml here or above
    done = run_briefgen(tmp_path, "check")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: no briefgen.yaml in {tmp_path.resolve()} or any folder above it "
        "(expected a briefing project: `briefgen init DIR` makes one)\n"
    )


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("option", "http://[::1/"),
        ("option", "https://example.github.io:port/briefing/"),
        ("config", "https://example.github.io:port/briefing/"),
    ],
)
def test_check_command_a_malformed_base_url_is_one_line(
    tmp_path: Path, where: str, value: str
) -> None:
    config = f"base_url: '{value}'\n" if where == "config" else f"base_url: {BASE_URL}\n"
    (tmp_path / "briefgen.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "content").mkdir()
    make_site(tmp_path, CLEAN_SITE)
    done = run_briefgen(tmp_path, "check", *(["--base-url", value] if where == "option" else []))
    assert (done.returncode, done.stdout) == (1, "")
    [line] = done.stderr.splitlines()
    assert "error: base_url: " in line
    assert value in line


def test_check_command_reports_entry_errors_and_still_checks_the_site(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(f"base_url: {BASE_URL}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(
        "---\ntitle: A\ndate: 14/09/2023\ntopics: [X]\n---\nText.\n", encoding="utf-8"
    )
    make_site(tmp_path, planted("index.html", '<a href="/briefing/nowhere/">x</a>'))
    done = run_briefgen(tmp_path, "check", "-q")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["content/a.md", "site/index.html"]
    assert ": error: " in lines[0]
    assert lines[1] == "site/index.html:9:1: error: /briefing/nowhere/: no such page"


def test_deeply_nested_json_is_read_without_a_crash(tmp_path: Path) -> None:
    deep = '{"a": ' * 100_000 + '{"url": "/nowhere/"}' + "}" * 100_000
    shallow_deep = "[" * 800 + '{"url": "/missing/"}' + "]" * 800
    site = make_site(
        tmp_path,
        {"index.html": "<p>x</p>", "static/deep.json": deep, "static/list.json": shallow_deep},
    )
    result = check_site(site, BASE_URL)
    # too deep for Python's parser: skipped; deep but parsed: its URL is checked
    assert [str(d) for d in result.diagnostics] == [
        "site/static/list.json: error: /missing/: outside the base path /briefing/ where "
        "the site is served"
    ]


def test_an_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, {"index.html": "<p>x</p>", "locked/index.html": "<p>y</p>"})
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "index.html" and self.parent.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    result = check_site(site, BASE_URL)
    assert [str(d) for d in result.diagnostics] == [
        "site/locked/index.html: error: cannot read the file: Permission denied"
    ]
