"""The search index in parts: how article pages are cut, and a rebuild re-indexing one part."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen import search
from briefgen.build import build
from briefgen.cache import Cache
from briefgen.config import load_config
from briefgen.diagnostics import BriefgenError, error

Project = Callable[[dict[str, str | bytes]], Path]

days_strategy = st.dictionaries(
    st.from_regex(r"articles/[a-z0-9]{1,6}/index\.html", fullmatch=True),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)),
    max_size=60,
)


@given(days=days_strategy, limit=st.integers(min_value=1, max_value=25))
def test_every_page_is_in_one_part_and_no_part_is_over_the_limit(
    days: dict[str, date], limit: int
) -> None:
    parts = search.partition(days, limit)
    placed = [path for paths in parts.values() for path in paths]
    assert sorted(placed) == sorted(days)  # each page once
    assert all(0 < len(paths) <= limit for paths in parts.values())
    if len(days) <= limit:
        assert parts == ({search.WHOLE: sorted(days)} if days else {})
    else:  # a part holds one year's pages, in order of day
        for name, paths in parts.items():
            assert {days[path].year for path in paths} == {int(name[:4])}
            assert [days[p] for p in paths] == sorted(days[p] for p in paths)


@given(days=days_strategy, limit=st.integers(min_value=1, max_value=25))
def test_an_article_of_the_newest_day_leaves_the_parts_of_earlier_months_alone(
    days: dict[str, date], limit: int
) -> None:
    if len(days) <= limit:
        return  # one part, changed by any article
    before = search.partition(days, limit)
    newest = max(days.values())
    after = search.partition({**days, "articles/zzzzzzz/index.html": newest}, limit)
    year = sum(1 for day in days.values() if day.year == newest.year)
    for name, paths in before.items():
        months = {(days[path].year, days[path].month) for path in paths}
        if (newest.year, newest.month) in months:
            continue  # its part changes
        if newest.year in {y for y, _ in months} and year <= limit:
            continue  # the year was one part, or is cut into months now
        assert after[name] == paths


def test_a_big_briefing_is_cut_by_year_then_months_then_slices() -> None:
    days = {f"articles/a{n}/index.html": date(2022, 6, 1) for n in range(3)}  # a small year
    days |= {f"articles/b{n}/index.html": date(2023, 1, 10) for n in range(2)}
    days |= {f"articles/c{n}/index.html": date(2023, 2, 10) for n in range(2)}
    days |= {f"articles/d{n}/index.html": date(2023, 3, 10) for n in range(5)}  # too big a month
    days |= {f"articles/e{n}/index.html": date(2023, 4, 10) for n in range(1)}
    parts = search.partition(days, 4)
    assert {name: len(paths) for name, paths in parts.items()} == {
        "2022": 3,
        "2023-01": 4,  # January and February packed
        "2023-03-1": 3,
        "2023-03-2": 2,
        "2023-04": 1,
    }


def entry(day: str, title: str, body: str) -> str:
    return (
        f'---\ntitle: "{title}"\ndate: {day}T10:00:00+02:00\n'
        f'source: {{name: "Le Monde", url: "https://news.example/{title}"}}\n'
        f"lang: fr\ntopics: [Diplomatie]\n---\n{body}\n"
    )


def test_an_edit_re_indexes_the_part_of_its_article_only(
    make_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_LIMIT", 2)
    files: dict[str, str | bytes] = {"briefgen.yaml": "title: Revue\nlanguage: fr\n"}
    for number, day in enumerate(
        ["2022-05-02", "2022-05-03", "2023-01-04", "2023-03-05", "2023-03-06"]
    ):
        files[f"content/a{number}.md"] = entry(day, f"Titre{number}", f"Texte{number} coopération.")
    root = make_project(files)
    out, cache = tmp_path / "site", Cache()
    build(load_config(root), out=out, cache=cache)
    parts = json.loads((out / "pagefind/parts.json").read_bytes())["parts"]
    assert parts == ["2022/", "2023-01/", "2023-03/"]
    for part, count in [("2022", 2), ("2023-01", 1), ("2023-03", 2)]:
        entry_file = json.loads((out / f"pagefind/{part}/pagefind-entry.json").read_bytes())
        assert entry_file["languages"]["fr"]["page_count"] == count
    before = {p: p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}

    body = (root / "content/a2.md").read_text(encoding="utf-8").replace("Texte2", "Nouveau2")
    (root / "content/a2.md").write_text(body, encoding="utf-8")
    result = build(load_config(root), out=out, cache=cache)
    index = {path for path in result.written if path.startswith("pagefind/")}
    assert index and all(path.startswith("pagefind/2023-01/") for path in index)
    for path, data in before.items():  # the other parts are untouched
        if "2023-01" not in path.as_posix():
            assert path.read_bytes() == data

    clean = tmp_path / "clean"  # and the parts are what a build from nothing makes
    build(load_config(root), out=clean, cache=Cache())
    assert {
        p.relative_to(clean): p.read_bytes() for p in (clean / "pagefind").rglob("*") if p.is_file()
    } == {p.relative_to(out): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


@pytest.fixture
def two_years(make_project: Project, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of one article in 2022 and one in 2023, indexed in parts of one article."""
    monkeypatch.setattr(search, "PART_LIMIT", 1)
    return make_project(
        {
            "briefgen.yaml": "title: Revue\nlanguage: fr\n",
            "content/a.md": entry("2022-05-02", "Alpha", "Une coopération."),
            "content/b.md": entry("2023-05-02", "Beta", "Une fusée."),
        }
    )


