"""The files copied as they are into the output: briefgen's own, theme assets, `static/`.

Only files inside the project (or inside the installed theme, for its own
assets) are copied: `sources.project_files` names every link it does not
follow. A file is known by the hash of its bytes, read again only when its
stamp moved.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache import Cache, Source
from briefgen.config import Config
from briefgen.deps import digest_bytes
from briefgen.diagnostics import Diagnostic, error, quote
from briefgen.marker import MARKER, marker_text
from briefgen.render import template_origin, theme_dir
from briefgen.sources import project_files, stamp


@dataclass(frozen=True)
class PlainFile:
    """A file copied as it is into the output: theme assets, `static/`, `.nojekyll`, `CNAME`."""

    source: Path | bytes
    origin: str  # what messages call it: `static/x.css`, `style.css (default theme)`
    digest: bytes = b""

    def read(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.read_bytes()


def _own(data: bytes, origin: str) -> PlainFile:
    return PlainFile(data, origin, digest_bytes(data))


def plain_files(
    config: Config, cache: Cache | None = None
) -> tuple[dict[str, PlainFile], list[Diagnostic]]:
    """Every file of the output that is not rendered, and the problems: links skipped,
    files that cannot be read, a static file on the path of a theme asset.

    `static/` is copied as it is, except `.gitkeep` files; a `.nojekyll` of its
    own replaces briefgen's. `clashes` finds the plain files on the paths of pages.
    """
    cache = cache if cache is not None else Cache()
    files: dict[str, PlainFile] = {MARKER: _own(marker_text(config.base_url), "briefgen")}
    files[".nojekyll"] = _own(b"", "briefgen")
    if config.cname:
        files["CNAME"] = _own((config.cname + "\n").encode(), "briefgen.yaml: cname")
    found, problems = assets(config)
    for relative, (path, origin) in sorted(found.items()):
        files[f"assets/{relative}"] = PlainFile(path, origin)
    static, skipped = project_files(config.static_path, config.root)
    problems += skipped
    for relative, path in static:
        if path.name == ".gitkeep":
            continue
        origin = config.shown(path)
        first = files.get(relative)
        if first is not None and relative != ".nojekyll":
            problems.append(_twice(relative, first.origin, origin))
        files[relative] = PlainFile(path, origin)
    known: dict[str, Source] = {}
    for relative, item in list(files.items()):
        if isinstance(item.source, Path):
            digest = _digest(item, cache, known, problems)
            files[relative] = PlainFile(item.source, item.origin, digest)
    if known.keys() != cache.plain.keys() or any(
        known[key] is not cache.plain[key] for key in known
    ):
        cache.dirty = True
    cache.plain = known
    return files, problems


def _digest(
    item: PlainFile, cache: Cache, known: dict[str, Source], problems: list[Diagnostic]
) -> bytes:
    assert isinstance(item.source, Path)
    key = str(item.source)
    now, seen = time.time_ns(), stamp(item.source)
    old = cache.plain.get(key)
    if old is not None and old.trusted(seen):
        known[key] = old
        return old.digest
    try:
        digest = digest_bytes(item.source.read_bytes())
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problems.append(error(item.origin, 0, f"cannot read the file: {reason}", code="read"))
        return b""
    known[key] = Source(seen, now, digest)
    return digest


def clashes(files: Mapping[str, PlainFile], page_outputs: Mapping[str, str]) -> list[Diagnostic]:
    """A plain file on the path of a rendered page, or paths that differ only by case:
    an error naming both."""
    problems = [
        _twice(relative, f"template {page_outputs[relative]}", files[relative].origin)
        for relative in sorted(files.keys() & page_outputs.keys())
    ]
    return problems + _case_clashes(files, page_outputs)


def _case_clashes(
    files: Mapping[str, PlainFile], page_outputs: Mapping[str, str]
) -> list[Diagnostic]:
    """Output paths that differ only by case (`Logo.png` and `logo.png`, `Docs/` and
    `docs/`) are one file or folder on Windows and macOS: an error naming both.

    Rendered pages cannot clash among themselves (slugs are lower case), so
    this finds static files and theme assets that clash with each other or with
    a page.
    """
    # pages first, so that a clash with a page is told of the other file
    origins = {relative: f"template {page_outputs[relative]}" for relative in sorted(page_outputs)}
    origins.update({relative: files[relative].origin for relative in sorted(files)})
    seen: dict[str, str] = {}  # folded path or folder -> the first spelling met
    problems: list[Diagnostic] = []
    for relative in origins:
        parts = relative.split("/")
        for end in range(1, len(parts) + 1):
            spelling = "/".join(parts[:end])
            first = seen.setdefault(spelling.casefold(), spelling)
            if first != spelling:
                problems.append(
                    error(
                        origins[relative],
                        0,
                        f"the output paths {quote(first)} and {quote(spelling)} differ only by "
                        "case (expected names that stay distinct on Windows and macOS)",
                        code="case-clash",
                    )
                )
                break
    return problems


def _twice(relative: str, first: str, second: str) -> Diagnostic:
    return error(
        second,
        0,
        f"the output file {relative} is written twice: by {first} and by {second}",
        code="duplicate-output",
    )


def assets(config: Config) -> tuple[dict[str, tuple[Path, str]], list[Diagnostic]]:
    """The theme's assets merged file by file with the project's `templates/assets/`."""
    found: dict[str, tuple[Path, str]] = {}
    problems: list[Diagnostic] = []
    theme = theme_dir() / "assets"
    for folder, inside in ((theme, theme), (config.templates_path / "assets", config.root)):
        files, skipped = project_files(folder, config.root, inside)
        problems += skipped
        for relative, path in files:
            found[relative] = (path, template_origin(path, config))
    return found, problems
