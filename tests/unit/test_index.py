from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from briefgen.fields import local_day
from briefgen.index import build_site
from briefgen.model import Entry

PARIS = ZoneInfo("Europe/Paris")


def make_entry(slug: str, when: datetime, **fields: object) -> Entry:
    values: dict[str, object] = {
        "path": f"content/{slug}.md",
        "slug": slug,
        "title": slug.title(),
        "date": when,
        "has_time": True,
        "day": local_day(when, PARIS),
        "source_name": "",
        "source_url": "",
        "authors": (),
        "lang": "fr",
        "topics": (),
        "tags": (),
        "summary": "",
        "story": "",
        "draft": False,
        "body": "",
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


def test_days_are_taken_in_the_site_time_zone_once() -> None:
    # 23:30 at -08:00 is 08:30 the next day in Paris: one day, never two.
    late = make_entry("late", datetime(2023, 9, 13, 23, 30, tzinfo=timezone(timedelta(hours=-8))))
    site = build_site([late], uncategorised="Non classé")
    assert [d.day for d in site.days] == [date(2023, 9, 14)]
    assert [m.month for y in site.years for m in y.months] == [9]


def test_entries_are_newest_first_with_a_stable_tie_break() -> None:
    when = datetime(2023, 9, 14, 12, tzinfo=UTC)
    entries = [
        make_entry("b", when),
        make_entry("a", when),
        make_entry("c", when - timedelta(hours=1)),
    ]
    site = build_site(entries, uncategorised="Non classé")
    assert [e.slug for e in site.entries] == ["a", "b", "c"]
    assert [e.slug for e in site.days[0].entries] == ["a", "b", "c"]


def test_topics_group_by_slug_and_default_to_uncategorised() -> None:
    when = datetime(2023, 9, 14, 12, tzinfo=UTC)
    entries = [
        make_entry("a", when, topics=("Défense",)),
        make_entry("b", when - timedelta(hours=1), topics=("defense", "Diplomatie")),
        make_entry("c", when, topics=()),
    ]
    site = build_site(entries, uncategorised="Non classé")
    assert [(t.name, t.slug, [e.slug for e in t.entries]) for t in site.topics] == [
        ("Défense", "defense", ["a", "b"]),
        ("Diplomatie", "diplomatie", ["b"]),
        ("Non classé", "uncategorised", ["c"]),
    ]
    # one slug whatever the language: only the display name follows it
    english = build_site(entries[2:])
    assert [(t.name, t.slug) for t in english.topics] == [("Uncategorised", "uncategorised")]


def test_sources_and_tags_and_no_stories_before_the_stories_stage() -> None:
    when = datetime(2023, 9, 14, 12, tzinfo=UTC)
    entries = [
        make_entry("a", when, source_name="Euronews", tags=("Kim Jong Un",), story="sommet"),
        make_entry(
            "b", when, source_name="Al Jazeera", tags=("Kim Jong Un", "Russie"), story="sommet"
        ),
        make_entry("c", when),
    ]
    site = build_site(entries, uncategorised="Non classé", unknown_source="Média inconnu")
    # the entries of unknown outlets make one group, last
    assert [(s.name, s.slug, s.count) for s in site.sources] == [
        ("Al Jazeera", "al-jazeera", 1),
        ("Euronews", "euronews", 1),
        ("Média inconnu", "unknown", 1),
    ]
    assert [(t.slug, t.count) for t in site.tags] == [("kim-jong-un", 2), ("russie", 1)]
    assert (site.stories, site.story_of) == ((), {})  # `story:` pins are read by the stage


def test_years_and_months_are_newest_first() -> None:
    entries = [make_entry(f"e{m}", datetime(2023, m, 1, 12, tzinfo=UTC)) for m in (1, 3, 12)]
    entries.append(make_entry("old", datetime(2022, 6, 1, 12, tzinfo=UTC)))
    site = build_site(entries, uncategorised="Non classé")
    assert [(y.year, [m.month for m in y.months]) for y in site.years] == [
        (2023, [12, 3, 1]),
        (2022, [6]),
    ]
    assert site.years[0].count == 3


def test_names_that_read_alike_but_differ_are_separate_groups() -> None:
    when = datetime(2023, 9, 14, 12, tzinfo=UTC)
    entries = [
        make_entry("a", when, topics=("C++",), tags=("🔥",)),
        make_entry("b", when - timedelta(hours=1), topics=("C#", "c++"), tags=("🚀",)),
        make_entry("c", when - timedelta(hours=2), topics=("C",)),
    ]
    site = build_site(entries, uncategorised="Non classé")
    assert [(g.name, g.slug, [e.slug for e in g.entries]) for g in site.topics] == [
        ("C", "c", ["c"]),
        ("C#", "c--951a4d", ["b"]),
        ("C++", "c--cedb1b", ["a", "b"]),
    ]
    assert [(g.name, g.slug) for g in site.tags] == [("🚀", "tag--ebbc0b"), ("🔥", "tag--ed8d83")]
