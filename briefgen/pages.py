"""The plan of the site: every page, its template, what it is given and what it shows.

Planning is pure: the model in, a list of `Page` out; what each page depends
on is read from what it is given (`deps.Signer`). Long lists (a topic, a tag,
an outlet) are split into pages of `paginate` entries: `topics/defense/`,
`topics/defense/page/2/`…
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import Any

from briefgen import urls
from briefgen.config import Config
from briefgen.coverage_stage import Coverage
from briefgen.model import Day, Entry, Group, Month, Site, Story, newest_first

# URLs in one sitemap file: the sitemap protocol's limit
SITEMAP_LIMIT = 50_000
STORY_DATA_LIMIT = 1_000  # entries in one file of a story's JSON export
# an article page names at most this many of its story's other articles (the nearest in
# time) and of its day's: a story or a day of thousands has its own page, linked from there
RELATED_LIMIT = 8
SAME_DAY_LIMIT = 10


@dataclass(frozen=True)
class Page:
    """One output file: its route, its template and what the template is given."""

    route: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output(self) -> str:
        return urls.output_file(self.route)


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list stands: `number` of `total`, and its neighbours."""

    number: int
    total: int
    newer: str  # route of the page of newer entries, or ""
    older: str  # route of the page of older entries, or ""


def plan_pages(site: Site, config: Config, coverage: Coverage | None = None) -> list[Page]:
    """Every page of the site, in a stable order."""
    shown_days = site.days[: config.home_days]
    stories = _home_stories(site, shown_days)
    home = {
        "days": shown_days,
        "site": site,
        "stories": stories,
        "site_attention": coverage.site if coverage is not None else None,
        "coverage_keys": _coverage_keys(stories, coverage),
    }
    pages = [
        Page("", "index.html", home),
        Page("404.html", "404.html", {"site": site}),
        _feed("feed.xml", site.entries, config.title, "", config),
        *_sitemaps(site),
        Page("robots.txt", "robots.txt", {}),
        Page("dates/", "timeline.html", {"site": site}),
        Page("search/", "search.html", {"site": site}),
    ]
    pages.extend(_article_pages(site))
    pages.extend(_story_pages(site, config, coverage))
    for kind, folder, groups in (
        ("topic", "topics/", site.topics),
        ("tag", "tags/", site.tags),
        ("source", "sources/", site.sources),
    ):
        summaries = tuple(item.summary for item in groups)
        pages.append(Page(folder, "groups.html", {"kind": kind, "groups": summaries}))
        for item in groups:
            pages.extend(_group_pages(item, site, config))
            if kind in ("topic", "tag"):
                pages.append(
                    _feed(
                        urls.group_feed(item),
                        item.entries,
                        f"{config.title} — {item.name}",
                        urls.group(item),
                        config,
                    )
                )
    for year in site.years:
        pages.append(Page(urls.year(year), "year.html", {"year": year}))
        for month in year.months:
            pages.extend(_month_pages(month, config))
    for index, day in enumerate(site.days):
        newer = site.days[index - 1] if index > 0 else None
        older = site.days[index + 1] if index + 1 < len(site.days) else None
        context = {"day": day, "newer": newer, "older": older}
        pages.append(Page(urls.day(day), "day.html", context))
    return pages


def _article_pages(site: Site) -> list[Page]:
    """Each article, with its context: the nearest articles of its story and of its day,
    its copies, its topics, and the articles just before and after it in time.

    The lists are bounded (`RELATED_LIMIT`, `SAME_DAY_LIMIT`): a page's size and
    what it depends on do not grow with its story or its day.
    """
    days = {day.day: day for day in site.days}
    topics = {group.name: group.summary for group in site.topics}
    places = _positions([*site.stories, *site.days])
    pages = []
    for index, entry in enumerate(site.entries):
        story = site.story_of.get(entry.slug)
        day = days[entry.day]
        related = _nearby(story.entries, places, entry, RELATED_LIMIT) if story else ()
        copies = story.copies_of(entry) if story else ()
        newer = site.entries[index - 1] if index > 0 else None
        older = site.entries[index + 1] if index + 1 < len(site.entries) else None
        same_day = _nearby(day.entries, places, entry, SAME_DAY_LIMIT)
        context = {
            "entry": entry,
            "story": story.head if story and story.has_page else None,
            "related": related,
            "related_total": _others(story, places, entry),
            "copies": copies,
            "same_day": same_day,
            "topics": tuple(topics[name] for name in entry.topics if name in topics),
            "newer": newer,
            "older": older,
        }
        pages.append(Page(urls.article(entry), "article.html", context))
    return pages


Places = dict[int, dict[str, int]]


def _positions(holders: Iterable[Story | Day]) -> Places:
    """For each story's or day's tuple of entries (by `id`), where each entry (by path) is."""
    return {
        id(holder.entries): {entry.path: place for place, entry in enumerate(holder.entries)}
        for holder in holders
    }


