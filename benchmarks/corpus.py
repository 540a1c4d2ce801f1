"""The benchmark corpora: generated once by the shared deterministic generator, then reused.

A corpus is a complete briefing project (`briefgen.yaml` and `content/`), so
that briefgen never looks further up for a project while measuring it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"
CONFIG = "title: Benchmark\nlanguage: fr\ntimezone: Europe/Paris\n"


def ensure_corpus(
    size: int, out: Path = HERE / "out", generator: Path = GENERATOR, format: str = "briefgen"
) -> Path:
    """`out/corpus-SIZE` (`out/hugo-SIZE` for Hugo's format), generated if it is not there yet."""
    folder = out / (f"corpus-{size}" if format == "briefgen" else f"{format}-{size}")
    if not (folder / "corpus.json").is_file():
        print(f"generating {size} entries into {folder} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [
                sys.executable,
                str(generator),
                "--n",
                str(size),
                "--out",
                str(folder),
                "--force",
                "--format",
                format,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if format != "briefgen":
        return folder
    config = folder / "briefgen.yaml"
    if not config.is_file():
        config.write_text(CONFIG, encoding="utf-8")
    return folder
