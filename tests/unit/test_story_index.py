"""The model's stories: titles from real headlines, copies apart, editors' notes, list order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from briefgen.config import Config
from briefgen.frontmatter import split
from briefgen.loader import load_entry
from briefgen.model import Entry
from briefgen.stories import Grouping, Item, Settings, group
from briefgen.story_index import StoryNote, build_stories
from briefgen.story_text import WordFrequencies, features

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "content").rglob("*.md"))
OTHERS = sorted((ROOT / "tests" / "fixtures" / "stories").glob("2023-*.md"))
QUAKE = [p for p in OTHERS if "seisme" in p.name]
WEIGHTS = WordFrequencies("fr")


def entry_of(path: Path) -> Entry:
    entry, problems = load_entry(path, Config(root=ROOT))
    assert entry is not None, problems
    return entry


def grouped(entries: list[Entry]) -> Grouping:
    items = []
    for entry in entries:
        document, _ = split((ROOT / entry.path).read_text(encoding="utf-8"), entry.path)
        assert document is not None
        found = features(entry.title, document.body, entry.lang, WEIGHTS)
        items.append(Item(entry.slug, entry.timestamp, found, stamp=entry.slug, pin=entry.story))
    return group(items, Settings())


def test_the_seed_story_is_named_by_one_of_its_headlines() -> None:
    entries = [entry_of(p) for p in SEEDS + OTHERS]
    stories = build_stories(entries, grouped(entries))
    seed = next(s for s in stories if s.count == 5)
    assert seed.title in {e.title for e in entries[:5]}
    assert seed.first.slug == "le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le"
    assert seed.outlets == ("Al Jazeera", "Netafrique.net")  # the other seeds name no outlet
    assert all(story.has_page for story in stories)
    # latest first (14, 13, 10 and 10 September), then the most covered, then by slug
    assert [story.first.slug for story in stories] == [
        "le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le",
        "libye-derna-2000-morts",
        "g20-union-africaine",
        "seisme-maroc-296-morts",
    ]


def test_a_note_renames_a_story_and_never_moves_an_entry() -> None:
    entries = [entry_of(p) for p in SEEDS + OTHERS]
    grouping = grouped(entries)
    plain = build_stories(entries, grouping)
    slug = next(s for s in plain if s.count == 5).slug
    note = StoryNote(slug, f"content/stories/{slug}.md", "Sommet de Vostochny", "Le *contexte*.")
    noted = build_stories(entries, grouping, {slug: note})
    story = next(s for s in noted if s.slug == slug)
    assert (story.title, story.note, story.note_path) == (note.title, note.body, note.path)
    assert [s.entries for s in noted] == [s.entries for s in plain]


def test_a_story_of_one_article_has_no_page() -> None:
    entries = [entry_of(OTHERS[0])]
    (story,) = build_stories(entries, grouped(entries))
    assert not story.has_page
    assert story.title == entries[0].title


def test_a_copy_is_kept_apart_from_the_coverage() -> None:
    original, other = entry_of(QUAKE[0]), entry_of(QUAKE[1])
    copy = replace(original, slug="copie", source_name="Agence")
    copy = replace(copy, date=original.date.replace(hour=original.date.hour + 2))
    entries = [original, copy, other]
    (story,) = build_stories(entries, grouped(entries))
    assert [e.slug for e in story.entries] == [original.slug, other.slug]
    assert story.copies_of(original) == (copy,)
    assert "Agence" in story.outlets
