"""The seed entries of the repository as the coverage analyses read them."""

from __future__ import annotations

from pathlib import Path

from briefgen.config import load_config
from briefgen.coverage import Doc, doc_of, paragraphs_from_markdown
from briefgen.frontmatter import split
from briefgen.loader import load_entries
from briefgen.model import Entry

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "coverage"


def seed_entries() -> tuple[list[Entry], dict[str, tuple[str, ...]]]:
    """The five seed entries, oldest first, and the paragraphs of each body by slug."""
    entries, diagnostics = load_entries(load_config(ROOT))
    assert not [d for d in diagnostics if d.is_error]
    paragraphs = {}
    for entry in entries:
        document, _ = split((ROOT / entry.path).read_text(encoding="utf-8"), entry.path)
        assert document is not None
        paragraphs[entry.slug] = paragraphs_from_markdown(document.body)
    return sorted(entries, key=lambda e: e.sort_key), paragraphs


def seed_docs() -> list[Doc]:
    """The five seeds, oldest first."""
    entries, paragraphs = seed_entries()
    return [doc_of(entry, paragraphs[entry.slug]) for entry in entries]


def fixture_paragraphs(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]
