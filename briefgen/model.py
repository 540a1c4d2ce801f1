"""The site's model: frozen entries and the groups built from them.

Nothing here reads files or writes HTML. `Entry` is what one content file
says, validated; `Group` is any named list of entries (a topic, a tag, an
outlet, a story); `Day` is one calendar day in the site's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property

CalendarDay = date  # `Entry.date` shadows the name `date` inside the class


@dataclass(frozen=True)
class Entry:
    """One article of the briefing, validated.

    `date` keeps the entry's own UTC offset, for display; sorting and
    grouping use the instant (`timestamp`) and the site's time zone.
    """

    path: str  # the content file, relative to the project root, with `/`
    slug: str
    title: str
    date: datetime  # always aware
    has_time: bool  # False when the entry gave a date only
    day: CalendarDay  # the day in the site's time zone: one key for every archive
    source_name: str
    source_url: str
    authors: tuple[str, ...]
    lang: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str  # as written; "" lets the body's first paragraph stand in
    story: str
    draft: bool
    # the Markdown of the body, as written: HTML is made by `briefgen.bodies`; not in the
    # entry's `repr`, so that a template printing an entry shows no body (`deps.Signer`)
    body: str = field(repr=False)
    updated: datetime | None = None  # last modified, when the file says: aware, like `date`
    updated_has_time: bool = False

    @property
    def timestamp(self) -> float:
        return self.date.timestamp()

    @property
    def revised(self) -> Entry | None:
        """The entry as last updated, its `date` being `updated` (for the date filters and
        macros), when that shows a change: after the publication, not its day given alone."""
        if self.updated is None or self.updated <= self.date:
            return None
        if not self.updated_has_time and self.updated.date() == self.date.date():
            return None
        return replace(self, date=self.updated, has_time=self.updated_has_time)

    @property
    def last_modified(self) -> Entry:
        """The entry as last updated, or as published: what a feed's `<updated>` says."""
        return self.revised or self

    @property
    def sort_key(self) -> tuple[float, str]:
        """Oldest first; the slug breaks ties so that the order is total."""
        return (self.timestamp, self.slug)


def newest_first(entries: list[Entry] | tuple[Entry, ...]) -> tuple[Entry, ...]:
    return tuple(sorted(entries, key=lambda e: (-e.timestamp, e.slug)))


@dataclass(frozen=True)
class Group:
    """A named list of entries, newest first: a topic, a tag, an outlet or a story."""

    kind: str  # "topic", "tag", "source" or "story"
    name: str
    slug: str
    entries: tuple[Entry, ...]
    url: str = ""  # an outlet's home page, when known

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def latest(self) -> Entry:
        return self.entries[0]

    @property
    def summary(self) -> GroupSummary:
        return GroupSummary(self.kind, self.name, self.slug, len(self.entries), self.url)


@dataclass(frozen=True)
class GroupSummary:
    """What a list shows of a group: enough to link to it and count it.

    Pages are given summaries rather than groups so that an edit to one entry
    changes only the pages that show that entry.
    """

    kind: str
    name: str
    slug: str
    count: int
    url: str = ""


@dataclass(frozen=True)
class Day:
    """The entries of one calendar day in the site's time zone, newest first."""

    day: date
    entries: tuple[Entry, ...]

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    days: tuple[Day, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(day.count for day in self.days)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(month.count for month in self.months)


@dataclass(frozen=True)
class Site:
    """Everything the templates may show, complete before the first page renders."""

    entries: tuple[Entry, ...]  # newest first
    topics: tuple[Group, ...]  # by name
    tags: tuple[Group, ...]
    sources: tuple[Group, ...]
    days: tuple[Day, ...]  # newest first
    years: tuple[Year, ...]  # newest first
    stories: tuple[Story, ...] = ()  # most recent and most covered first (`story_index`)
    story_of: dict[str, Story] = field(default_factory=dict)  # entry slug -> its story


@dataclass(frozen=True)
class Copy:
    """A syndicated copy: `entry` repeats the text of `original`, published by another outlet."""

    entry: Entry
    original: Entry


@dataclass(frozen=True)
class StoryHead:
    """What a page shows of a story it links to or heads, without the story's list of
    articles: a page given only this is not rendered again when one of them changes."""

    slug: str
    title: str
    lang: str  # the language of its first article
    first_day: date
    latest_day: date
    count: int
    outlets: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Story:
    """One event across outlets: the entries that cover it, oldest first.

    `title` is the headline of the entry nearest the story's centre (never
    invented), unless the editor's page renames the story. Copies are listed
    apart: they are "also published by" their outlet, not more coverage.
    """

    slug: str
    title: str
    entries: tuple[Entry, ...]  # the coverage, oldest first, copies left out
    copies: tuple[Copy, ...] = ()  # in the copies' order
    note_path: str = ""  # the editor's page of the story, when there is one
    note: str = ""  # its body, in Markdown: it leads the story's page

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @cached_property  # stories of thousands of articles are asked on every page: sorted once
    def latest(self) -> Entry:
        return max((*self.entries, *(c.entry for c in self.copies)), key=lambda e: e.sort_key)

    @cached_property
    def head(self) -> StoryHead:
        return StoryHead(
            self.slug,
            self.title,
            self.first.lang,
            self.first.day,
            self.latest.day,
            self.count,
            self.outlets,
            self.note,
        )

    @cached_property
    def outlets(self) -> tuple[str, ...]:
        """Who published it, in the order of their first article on it, copies included."""
        every = sorted((*self.entries, *(c.entry for c in self.copies)), key=lambda e: e.sort_key)
        return tuple(dict.fromkeys(e.source_name for e in every if e.source_name))

    @property
    def has_page(self) -> bool:
        """A story of one article is that article: it gets no page and stays out of lists."""
        return len(self.entries) > 1

    def copies_of(self, entry: Entry) -> tuple[Entry, ...]:
        return self._copies_by_original.get(entry.path, ())

    @cached_property
    def _copies_by_original(self) -> dict[str, tuple[Entry, ...]]:
        found: dict[str, list[Entry]] = {}
        for copy in self.copies:
            found.setdefault(copy.original.path, []).append(copy.entry)
        return {path: tuple(entries) for path, entries in found.items()}
