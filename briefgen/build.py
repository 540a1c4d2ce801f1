"""`build()`: configuration -> entries -> model -> pages -> output folder.

Every problem of the input is collected before anything is written; the
output is staged and swapped in whole, so a failed build leaves the previous
site untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import CONFIG_FILE, Config
from briefgen.diagnostics import BriefgenError, Diagnostic, error, has_errors, sort_diagnostics
from briefgen.index import build_site
from briefgen.loader import load_entries
from briefgen.model import Site
from briefgen.pages import plan_pages
from briefgen.render import make_environment, render_pages, template_origin, theme_dir
from briefgen.story_stage import StoryCache, stories_stage
from briefgen.write import Staging, cannot_write

Progress = Callable[[str], Callable[[int, int], None] | None]
# Every build writes this file; an output folder that has it may be replaced whole.
MARKER = ".briefgen"
MARKER_TEXT = b"Built by briefgen: this folder is replaced whole by each build.\n"


@dataclass
class BuildResult:
    output: Path
    entries: int
    pages: int
    files: int
    seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)


def load(
    config: Config, *, drafts: bool = False, strict: bool = False, progress: Progress | None = None
) -> tuple[Site, list[Diagnostic]]:
    """Read and validate everything; raise `BriefgenError` with every problem found."""
    entries, diagnostics = load_entries(
        config, drafts=drafts, progress=progress("Reading entries") if progress else None
    )
    if has_errors(diagnostics, strict=strict):
        raise BriefgenError(sort_diagnostics(diagnostics))
    site = build_site(entries, language=config.language)
    bar = progress("Grouping stories") if progress else None
    site, problems = stories_stage(site, config, StoryCache(), bar)
    diagnostics += problems
    if has_errors(diagnostics, strict=strict):
        raise BriefgenError(sort_diagnostics(diagnostics))
    return site, sort_diagnostics(diagnostics)


def build(
    config: Config,
    *,
    out: Path | None = None,
    drafts: bool = False,
    strict: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the whole site into `out` (default: the configured output folder).

    An existing output folder is replaced whole, so it must be one that
    briefgen built (it holds the `MARKER` file) or be empty, unless `replace`.
    """
    started = time.perf_counter()
    output = (out or config.output_path).resolve()
    check_output(output, config, replace=replace)
    site, warnings = load(config, drafts=drafts, strict=strict, progress=progress)
    env = make_environment(config)
    pages = plan_pages(site, config)
    plain, clashes = plain_files(config, {page.output: page.template for page in pages})
    if clashes:
        raise BriefgenError(clashes)
    try:
        with Staging(output) as staging:
            staging.add_all(
                render_pages(pages, env, config, progress("Rendering pages") if progress else None)
            )
            for relative, item in sorted(plain.items()):
                staging.add(relative, item.read(), item.origin)
            files = len(staging.origins)
            staging.commit()
    except OSError as exc:
        raise BriefgenError([cannot_write(exc, output)]) from None
    return BuildResult(
        output=output,
        entries=len(site.entries),
        pages=len(pages),
        files=files,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )


@dataclass(frozen=True)
class PlainFile:
    """A file copied as it is into the output: theme assets, `static/`, `.nojekyll`, `CNAME`."""

    source: Path | bytes
    origin: str  # what messages call it: `static/x.css`, `style.css (default theme)`

    def read(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.read_bytes()


def plain_files(
    config: Config, page_outputs: Mapping[str, str]
) -> tuple[dict[str, PlainFile], list[Diagnostic]]:
    """Every file of the output that is not rendered, and the clashes with rendered pages.

    The one list that `build` and the live preview both write from. `static/`
    is copied as it is, except `.gitkeep` files; a `.nojekyll` of its own
    replaces briefgen's. A static file on the path of a rendered page or of a
    theme asset is an error naming both.
    """
    files: dict[str, PlainFile] = {MARKER: PlainFile(MARKER_TEXT, "briefgen")}
    files[".nojekyll"] = PlainFile(b"", "briefgen")
    if config.cname:
        files["CNAME"] = PlainFile((config.cname + "\n").encode(), "briefgen.yaml: cname")
    for relative, (path, origin) in sorted(assets(config).items()):
        files[f"assets/{relative}"] = PlainFile(path, origin)
    clashes: list[Diagnostic] = []
    static = config.static_path
    for path in sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []:
        relative = path.relative_to(static).as_posix()
        if path.name == ".gitkeep":
            continue
        origin = config.shown(path)
        first = files.get(relative)
        if first is not None and relative != ".nojekyll":
            clashes.append(_twice(relative, first.origin, origin))
        files[relative] = PlainFile(path, origin)
    for relative in sorted(files.keys() & page_outputs.keys()):
        clashes.append(
            _twice(relative, f"template {page_outputs[relative]}", files[relative].origin)
        )
    return files, clashes


def _twice(relative: str, first: str, second: str) -> Diagnostic:
    return error(
        second,
        0,
        f"the output file {relative} is written twice: by {first} and by {second}",
        code="duplicate-output",
    )


def assets(config: Config) -> dict[str, tuple[Path, str]]:
    """The theme's assets merged file by file with the project's `templates/assets/`."""
    found: dict[str, tuple[Path, str]] = {}
    for folder in (theme_dir() / "assets", config.templates_path / "assets"):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                found[path.relative_to(folder).as_posix()] = (path, template_origin(path, config))
    return found


def check_output(output: Path, config: Config, *, replace: bool = False) -> None:
    """Refuse an output folder that holds the project's sources or files briefgen did not write."""
    from_option = output != config.output_path.resolve()

    def refuse(message: str) -> BriefgenError:
        if from_option:
            return BriefgenError([error("--out", 0, message)])
        return BriefgenError([error(CONFIG_FILE, 0, message, field="output_dir")])

    for protected in (config.root, config.content_path, config.templates_path, config.static_path):
        protected = protected.resolve()
        if output == protected or protected.is_relative_to(output):
            raise refuse(
                f"{output} holds the project's {protected.name or protected} "
                "(expected a separate output folder such as site/)"
            )
        if protected != config.root.resolve() and output.is_relative_to(protected):
            raise refuse(
                f"{output} is inside {config.shown(protected)}/ (expected an output "
                "folder outside content, templates and static)"
            )
    if replace or not output.is_dir() or (output / MARKER).is_file() or not any(output.iterdir()):
        return
    raise refuse(
        f"{output} holds files that briefgen did not write and a build replaces the "
        "whole folder (expected an empty folder or one built by briefgen; --clean "
        "replaces it anyway)"
    )
