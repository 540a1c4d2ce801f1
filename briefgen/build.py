"""`build()`: configuration -> entries -> model -> pages -> output folder.

Every problem of the input is collected before anything is written; the
output is staged and swapped in whole, so a failed build leaves the previous
site untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import Config
from briefgen.diagnostics import BriefgenError, Diagnostic, has_errors, sort_diagnostics
from briefgen.index import build_site
from briefgen.loader import load_entries
from briefgen.model import Site
from briefgen.pages import plan_pages
from briefgen.render import make_environment, render_pages, theme_dir
from briefgen.write import Staging

Progress = Callable[[str], Callable[[int, int], None] | None]


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
    return site, sort_diagnostics(diagnostics)


def build(
    config: Config,
    *,
    out: Path | None = None,
    drafts: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the whole site into `out` (default: the configured output folder)."""
    started = time.perf_counter()
    output = (out or config.output_path).resolve()
    _check_output(output, config)
    site, warnings = load(config, drafts=drafts, strict=strict, progress=progress)
    env = make_environment(config)
    pages = plan_pages(site, config)
    with Staging(output) as staging:
        staging.add_all(
            render_pages(pages, env, config, progress("Rendering pages") if progress else None)
        )
        staging.add(".nojekyll", b"", "briefgen")
        if config.cname:
            staging.add("CNAME", (config.cname + "\n").encode(), "briefgen.yaml: cname")
        for relative, (path, origin) in sorted(assets(config).items()):
            staging.add(f"assets/{relative}", path.read_bytes(), origin)
        if config.static_path.is_dir():
            staging.add_tree(config.static_path, "", config.root)
        files = len(staging.origins)
        staging.commit()
    return BuildResult(
        output=output,
        entries=len(site.entries),
        pages=len(pages),
        files=files,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )


def assets(config: Config) -> dict[str, tuple[Path, str]]:
    """The theme's assets merged file by file with the project's `templates/assets/`."""
    found: dict[str, tuple[Path, str]] = {}
    for folder in (theme_dir() / "assets", config.templates_path / "assets"):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                relative = path.relative_to(folder).as_posix()
                origin = _origin(path, config)
                found[relative] = (path, origin)
    return found


def _origin(path: Path, config: Config) -> str:
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return f"{path.name} (default theme)"


def _check_output(output: Path, config: Config) -> None:
    """Refuse an output folder that would swallow the project or its content."""
    root = config.root.resolve()
    for protected in (
        root,
        config.content_path.resolve(),
        config.templates_path.resolve(),
        config.static_path.resolve(),
    ):
        if output == protected or protected.is_relative_to(output):
            raise BriefgenError(
                f"--out {output}: refusing to build into a folder that holds "
                f"{protected.name or protected} (expected a separate output folder)"
            )
