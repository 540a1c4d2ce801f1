"""Grouping results -> the model's stories. Pure: no I/O, no URLs, no UI.

`briefgen.stories.group` works on keys; this module gives the model its
`Story` objects: entries instead of keys, the headline that names each story,
the editor's page (`content/stories/SLUG.md`) that may rename it and whose
body leads it. An editor's page never changes which entries belong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.model import Copy, Entry, Story
from briefgen.stories import Grouping


@dataclass(frozen=True)
class StoryNote:
    """The editor's page of a story: `content/stories/SLUG.md`."""

    slug: str
    path: str  # relative to the project, with `/`
    title: str  # "" keeps the automatic title
    body: str  # Markdown


def build_stories(
    entries: Iterable[Entry], grouping: Grouping, notes: Mapping[str, StoryNote] | None = None
) -> tuple[Story, ...]:
    """Every story of `grouping`, most recent and most covered first (see `listing_key`)."""
    by_key = {entry.slug: entry for entry in entries}
    notes = notes or {}
    stories = []
    for found in grouping.stories:
        copied = dict(found.copies)
        coverage = tuple(by_key[key] for key in found.members if key not in copied)
        copies = tuple(Copy(by_key[copy], by_key[original]) for copy, original in found.copies)
        note = notes.get(found.slug)
        title = (note.title if note else "") or by_key[found.representative].title
        story = Story(found.slug, title, coverage, copies)
        if note is not None:
            story = Story(found.slug, title, coverage, copies, note.path, note.body)
        stories.append(story)
    return tuple(sorted(stories, key=listing_key))


def listing_key(story: Story) -> tuple[int, int, str]:
    """Most recent first (the day of its latest article), then most covered, then by slug."""
    return (-story.latest.day.toordinal(), -story.count, story.slug)
