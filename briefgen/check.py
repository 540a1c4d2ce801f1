"""The link check of a built site: every internal link, anchor and asset, under the base path.

The site is checked as a static host such as GitHub Pages serves it: the
folder is mounted at the path of `base_url` (`/briefing/` for
`https://example.github.io/briefing/`), a URL ending in `/` serves that
folder's `index.html`. References are read from every HTML page (`href`,
`src`, `srcset`, `poster`, `data`, `action`, inline and `<style>` CSS), from
CSS files (`url()`, `@import`), from XML files (sitemap `<loc>`, feed
`<link href>`), from `robots.txt` (`Sitemap:`) and from JSON files (values of
`url`/`href`/`link` keys, as in a search index). External http(s) links are
collected, and fetched only when asked (HEAD, then GET), a few at a time.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from briefgen.diagnostics import BriefgenError, Diagnostic, error, warning
from briefgen.linkfetch import TIMEOUT, WORKERS, Failure, check_external, network_down

Progress = Callable[[int, int], None]

SHOWN_PAGES = 3  # other pages named on the line of a failing external link

# tag -> attributes holding one URL
_URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "input": ("src",),
    "object": ("data",),
    "form": ("action",),
    "blockquote": ("cite",),
    "q": ("cite",),
}
_SRCSET_TAGS = ("img", "source")
_SKIPPED_SCHEMES = ("mailto", "tel", "javascript", "data", "about", "blob", "sms", "geo")
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+["']([^"']+)["']"""
)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
_JSON_URL_KEYS = ("url", "href", "link")


@dataclass(frozen=True)
class Reference:
    """A URL as written in a file of the site, and where."""

    url: str
    line: int = 0
    col: int = 0


@dataclass
class ScannedFile:
    """What a file of the site holds: its references and, for a page, its anchors."""

    references: list[Reference] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    base_href: str | None = None


@dataclass(frozen=True)
class CheckResult:
    pages: int  # HTML files read
    links: int  # references checked (internal and external)
    diagnostics: list[Diagnostic]
    # external URL (without fragment) -> (file, reference) where it appears
    external: dict[str, list[tuple[str, Reference]]]
    external_checked: bool

    @property
    def problems(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)


def check_site(
    site_dir: Path,
    base_url: str,
    *,
    display: str | None = None,
    external: bool = False,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    progress: Progress | None = None,
) -> CheckResult:
    """Check every internal link, anchor and asset of the site built in `site_dir`.

    Diagnostics name the file as `display/relative/path` (default: the folder's
    name) with the line of the reference, and say `link: why`. A malformed
    `base_url` raises `BriefgenError`.
    """
    prefix = (display or site_dir.name).rstrip("/")
    files = sorted(_site_files(site_dir))
    diagnostics: list[Diagnostic] = []
    scanned: dict[str, ScannedFile] = {}
    for name in files:
        try:
            scanned[name] = scan_file(site_dir / name, name)
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            diagnostics.append(error(f"{prefix}/{name}", 0, f"cannot read the file: {why}"))
            scanned[name] = ScannedFile()
    site = _Site(base_url, set(files), scanned)
    external_refs: dict[str, list[tuple[str, Reference]]] = {}
    links = 0
    for name in files:
        page = scanned[name]
        for ref in page.references:
            links += 1
            outcome = site.resolve(name, page, ref.url)
            if isinstance(outcome, _External):
                external_refs.setdefault(outcome.url, []).append((name, ref))
            elif outcome:
                diagnostics.append(
                    error(
                        f"{prefix}/{name}",
                        ref.line,
                        f"{ref.url}: {outcome}",
                        code="link",
                        col=ref.col,
                    )
                )
    if external:
        failures = check_external(
            sorted(external_refs), timeout=timeout, workers=workers, progress=progress
        )
        diagnostics += external_diagnostics(prefix, external_refs, failures)
    pages = sum(1 for name in files if name.endswith((".html", ".htm")))
    return CheckResult(pages, links, diagnostics, external_refs, external)


