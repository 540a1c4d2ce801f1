"""The `briefgen` command line: commands, options, exit codes, output.

Only this package prints. Library code reports problems as diagnostics or
raises `BriefgenError`; commands turn those into lines on stderr and exit
status 1. Usage errors exit with status 2 (click's convention). Commands are
imported lazily so that `briefgen --help` does not pay for trafilatura.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from briefgen import __version__
from briefgen.cli.console import Console

# name -> "module:attribute" of the click command; imported on first use.
COMMANDS: dict[str, str] = {
    "init": "briefgen.cli.build_cmd:init_command",
    "new": "briefgen.cli.build_cmd:new_command",
    "build": "briefgen.cli.build_cmd:build_command",
    "import": "briefgen.cli.import_cmd:import_command",
    "retag": "briefgen.cli.import_cmd:retag_command",
    "serve": "briefgen.cli.serve_cmd:serve_command",
    "check": "briefgen.cli.publish_cmd:check_command",
    "deploy": "briefgen.cli.publish_cmd:deploy_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        command = getattr(module, attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefgen")
@click.option("-q", "--quiet", "quiet", count=True, help="Print less (errors only with -q).")
@click.option("-v", "--verbose", "verbose", count=True, help="Print more detail.")
@click.pass_context
def cli(ctx: click.Context, quiet: int, verbose: int) -> None:
    """briefgen turns articles from many outlets into a browsable briefing site."""
    ctx.obj = Console(verbosity=verbose - quiet)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the `briefgen` console script and `python -m briefgen`."""
    return cli.main(args=argv, prog_name="briefgen")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