def _others(story: Story | None, places: Places, entry: Entry) -> int:
    """How many articles of `entry`'s story are not `entry` (a copy is not in the list)."""
    if story is None:
        return 0
    return story.count - (1 if entry.path in places[id(story.entries)] else 0)


def _nearby(
    entries: tuple[Entry, ...], places: Places, entry: Entry, limit: int
) -> tuple[Entry, ...]:
    """At most `limit` of `entries` other than `entry`: those nearest to it, in their order."""
    place = places[id(entries)].get(entry.path)
    if place is None:  # a copy: its original's story, but not in its list
        return entries[:limit]
    start = max(0, min(place - limit // 2, len(entries) - limit - 1))
    window = entries[start : start + limit + 1]
    return tuple(e for e in window if e is not entry)[:limit]


def _feed(
    route: str,
    entries: tuple[Entry, ...],
    title: str,
    alternate: str,
    config: Config,
) -> Page:
    context = {
        "entries": entries[: config.feed_limit],
        "feed_route": route,
        "feed_title": title,
        "alternate": alternate,
    }
    return Page(route, "feed.xml", context)


def _pager(index: int, routes: list[str]) -> Pager:
    """Where page `index` (from 0) of a list split over `routes` stands."""
    return Pager(
        number=index + 1,
        total=len(routes),
        newer=routes[index - 1] if index > 0 else "",
        older=routes[index + 1] if index + 1 < len(routes) else "",
    )


def _group_pages(item: Group, site: Site, config: Config) -> list[Page]:
    """A topic, tag or outlet: its entries by day, `paginate` entries a page."""
    size = config.paginate
    chunks = [item.entries[start : start + size] for start in range(0, len(item.entries), size)]
    routes = [urls.group_page(item, number) for number in range(1, len(chunks) + 1)]
    span = (item.entries[-1].day, item.entries[0].day)
    pages = []
    for index, chunk in enumerate(chunks):
        pager = _pager(index, routes)
        context = {"group": item.summary, "entries": chunk, "pager": pager, "span": span}
        pages.append(Page(routes[index], "group.html", context))
    return pages


def _month_pages(month: Month, config: Config) -> list[Page]:
    """A month's entries by day, `paginate` entries a page: no page grows without bound."""
    entries = [entry for day in month.days for entry in day.entries]
    size = config.paginate
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)]
    route = urls.month(month)
    routes = [route if n == 1 else f"{route}page/{n}/" for n in range(1, len(chunks) + 1)]
    pages = []
    for index, chunk in enumerate(chunks):
        pager = _pager(index, routes)
        days = tuple(Day(day, tuple(items)) for day, items in by_day(chunk))
        context = {"month": month, "days": days, "pager": pager}
        pages.append(Page(routes[index], "month.html", context))
    return pages


def _sitemaps(site: Site) -> list[Page]:
    """`sitemap.xml`; above `SITEMAP_LIMIT` URLs (the protocol's limit) an index of parts."""
    every = _sitemap(site)
    if len(every) <= SITEMAP_LIMIT:
        return [Page("sitemap.xml", "sitemap.xml", {"urls": every, "parts": ()})]
    chunks = [every[start : start + SITEMAP_LIMIT] for start in range(0, len(every), SITEMAP_LIMIT)]
    parts = tuple(f"sitemap-{number}.xml" for number in range(1, len(chunks) + 1))
    pages = [Page("sitemap.xml", "sitemap.xml", {"urls": (), "parts": parts})]
    for part, chunk in zip(parts, chunks, strict=True):
        pages.append(Page(part, "sitemap.xml", {"urls": chunk, "parts": ()}))
    return pages


def by_day(entries: Iterable[Entry]) -> list[tuple[date, list[Entry]]]:
    """Entries (newest first) in days of the site's time zone: the `by_day` template filter."""
    return [(day, list(items)) for day, items in groupby(entries, attrgetter("day"))]


def _sitemap(site: Site) -> tuple[tuple[str, str], ...]:
    """(route, last modification) of every page a crawler should know, in a stable order."""
    urls_: list[tuple[str, str]] = [("", "")]
    urls_.extend(
        (urls.article(e), e.last_modified.date.isoformat(timespec="seconds")) for e in site.entries
    )
    for folder, groups in (
        ("topics/", site.topics),
        ("sources/", site.sources),
        ("tags/", site.tags),
    ):
        urls_.append((folder, ""))
        urls_.extend((urls.group(g), "") for g in groups)
    urls_.append(("stories/", ""))
    urls_.extend((urls.story(s), "") for s in site.stories if s.has_page)
    urls_.append(("dates/", ""))
    urls_.extend((urls.day(d), "") for d in site.days)
    return tuple(urls_)


def _coverage_keys(stories: tuple[Story, ...], coverage: Coverage | None) -> dict[str, str]:
    """What stands for each story's coverage in a page's signature."""
    if coverage is None:
        return {}
    return {story.slug: coverage.keys.get(story.slug, "") for story in stories}