def external_diagnostics(
    prefix: str,
    refs: dict[str, list[tuple[str, Reference]]],
    failures: dict[str, Failure],
) -> list[Diagnostic]:
    """One line per failing URL, on the first page that links it, naming the others;
    one line in all when no server could be reached (the network is down)."""
    if network_down(sorted(refs), failures):
        sample = failures[min(failures)]
        return [
            error(
                prefix + "/",
                0,
                f"no external link could be checked: none of the {len(failures)} servers "
                f"could be reached (is the network down? first: {min(failures)}: {sample.why})",
                code="external",
            )
        ]
    diagnostics: list[Diagnostic] = []
    for url, failure in sorted(failures.items()):
        pages: dict[str, Reference] = {}
        for name, ref in refs[url]:
            pages.setdefault(name, ref)
        (first, ref), *others = pages.items()
        message = f"{url}: {failure.why}"
        if others:
            names = ", ".join(name for name, _ref in others[:SHOWN_PAGES])
            more = len(others) - SHOWN_PAGES
            names += f" and {more} more" if more > 0 else ""
            message += f" (also linked from {names})"
        make = error if failure.severity == "error" else warning
        diagnostics.append(
            make(f"{prefix}/{first}", ref.line, message, code="external", col=ref.col)
        )
    return diagnostics


def _site_files(site_dir: Path) -> Iterator[str]:
    for path in site_dir.rglob("*"):
        if path.is_file():
            yield path.relative_to(site_dir).as_posix()


# --- reading files ---------------------------------------------------------------------


def scan_file(path: Path, name: str) -> ScannedFile:
    """The references (and anchors) of one file of the site, by its kind."""
    suffix = posixpath.splitext(name)[1].lower()
    if suffix not in (".html", ".htm", ".css", ".xml", ".json") and name != "robots.txt":
        return ScannedFile()
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix in (".html", ".htm"):
        return scan_html(text)
    if suffix == ".css":
        return ScannedFile(references=list(scan_css(text)))
    if suffix == ".xml":
        return ScannedFile(references=scan_xml(text))
    if suffix == ".json":
        return ScannedFile(references=scan_json(text))
    return ScannedFile(references=scan_robots(text))


def scan_html(text: str) -> ScannedFile:
    scanner = _HtmlScanner()
    scanner.feed(text)
    scanner.close()
    return scanner.result


class _HtmlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ScannedFile()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        values = {name: value for name, value in attrs if value is not None}
        refs = self.result.references

        def add(url: str, line: int = line) -> None:
            if url.strip():
                refs.append(Reference(url.strip(), line, offset + 1))

        for anchor in (values.get("id"), values.get("name") if tag == "a" else None):
            if anchor:
                self.result.anchors.add(anchor)
        if tag == "base" and "href" in values:
            self.result.base_href = values["href"]
            return
        for attribute in _URL_ATTRS.get(tag, ()):
            if attribute in values:
                add(values[attribute])
        if tag in _SRCSET_TAGS and "srcset" in values:
            for url in parse_srcset(values["srcset"]):
                add(url)
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_URL.search(values.get("content", ""))
            if match:
                add(match.group(1))
        if "style" in values:
            for ref in scan_css(values["style"]):
                add(ref.url)
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            line = self.getpos()[0]
            for ref in scan_css(data):
                self.result.references.append(Reference(ref.url, line + ref.line - 1, 0))


