"""`briefgen serve`: the live preview."""

from __future__ import annotations

import signal
import threading
import webbrowser
from pathlib import Path
from types import FrameType

import click

from briefgen.cli.console import Console, noise_options
from briefgen.config import Config, find_project, read_config
from briefgen.diagnostics import BriefgenError
from briefgen.serve import Preview, Rebuild


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 shows the preview to your network).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks any free port.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option("--drafts", is_flag=True, help="Include entries marked draft: true.")
@noise_options
@click.pass_obj
def serve_command(console: Console, host: str, port: int, open_browser: bool, drafts: bool) -> None:
    """Build, serve and watch the site; open tabs reload after each change."""
    try:
        root = find_project(Path.cwd())
        config, _problems = read_config(root)  # a broken config is reported by the first build
        preview = Preview(config or Config(root=root), host=host, port=port, drafts=drafts)
    except BriefgenError as exc:
        console.fail(exc)
    stop = threading.Event()

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the preview cleanly, even when started in the background
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        report(console, preview.start(), first=True)
        console.result(f"Serving {preview.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(preview.url)
        preview.run(lambda done: report(console, done, first=False), stop)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(sig, signal.SIG_IGN)
        preview.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.info("Stopped.")


def report(console: Console, done: Rebuild, *, first: bool) -> None:
    """One short line per build: what failed, what was built, or what changed.

    A rebuild that changes no output says nothing (unless -v), except after a
    failed build: the last line the user saw must not stay "Build failed".
    """
    outcome = done.outcome
    console.diagnostics(outcome.diagnostics)
    errors = len(outcome.errors)
    if errors:
        console.info(
            f"Build failed: {errors} error{'' if errors == 1 else 's'} (shown in the browser too)"
        )
        return
    elapsed = f"{done.seconds * 1000:.0f} ms" if done.seconds < 10 else f"{done.seconds:.1f} s"
    if first:
        drafts = f" ({done.drafts} draft{'' if done.drafts == 1 else 's'})" if done.drafts else ""
        console.info(
            f"Built {done.entries} {'entry' if done.entries == 1 else 'entries'}{drafts}: "
            f"{len(outcome.written)} files in {elapsed}"
        )
        return
    changed = len(outcome.written) + len(outcome.removed)
    if changed == 0 and not done.recovered:
        if outcome.searched:
            console.detail(f"Search index updated ({elapsed})")
            return
        console.detail(f"No output changed ({outcome.rendered} pages rendered, {elapsed})")
        return
    fixed = "fixed, " if done.recovered else ""
    console.info(f"Rebuilt: {fixed}{changed} file{'' if changed == 1 else 's'} changed ({elapsed})")
    for path in outcome.written:
        console.detail(f"  {path}")
    for path in outcome.removed:
        console.detail(f"  {path} (removed)")
