"""`briefgen serve`: the live preview."""

from __future__ import annotations

import signal
import threading
import webbrowser
from pathlib import Path
from types import FrameType

import click

from briefgen.cli.console import Console, noise_options
from briefgen.config import Config, read_config
from briefgen.diagnostics import BriefgenError
from briefgen.incremental import Outcome
from briefgen.serve import Preview


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
    root = Path.cwd().resolve()
    config, _problems = read_config(root)  # a broken config is reported by the first build
    try:
        preview = Preview(config or Config(root=root), host=host, port=port, drafts=drafts)
    except BriefgenError as exc:
        console.fail(exc)
    stop = threading.Event()

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the preview cleanly, even when started in the background
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        outcome, seconds = preview.start()
        _report(console, outcome, seconds, first=True)
        console.result(f"Serving {preview.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(preview.url)
        preview.run(lambda done, took: _report(console, done, took, first=False), stop)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(sig, signal.SIG_IGN)
        preview.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.info("Stopped.")


def _report(console: Console, outcome: Outcome, seconds: float, *, first: bool) -> None:
    console.diagnostics(outcome.diagnostics)
    errors = len(outcome.errors)
    if errors:
        console.info(
            f"Build failed with {errors} error{'' if errors == 1 else 's'}: the "
            "browser shows them; the preview comes back when the files are fixed."
        )
        return
    elapsed = f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
    if first:
        entries = sum(1 for loaded in outcome.state.files.values() if loaded.entry is not None)
        console.info(
            f"Built {entries} {'entry' if entries == 1 else 'entries'}: "
            f"{len(outcome.written)} files in {elapsed}"
        )
    elif outcome.kind == "none":
        console.detail(f"No output changed ({outcome.rendered} pages rendered, {elapsed})")
    else:
        console.info(
            f"Rebuilt in {elapsed}: {outcome.rendered} pages rendered, "
            f"{len(outcome.written)} files written, {len(outcome.removed)} removed"
        )
        for path in outcome.written + outcome.removed:
            console.detail(f"  {path}")
