"""`briefgen check` and `briefgen deploy`, run anywhere inside a project."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli.console import Console, noise_options
from briefgen.config import Config, load_project
from briefgen.diagnostics import BriefgenError, Diagnostic, error


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _config(base_url: str | None = None) -> Config:
    """The project holding the current folder (the nearest `briefgen.yaml` upwards).

    Files are named relative to the project in messages, as entries are, from
    whichever folder of the project the command runs.
    """
    config = load_project(Path.cwd())
    return config.with_base_url(base_url) if base_url else config


def _not_built(config: Config) -> BriefgenError:
    return BriefgenError(
        [
            error(
                config.shown(config.output_path) + "/",
                0,
                "the site is not built (run `briefgen build` first)",
                code="not-built",
            )
        ]
    )


@click.command("check")
@click.option(
    "--external",
    is_flag=True,
    help="Also fetch every external link (8 at a time, redirects included).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Check the site as if served at URL (default: the base URL it was built with, "
    "recorded by `briefgen build`).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10,
    show_default=True,
    metavar="SECONDS",
    help="With --external: give up on a link after this long, all told.",
)
@noise_options
@click.pass_obj
def check_command(console: Console, external: bool, base_url: str | None, timeout: float) -> None:
    """Check the config, every entry, then every link, anchor and asset of the built site."""
    from briefgen.check import check_site
    from briefgen.loader import load_entries
    from briefgen.marker import built_base_url

    try:
        config = _config(base_url)
    except BriefgenError as exc:
        console.fail(exc)
    _entries, diagnostics = load_entries(config, drafts=True)
    site = config.output_path
    served_at = base_url or built_base_url(site) or config.base_url
    if not (site / "index.html").is_file():
        console.diagnostics(diagnostics)
        console.fail(_not_built(config))
    with console.progress("Checking external links") as progress:
        try:
            result = check_site(
                site,
                served_at,
                display=config.shown(site),
                external=external,
                timeout=timeout,
                progress=progress,
            )
        except BriefgenError as exc:
            console.diagnostics(diagnostics)
            console.fail(exc)
    problems: list[Diagnostic] = [*diagnostics, *result.diagnostics]
    console.diagnostics(problems)
    for url, places in sorted(result.external.items()):
        console.detail(f"external: {url} ({_plural(len(places), 'link')})")
    errors = sum(1 for d in problems if d.is_error)
    summary = (
        f"checked {_plural(result.pages, 'page')}, {_plural(result.links, 'link')}: "
        f"{_plural(errors, 'problem')}"
    )
    if result.external and not external:
        summary += (
            f" ({_plural(len(result.external), 'external link')} not fetched; "
            "`--external` checks them)"
        )
    console.info(summary)
    if errors:
        raise SystemExit(1)


@click.command("deploy")
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch to publish.")
@click.option("-m", "--message", help="The commit message (default: names the source commit).")
@click.option(
    "--force",
    is_flag=True,
    help="Deploy even to the branch checked out in the project, or to a remote branch "
    "whose last commit was not made by briefgen deploy: its files are replaced by the site.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a git command that talks to the remote after this long, all told.",
)
@noise_options
@click.pass_obj
def deploy_command(
    console: Console, remote: str, branch: str, message: str | None, force: bool, timeout: float
) -> None:
    """Publish the built site as one new commit on a branch of a git remote.

    For hosting without GitHub Actions (Settings > Pages > Deploy from a branch).
    The current branch, the index and the working tree are left untouched.
    Each commit is marked with a "Deployed-by: briefgen" trailer; a branch whose
    last commit lacks it holds something else and is refused without --force.
    Nothing is pushed when the site has not changed since the last deploy.
    A site built for this machine (the default base_url) is refused: build it
    with its published address first. The build's .briefgen file is not published.
    """
    from briefgen.publish import deploy

    try:
        config = _config()
        if not (config.output_path / "index.html").is_file():
            raise _not_built(config)
        result = deploy(
            config.output_path,
            config.root,
            remote=remote,
            branch=branch,
            message=message,
            display=config.shown(config.output_path),
            force=force,
            timeout=timeout,
        )
    except BriefgenError as exc:
        console.fail(exc)
    if not result.changed:
        console.info(f"{result.branch} is already up to date: nothing to deploy")
        return
    console.info(
        f"Deployed {_plural(result.files, 'file')} to {result.remote} {result.branch}: "
        f"commit {result.commit[:12]}"
        + (f" on top of {result.parent[:12]}" if result.parent else " (new branch)")
    )
