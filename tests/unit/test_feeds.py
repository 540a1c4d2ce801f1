"""The Atom feeds of the site and of each topic parse cleanly, with ids, dates and links."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from briefgen.build import build
from briefgen.config import load_config
from tests.conftest import write_tree

BASE = "https://example.github.io/briefing/"


def entry(title: str, when: str, topics: str, url: str = "", lang: str = "fr") -> str:
    source = f'source:\n  name: "Agence"\n  url: "{url}"\n' if url else ""
    return (
        f'---\ntitle: "{title}"\ndate: {when}\n{source}lang: {lang}\n'
        f'topics: [{topics}]\nsummary: "Résumé de {title}."\n---\nLe corps & la suite.\n'
    )


ENTRIES = {
    # listed out of date order on purpose; the feed must come out newest first
    "content/b.md": entry(
        "Deuxième", "2023-09-13T22:20:04+02:00", "Diplomatie", "https://a.example/2"
    ),
    "content/a.md": entry("Première", "2023-09-04", "Diplomatie, Défense"),
    "content/d.md": entry(
        "Quatrième <script>", "2023-09-14T16:50:56+02:00", "Défense", "https://a.example/4?x=1&y=2"
    ),
    "content/c.md": entry(
        "Third", "2023-09-14T08:15:00-04:00", "Diplomatie", "https://a.example/3", "en"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write_tree(
        tmp_path_factory.mktemp("feeds"),
        {
            "briefgen.yaml": f'title: "Briefing"\nbase_url: "{BASE}"\nlanguage: fr\n'
            "timezone: Europe/Paris\n",
            **ENTRIES,
        },
    )
    build(load_config(project))
    return project / "site"


def parse(site: Path, route: str) -> Any:
    path = site / route
    assert path.is_file(), route
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{route}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    return feed


def published(item: Any) -> datetime:
    return datetime(*item.published_parsed[:6], tzinfo=UTC)


def check_entries(feed: Any) -> None:
    ids = [item.id for item in feed.entries]
    assert len(set(ids)) == len(ids)
    for item in feed.entries:
        assert item.title
        assert item.id.startswith(BASE + "articles/")
        assert item.link == item.id
        assert item.published_parsed is not None and item.updated_parsed is not None
    dates = [published(item) for item in feed.entries]
    assert dates == sorted(dates, reverse=True), "entries are not newest first"


def test_site_feed_is_valid_atom_with_every_entry(site: Path) -> None:
    feed = parse(site, "feed.xml")
    assert feed.feed.id == BASE + "feed.xml"
    assert feed.feed.title == "Briefing"
    assert feed.feed.updated_parsed is not None
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": BASE + "feed.xml",
        "alternate": BASE,
    }
    check_entries(feed)
    assert [item.title for item in feed.entries] == [
        "Quatrième <script>",
        "Third",
        "Deuxième",
        "Première",
    ]
    # the feed's date is its newest entry's; instants keep their offsets
    assert feed.feed.updated_parsed == feed.entries[0].updated_parsed
    assert published(feed.entries[1]) == datetime(2023, 9, 14, 12, 15, tzinfo=UTC)


def test_entries_link_to_the_original_and_carry_their_content(site: Path) -> None:
    feed = parse(site, "feed.xml")
    newest = feed.entries[0]
    via = [link.href for link in newest.links if link.rel == "via"]
    assert via == ["https://a.example/4?x=1&y=2"]
    assert "Le corps &amp; la suite." in newest.content[0].value
    assert newest.summary == "Résumé de Quatrième <script>."
    assert [tag.term for tag in newest.tags] == ["Défense"]


def test_topic_feed_holds_only_the_topic(site: Path) -> None:
    feed = parse(site, "topics/diplomatie/feed.xml")
    assert feed.feed.id == BASE + "topics/diplomatie/feed.xml"
    alternate = [link.href for link in feed.feed.links if link.rel == "alternate"]
    assert alternate == [BASE + "topics/diplomatie/"]
    check_entries(feed)
    assert [item.title for item in feed.entries] == ["Third", "Deuxième", "Première"]
    assert parse(site, "topics/defense/feed.xml").feed.id != feed.feed.id