def _elsewhere(
    story: Story, coverage: Coverage | None, stories: dict[str, Story]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each name the story shows, the other stories naming it: (title, route), at most 3."""
    if coverage is None:
        return {}
    return {
        key: tuple((stories[s].title, urls.story(stories[s])) for s in slugs[:3] if s in stories)
        for key, slugs in coverage.elsewhere(story.slug).items()
    }


def _home_stories(site: Site, days: tuple[Day, ...]) -> tuple[Story, ...]:
    """The stories the home page leads with: those with news on the days it shows."""
    if not days:
        return ()
    oldest = days[-1].day
    return tuple(s for s in site.stories if s.has_page and s.latest.day >= oldest)


def _story_pages(site: Site, config: Config, coverage: Coverage | None = None) -> list[Page]:
    """`stories/` (paginated) and, for each story of several articles, its page, feed and JSON."""
    shown = tuple(story for story in site.stories if story.has_page)
    size = config.paginate
    chunks = [shown[start : start + size] for start in range(0, len(shown), size)] or [()]
    routes = [urls.stories_page(number) for number in range(1, len(chunks) + 1)]
    pages = []
    for index, chunk in enumerate(chunks):
        pager = _pager(index, routes)
        context = {"stories": chunk, "pager": pager}
        pages.append(Page(routes[index], "stories.html", context))
    linker = urls.Linker(config.base_url, config.base_path)
    by_slug = {story.slug: story for story in shown}
    for story in shown:
        pages.extend(_story_list(story, config, coverage, by_slug))
        title = f"{config.title} — {story.title}"
        newest = newest_first(_members(story))
        pages.append(_feed(urls.story_feed(story), newest, title, urls.story(story), config))
        pages.extend(_story_data(story, linker))
    return pages


def _story_list(
    story: Story,
    config: Config,
    coverage: Coverage | None,
    by_slug: dict[str, Story],
) -> list[Page]:
    """A story's page: its coverage, then its articles, `paginate` a page (oldest first).

    Only the first page is given the whole story (its coverage is made from
    every article); the others its head and their own articles, so that an
    edited article renders again the page that lists it, not all of them.
    """
    size = config.paginate
    chunks = [story.entries[start : start + size] for start in range(0, story.count, size)]
    routes = [urls.story_page(story, number) for number in range(1, len(chunks) + 1)]
    pages = []
    for index, chunk in enumerate(chunks):
        first = index == 0
        context = {
            "story": story.head,
            "covered": story if first else None,  # the coverage: the first page's only
            "entries": chunk,
            "copies": {e.path: c for e in chunk if (c := story.copies_of(e))},
            "pager": _pager(index, routes),
            "feed_route": urls.story_feed(story),
            "json_route": urls.story_data(story),
            "coverage_key": _coverage_keys((story,), coverage).get(story.slug, "") if first else "",
            "elsewhere": _elsewhere(story, coverage, by_slug) if first else {},
        }
        pages.append(Page(routes[index], "story.html", context))
    return pages


def _members(story: Story) -> tuple[Entry, ...]:
    return (*story.entries, *(copy.entry for copy in story.copies))


def _story_data(story: Story, linker: urls.Linker) -> list[Page]:
    """The JSON export of a story: `STORY_DATA_LIMIT` entries a file, oldest first."""
    entries = sorted(_members(story), key=lambda e: e.sort_key)
    size = STORY_DATA_LIMIT
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)] or [[]]
    routes = [urls.story_data(story, number) for number in range(1, len(chunks) + 1)]
    return [
        Page(route, "story.json", {"data": story_data(story, linker, chunks, n, routes)})
        for n, route in enumerate(routes)
    ]


def story_data(
    story: Story,
    linker: urls.Linker,
    chunks: Sequence[Sequence[Entry]],
    index: int,
    routes: Sequence[str],
) -> dict[str, Any]:
    """File `index` of the JSON export of a story (whose entries, oldest first, are cut into
    `chunks`, written at `routes`): the story, then its chunk of entries with their URLs,
    and links to the previous and the next file."""
    copied = {copy.entry.slug: copy.original.slug for copy in story.copies}

    def neighbour(number: int) -> str | None:
        return linker.absolute(routes[number]) if 0 <= number < len(routes) else None

    return {
        "slug": story.slug,
        "title": story.title,
        "url": linker.absolute(urls.story(story)),
        "first": _when(story.first),
        "latest": _when(story.latest),
        "outlets": list(story.outlets),
        "count": sum(len(chunk) for chunk in chunks),
        "file": index + 1,
        "files": len(routes),
        "previous": neighbour(index - 1),
        "next": neighbour(index + 1),
        "entries": [
            {
                "id": entry.slug,
                "title": entry.title,
                "date": _when(entry),
                "updated": _when(entry.revised) if entry.revised is not None else None,
                "outlet": entry.source_name,
                "url": linker.absolute(urls.article(entry)),
                "original": entry.source_url,
                "copy_of": copied.get(entry.slug),
            }
            for entry in chunks[index]
        ],
    }


def _when(entry: Entry) -> str:
    """ISO 8601: a date-time with its offset, or the date alone when the entry gave no time."""
    return entry.date.isoformat() if entry.has_time else entry.date.date().isoformat()