def parse_srcset(srcset: str) -> list[str]:
    """The URLs of a `srcset` (candidates `url [descriptor]` separated by commas)."""
    urls: list[str] = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0  # skip the descriptor, up to a comma outside parentheses
            while position < length and (srcset[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(srcset[position], 0)
                position += 1
        if url:
            urls.append(url)
    return urls


def scan_css(text: str) -> Iterator[Reference]:
    for match in _CSS_URL.finditer(text):
        url = next((group for group in match.groups() if group), "")
        if url:
            yield Reference(url, text.count("\n", 0, match.start()) + 1, 0)


def scan_xml(text: str) -> list[Reference]:
    """Sitemap `<loc>` texts and the `href` of feed `<link>` elements."""
    refs: list[Reference] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    in_loc: list[tuple[int, list[str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "link" and attrs.get("href"):
            refs.append(Reference(attrs["href"], parser.CurrentLineNumber, 0))
        elif local == "loc":
            in_loc.append((parser.CurrentLineNumber, []))

    def data(chunk: str) -> None:
        if in_loc:
            in_loc[-1][1].append(chunk)

    def end(name: str) -> None:
        if name.rsplit(" ", 1)[-1] == "loc" and in_loc:
            line, chunks = in_loc.pop()
            if "".join(chunks).strip():
                refs.append(Reference("".join(chunks).strip(), line, 0))

    parser.StartElementHandler = start
    parser.CharacterDataHandler = data
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as exc:
        refs.append(Reference(f"<malformed XML: {exc}>", exc.lineno, 0))
    return refs


def scan_robots(text: str) -> list[Reference]:
    refs: list[Reference] = []
    for number, line in enumerate(text.splitlines(), 1):
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            refs.append(Reference(value.strip(), number, 0))
    return refs


def scan_json(text: str) -> list[Reference]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
        return []
    refs: list[Reference] = []

    stack: list[Any] = [data]  # a loop, not recursion: a JSON file may nest deeply
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key in _JSON_URL_KEYS and isinstance(item, str) and item:
                    refs.append(Reference(item))
                else:
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return refs


# --- resolving references -------------------------------------------------------------


@dataclass(frozen=True)
class _External:
    url: str


class _Site:
    """The site as served under its base URL: maps a URL to a file, or says why it cannot."""

    def __init__(self, base_url: str, files: set[str], scanned: dict[str, ScannedFile]) -> None:
        try:
            parts = urlsplit(base_url)
            self.host = ((parts.hostname or "").lower(), parts.port)
        except ValueError:
            problem = error("", 0, f"malformed URL: {base_url}", field="base_url")
            raise BriefgenError([problem]) from None
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.files = files
        self.dirs = {posixpath.dirname(name) for name in files}
        self.scanned = scanned

    def page_url(self, name: str) -> str:
        path = name[: -len("index.html")] if posixpath.basename(name) == "index.html" else name
        return self.origin + self.base_path + path

    def resolve(self, name: str, page: ScannedFile, url: str) -> str | _External | None:
        """None when `url` (found in file `name`) works, else why not, or the external URL."""
        if url.startswith("<malformed XML"):
            return url.strip("<>").split(": ", 1)[-1]
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            return "malformed URL"
        if scheme in _SKIPPED_SCHEMES or (scheme and scheme not in ("http", "https")):
            return None
        base = self.page_url(name)
        if page.base_href:
            try:
                base = urljoin(base, page.base_href)
            except ValueError:
                return f"the page's <base href> is a malformed URL: {page.base_href}"
        elif name == "404.html" and not scheme and not url.startswith(("/", "#", "?")):
            return (
                "relative link in the 404 page, which is served at any missing URL: "
                f"use a link from the base path ({self.base_path}…)"
            )
        try:
            absolute = urljoin(base, url)
            parts = urlsplit(absolute)
            host = ((parts.hostname or "").lower(), parts.port)
        except ValueError:
            return "malformed URL"
        if host != self.host:
            return _External(urldefrag(absolute)[0])
        path = parts.path
        if path + "/" == self.base_path:
            path = self.base_path
        if not path.startswith(self.base_path):
            return f"outside the base path {self.base_path} where the site is served"
        relative = unquote(path[len(self.base_path) :])
        if any(segment in ("..", ".") for segment in relative.split("/")):
            return f"outside the base path {self.base_path} where the site is served"
        target = self.target(relative)
        if target is None:
            is_page = relative == "" or relative.endswith(("/", ".html", ".htm"))
            is_page = is_page or relative in self.dirs or "." not in posixpath.basename(relative)
            return "no such page" if is_page else "no such file"
        fragment = parts.fragment
        if fragment and fragment != "top" and target.endswith((".html", ".htm")):
            anchors = self.scanned[target].anchors
            if fragment not in anchors and unquote(fragment) not in anchors:
                if target == name:
                    return f"no anchor #{unquote(fragment)} on this page"
                shown = self.page_url(target)[len(self.origin) :]
                return f"no anchor #{unquote(fragment)} in {shown}"
        return None

    def target(self, relative: str) -> str | None:
        """The file served for `relative` (a path under the base path), if any."""
        if relative == "" or relative.endswith("/"):
            index = relative + "index.html"
            return index if index in self.files else None
        if relative in self.files:
            return relative
        index = relative + "/index.html"  # hosts redirect a folder to its `/` URL
        return index if index in self.files else None
