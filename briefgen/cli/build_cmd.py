"""`briefgen init`, `briefgen new` and `briefgen build`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from briefgen.cli.console import Console, ProgressReporter, noise_options, relative
from briefgen.config import load_project
from briefgen.diagnostics import BriefgenError
from briefgen.scaffold import new_entry, scaffold


@click.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: site/, or output_dir in briefgen.yaml).",
)
@click.option(
    "--base-url", help="Override base_url for this build, e.g. https://user.github.io/repo/."
)
@click.option("--drafts", is_flag=True, help="Include entries marked draft: true.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--clean",
    is_flag=True,
    help="Replace the output folder even if it holds files briefgen did not write.",
)
@noise_options
@click.pass_obj
def build_command(
    console: Console,
    out: Path | None,
    base_url: str | None,
    drafts: bool,
    strict: bool,
    clean: bool,
) -> None:
    """Render the site into site/."""
    from briefgen.build import build

    try:
        config = load_project(Path.cwd())
        if base_url:
            config = config.with_base_url(base_url)
        result = build(
            config,
            out=out,
            drafts=drafts,
            strict=strict,
            replace=clean,
            progress=_progress(console),
        )
    except BriefgenError as exc:
        console.fail(exc, _failure_summary(exc, strict))
    console.diagnostics(result.warnings)
    warnings = len(result.warnings)
    console.info(
        f"Built {result.entries} {'entry' if result.entries == 1 else 'entries'} into "
        f"{relative(result.output)}/: {result.files} files ({result.pages} pages), "
        f"{warnings} warning{'' if warnings == 1 else 's'}, {result.seconds:.2f} s"
    )


def _failure_summary(error: BriefgenError, strict: bool) -> str:
    errors = sum(d.is_error for d in error.diagnostics)
    warnings = len(error.diagnostics) - errors
    parts = [f"{errors} error{'' if errors == 1 else 's'}"] if errors else []
    if warnings:
        parts.append(
            f"{warnings} warning{'' if warnings == 1 else 's'}" + (" (--strict)" if strict else "")
        )
    return f"Build failed: {', '.join(parts)}; nothing was written" if parts else ""


def _progress(console: Console) -> Callable[[str], Callable[[int, int], None] | None]:
    def start(label: str) -> Callable[[int, int], None] | None:
        return ProgressReporter(console, label)

    return start


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Briefing", show_default=True, help="The site's title.")
@click.option("--language", default="en", show_default=True, help="The site's language (fr, en…).")
@noise_options
@click.pass_obj
def init_command(console: Console, directory: Path, title: str, language: str) -> None:
    """Create a new briefing project in DIRECTORY."""
    try:
        written = scaffold(directory, title=title, language=language)
    except BriefgenError as exc:
        console.fail(exc)
    for path in written:
        console.detail(f"created {relative(path)}")
    console.info(
        f"Created a briefing project in {relative(directory)}/. Next: cd "
        f"{relative(directory)} && briefgen import ARTICLE… && briefgen serve"
    )


@click.command("new")
@click.argument("title")
@noise_options
@click.pass_obj
def new_command(console: Console, title: str) -> None:
    """Create an empty entry titled TITLE, dated now, ready to edit."""
    try:
        config = load_project(Path.cwd())
        path = new_entry(config, title)
    except BriefgenError as exc:
        console.fail(exc)
    console.info(f"Created {relative(path)} (draft: true until you publish it)")
    console.result(relative(path))
