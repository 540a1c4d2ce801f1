"""Properties of a whole built site, for entries with any names and any text.

Hypothesis writes a few entries whose titles, outlets, topics, tags and bodies are any
Unicode text (control characters included) into a project and builds it in-process: every
feed and sitemap must parse as XML, no page may hold a character XML forbids, every
output path stays inside `site/` and is portable (no name Windows reserves, no two paths
that differ only by case).
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen.build import build
from briefgen.config import load_config
from briefgen.diagnostics import BriefgenError
from briefgen.printable import UNPRINTABLE
from briefgen.slugs import is_reserved

pytestmark = pytest.mark.e2e

names = st.text(min_size=1, max_size=24)
entries = st.lists(
    st.tuples(names, names, st.lists(names, max_size=3), st.lists(names, max_size=2), st.text()),
    min_size=1,
    max_size=3,
)


def entry_text(number: int, title: str, outlet: str, topics: list[str], tags: list[str]) -> str:
    meta = {
        "title": title,
        "date": f"2023-09-{number + 10}T10:00:00+02:00",
        "source": {"name": outlet, "url": f"https://example.org/{number}"},
        "topics": topics,
        "tags": tags,
        "summary": "S",
    }
    # PyYAML writes any string it can read back, control characters as escapes
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=10**6) + "---\n"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries)
@example([("0", " ", [], [], ""), (" ", "0", [], [], "")])  # a blank outlet and a blank title
def test_any_names_and_text_build_a_valid_portable_site(
    chosen: list[tuple[str, str, list[str], list[str], str]],
) -> None:
    os.environ.setdefault("BRIEFGEN_JOBS", "1")
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "briefgen.yaml").write_text("timezone: Europe/Paris\n", encoding="utf-8")
        for number, (title, outlet, topics, tags, body) in enumerate(chosen):
            path = project / "content" / f"entry-{number}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = entry_text(number, title, outlet, topics, tags) + body
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            build(load_config(project))
        except BriefgenError as exc:  # only a title left empty once cleaned may refuse
            # (the refusal lists the warnings too, such as an outlet left empty)
            errors = [d for d in exc.diagnostics if d.is_error]
            assert errors and all("title: missing" in str(d) for d in errors), str(exc)
            return
        check_site(project / "site")


def check_site(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    folded: dict[str, Path] = {}
    for path in files:
        relative = path.relative_to(site)
        assert path.resolve().is_relative_to(site.resolve())
        assert not any(is_reserved(part) for part in relative.parts), relative
        other = folded.setdefault(relative.as_posix().casefold(), relative)
        assert other == relative, f"{other} and {relative} differ only by case"
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not UNPRINTABLE.search(text), relative
            if path.suffix == ".xml":
                ET.fromstring(text.encode("utf-8"))
