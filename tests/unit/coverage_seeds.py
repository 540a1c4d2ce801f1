"""The seed entries of the repository as the coverage analyses read them."""

from __future__ import annotations

from pathlib import Path

from briefgen.config import load_config
from briefgen.coverage import Doc, doc_of
from briefgen.frontmatter import split
from briefgen.loader import load_entries

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "coverage"


def seed_docs() -> list[Doc]:
    """The five seeds, oldest first."""
    entries, diagnostics = load_entries(load_config(ROOT))
    assert not [d for d in diagnostics if d.is_error]
    docs = []
    for entry in sorted(entries, key=lambda e: e.sort_key):
        document, _ = split((ROOT / entry.path).read_text(encoding="utf-8"), entry.path)
        assert document is not None
        docs.append(doc_of(entry, document.body))
    return docs


def fixture_paragraphs(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]