def test_the_preview_publishes_the_parts_once_all_are_indexed(
    two_years: Path, tmp_path: Path
) -> None:
    root = two_years
    ready: list[str] = []
    indexer = search.BackgroundIndexer(lambda: ready.append("ready"))
    cache, out = Cache(), tmp_path / "preview"
    first = build(load_config(root), out=out, cache=cache, indexing=indexer, replace=True)
    assert not any(path.startswith("pagefind/") for path in first.written)
    indexer.wait(120)
    assert ready == ["ready"]  # once, for both parts
    second = build(load_config(root), out=out, cache=cache, indexing=indexer, replace=True)
    assert second.kind == "none"
    assert json.loads((out / "pagefind/parts.json").read_bytes())["parts"] == ["2022/", "2023/"]
    (root / "content/b.md").write_text(entry("2023-05-02", "Beta", "Un train."), encoding="utf-8")
    third = build(load_config(root), out=out, cache=cache, indexing=indexer, replace=True)
    assert third.kind == "reload"  # served at once; the edited part's previous files stay
    assert (out / "pagefind/2023/pagefind-entry.json").is_file()
    indexer.wait(120)
    fourth = build(load_config(root), out=out, cache=cache, indexing=indexer, replace=True)
    index = {path for path in fourth.written if path.startswith("pagefind/")}
    assert index and all(path.startswith("pagefind/2023/") for path in index)
    indexer.close()


class FirstEmpty:
    """Indexes at once, but gives no files for the first part asked (its pages were gone)."""

    deferred = False

    def __init__(self) -> None:
        self.asked = 0

    def index_all(self, requests: Sequence[search.Request]) -> Iterator[search.SearchIndex]:
        for key, pages in requests:
            self.asked += 1
            if self.asked == 1:
                yield search.SearchIndex(files={}, pages=0, key=key)
            else:
                yield search.index_pages(pages(), key)

    def begin(self) -> None:
        return None


def test_a_part_indexed_without_files_is_not_listed(two_years: Path, tmp_path: Path) -> None:
    root = two_years
    out = tmp_path / "site"
    build(load_config(root), out=out, cache=Cache(), indexing=FirstEmpty())
    assert json.loads((out / "pagefind/parts.json").read_bytes())["parts"] == ["2023/"]
    assert not (out / "pagefind/2022").exists()


def test_parts_indexed_side_by_side_are_the_parts_indexed_one_by_one(
    two_years: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running: list[int] = []  # Pagefind runs under way, seen as each one starts
    index_site = search.index_site

    def watched(site: Path, **options: object) -> search.SearchIndex:
        running.append(1)
        try:
            time.sleep(0.3)  # long enough for the other part's run to start meanwhile
            seen.append(len(running))
            return index_site(site, **options)  # type: ignore[arg-type]
        finally:
            running.pop()

    seen: list[int] = []
    monkeypatch.setattr(search, "index_site", watched)
    monkeypatch.setenv("BRIEFGEN_JOBS", "2")
    build(load_config(two_years), out=tmp_path / "two", cache=Cache())
    assert sorted(seen) == [2, 2]  # both parts at once
    seen.clear()
    monkeypatch.setenv("BRIEFGEN_JOBS", "1")
    build(load_config(two_years), out=tmp_path / "one", cache=Cache())
    assert seen == [1, 1]
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def test_a_part_that_fails_stops_the_build_with_pagefinds_message(
    two_years: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(site: Path, **options: object) -> search.SearchIndex:
        raise BriefgenError([error("pagefind", 0, "Pagefind failed (1): no space", code="search")])

    monkeypatch.setattr(search, "index_site", failing)
    monkeypatch.setenv("BRIEFGEN_JOBS", "2")
    out = tmp_path / "site"
    with pytest.raises(BriefgenError) as raised:
        build(load_config(two_years), out=out, cache=Cache())
    assert str(raised.value) == "pagefind: error: Pagefind failed (1): no space"
    assert not out.exists()  # nothing half-made was published


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
