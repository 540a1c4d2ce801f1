"""Entries -> the site's groupings, with explicit sort keys. Pure: no I/O, no URLs.

Days, months and years are taken in the site's time zone, one key for all
of them, so an entry never lands in two archives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from briefgen import slugs
from briefgen.model import Day, Entry, Group, Month, Site, Year, newest_first

# The topic of entries that name none, and the outlet of entries that name
# none: one slug each whatever the site's language.
UNCATEGORISED = "uncategorised"
UNKNOWN_SOURCE = "unknown"


def build_site(
    entries: Iterable[Entry],
    *,
    uncategorised: str = "Uncategorised",
    unknown_source: str = "Unknown outlet",
) -> Site:
    """The model; `uncategorised` is the display name of the topic of entries that name
    none, `unknown_source` that of the outlet of entries that name none."""
    ordered = newest_first(tuple(entries))
    special = fixed_slugs(uncategorised, unknown_source)
    topics = _groups(
        "topic", ((t, e) for e in ordered for t in (e.topics or (uncategorised,))), special
    )
    tags = _groups("tag", ((t, e) for e in ordered for t in e.tags))
    # entries whose outlet is unknown make one group, last, so that each is reachable
    sources = _groups("source", ((e.source_name, e) for e in ordered if e.source_name))
    sources += _groups(
        "source", ((unknown_source, e) for e in ordered if not e.source_name), special
    )
    days = _days(ordered)
    return Site(
        entries=ordered,
        topics=topics,
        tags=tags,
        sources=sources,
        days=days,
        years=_years(days),
    )


Special = Mapping[tuple[str, str], str]


def fixed_slugs(uncategorised: str, unknown_source: str) -> Special:
    """(kind, display name) -> slug of the groups whose name comes from the UI."""
    return {("topic", uncategorised): UNCATEGORISED, ("source", unknown_source): UNKNOWN_SOURCE}


def group_slug(kind: str, name: str, special: Special | None = None) -> str:
    """The slug of the topic, tag or outlet called `name` (the kind when nothing is left).

    The groups named in `special` (the uncategorised topic, the unknown outlet)
    have a slug that does not change with the site's language.
    """
    fixed = special.get((kind, name)) if special else None
    return fixed or slugs.group_slug(name, kind)


def _groups(
    kind: str,
    pairs: Iterable[tuple[str, Entry]],
    special: Special | None = None,
    *,
    slugged: bool = True,
) -> tuple[Group, ...]:
    """Group by slug (so "Défense" and "defense" are one group, but "C++" and "C#" two);
    the first name seen wins.

    Groups sort by slug, which is the ASCII folding of the name: "Élections" files under E.

    `pairs` come newest first, so each group's entries are newest first too.
    """
    names: dict[str, str] = {}
    members: dict[str, list[Entry]] = defaultdict(list)
    for name, entry in pairs:
        slug = group_slug(kind, name, special) if slugged else name
        names.setdefault(slug, name)
        bucket = members[slug]
        if not bucket or bucket[-1] is not entry:
            bucket.append(entry)
    groups = (Group(kind, names[slug], slug, tuple(members[slug])) for slug in members)
    return tuple(sorted(groups, key=lambda g: (g.slug, g.name)))


def _days(ordered: tuple[Entry, ...]) -> tuple[Day, ...]:
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in ordered:
        by_day[entry.day].append(entry)
    return tuple(Day(day, newest_first(by_day[day])) for day in sorted(by_day, reverse=True))


def _years(days: tuple[Day, ...]) -> tuple[Year, ...]:
    months: dict[tuple[int, int], list[Day]] = defaultdict(list)
    for day in days:
        months[(day.day.year, day.day.month)].append(day)
    years: dict[int, list[Month]] = defaultdict(list)
    for (year, month), month_days in sorted(months.items(), reverse=True):
        years[year].append(Month(year, month, tuple(month_days)))
    return tuple(Year(year, tuple(years[year])) for year in sorted(years, reverse=True))
