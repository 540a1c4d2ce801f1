"""The one map from model objects to output paths and URLs.

A *route* is a path relative to the site root: `articles/slug/` for a page
(written as `articles/slug/index.html`) or `feed.xml` for a file. Links are
root-relative and carry the path of `base_url` (`/repo/articles/slug/`), so
a project site on GitHub Pages works like a root domain; feeds, the sitemap
and canonical links use absolute URLs.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from briefgen.model import Day, Entry, Group, GroupSummary, Month, Story, StoryHead, Year


def article(entry: Entry) -> str:
    return f"articles/{entry.slug}/"


def story(item: Story | StoryHead) -> str:
    return f"stories/{item.slug}/"


def story_page(item: Story | StoryHead, number: int) -> str:
    """Page `number` of a story's list of articles: the story's own route for the first."""
    return story(item) if number == 1 else f"{story(item)}page/{number}/"


def story_feed(item: Story) -> str:
    return story(item) + "feed.xml"


def story_data(item: Story, number: int = 1) -> str:
    """File `number` of the JSON export of a story's entries, for analysts."""
    return story(item) + ("story.json" if number == 1 else f"story-{number}.json")


def stories_page(number: int) -> str:
    """Page `number` of the list of stories."""
    return "stories/" if number == 1 else f"stories/page/{number}/"


FOLDERS = {"topic": "topics", "tag": "tags", "source": "sources", "story": "stories"}


def group(item: Group | GroupSummary) -> str:
    return group_route(item.kind, item.slug)


def group_route(kind: str, slug: str) -> str:
    return f"{FOLDERS[kind]}/{slug}/"


def group_page(item: Group | GroupSummary, number: int) -> str:
    """Page `number` of a group's list: the group's own route for the first."""
    return group(item) if number == 1 else f"{group(item)}page/{number}/"


def group_feed(item: Group) -> str:
    return group(item) + "feed.xml"


def day(value: Day | date) -> str:
    when = value.day if isinstance(value, Day) else value
    return f"dates/{when.year:04d}/{when.month:02d}/{when.day:02d}/"


def month(value: Month) -> str:
    return f"dates/{value.year:04d}/{value.month:02d}/"


def year(value: Year) -> str:
    return f"dates/{value.year:04d}/"


def route_of(item: object) -> str:
    """The route of the page that shows `item`: what templates ask with `link_to(item)`."""
    if isinstance(item, Entry):
        return article(item)
    if isinstance(item, Group | GroupSummary):
        return group(item)
    if isinstance(item, Story | StoryHead):
        return story(item)
    if isinstance(item, Day | date):
        return day(item)
    if isinstance(item, Month):
        return month(item)
    if isinstance(item, Year):
        return year(item)
    raise TypeError(f"no page for {type(item).__name__}")


def output_file(route: str) -> str:
    """`articles/x/` -> `articles/x/index.html`; `feed.xml` -> `feed.xml`. Never leaves the root."""
    path = route + "index.html" if route == "" or route.endswith("/") else route
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError(f"route {route!r} leaves the output folder")
    return path


class Linker:
    """Turns routes into links under the site's base path."""

    def __init__(self, base_url: str, base_path: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"

    def link(self, route: str) -> str:
        """Root-relative link: `/repo/articles/x/`."""
        return self.base_path + quote(route, safe="/#?=&.-_~")

    def absolute(self, route: str) -> str:
        return self.base_url + quote(route, safe="/#?=&.-_~")
