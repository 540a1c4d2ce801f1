"""The coverage stage: each entry analysed once, each story summarised once, until they change."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import build
from briefgen.cache import Cache
from briefgen.config import load_config
from briefgen.coverage import analyse, doc_of, summarise
from briefgen.coverage_stage import CoverageCache, coverage_stage
from briefgen.model import Entry
from tests.conftest import copy_seed_project
from tests.unit.coverage_seeds import seed_entries


class Counting:
    """A mapper that counts the analyses it runs."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, job: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        self.runs += len(items)
        return map(job, items)


def _stage(
    entries: list[Entry],
    stories: dict[str, list[Entry]],
    paragraphs: Callable[[Entry], tuple[str, ...]],
    cache: CoverageCache,
    mapper: Counting,
) -> Any:
    def body_key(entry: Entry) -> bytes:
        return "\0".join(paragraphs(entry)).encode()

    return coverage_stage(
        stories, entries, body_key, paragraphs, cache, unnamed="?", others="Others", mapper=mapper
    )


def test_the_seed_story_is_analysed_once_and_then_read_from_the_cache() -> None:
    entries, texts = seed_entries()
    stories = {"sommet": entries[:4], "seul": entries[4:]}
    cache, mapper = CoverageCache(), Counting()
    cold = _stage(entries, stories, lambda e: texts[e.slug], cache, mapper)
    assert mapper.runs == 5
    expected = summarise(
        [analyse(doc_of(e, texts[e.slug])) for e in entries[:4]], unnamed="?", others="Others"
    )
    assert cold.story("sommet") == expected
    assert cold.site.total == 5
    assert cold.named_in["vladimir poutine"] == ("seul", "sommet")
    assert cold.elsewhere("sommet")["vladimir poutine"] == ("seul",)
    assert set(cold.elsewhere("sommet")) <= set(cold.entities["sommet"])

    warm = _stage(entries, stories, lambda e: texts[e.slug], cache, mapper)
    assert mapper.runs == 5  # nothing analysed again
    assert warm.keys == cold.keys and warm.story("sommet") == cold.story("sommet")


def test_one_entry_changed_is_analysed_again_and_only_its_story_changes() -> None:
    entries, texts = seed_entries()
    stories = {"sommet": entries[:4], "seul": entries[4:]}
    cache, mapper = CoverageCache(), Counting()
    before = _stage(entries, stories, lambda e: texts[e.slug], cache, mapper)
    edited = entries[1].slug

    def paragraphs(entry: Entry) -> tuple[str, ...]:
        extra = ("« Nous verrons », a déclaré Vladimir Poutine.",) if entry.slug == edited else ()
        return texts[entry.slug] + extra

    after = _stage(entries, stories, paragraphs, cache, mapper)
    assert mapper.runs == 5 + 1
    assert after.keys["seul"] == before.keys["seul"]
    assert after.keys["sommet"] != before.keys["sommet"]
    assert "Nous verrons" in [q.text for q in after.story("sommet").quotes]
    assert len(cache.facts) == 5 and len(cache.stories) == 2  # the old facts are gone


def test_an_entry_in_no_story_is_not_analysed_and_a_renamed_outlet_is() -> None:
    entries, texts = seed_entries()
    cache, mapper = CoverageCache(), Counting()
    _stage(entries, {"sommet": entries[:2]}, lambda e: texts[e.slug], cache, mapper)
    assert mapper.runs == 2
    renamed = [replace(entries[0], source_name="Autre média"), *entries[1:]]
    again = _stage(renamed, {"sommet": renamed[:2]}, lambda e: texts[e.slug], cache, mapper)
    assert mapper.runs == 3
    assert again.story("sommet").attention.outlets[0] in ("Autre média", "Netafrique.net")


def test_a_build_reads_the_coverage_once_and_an_edit_reads_one_entry_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_NLP", "0")
    project = copy_seed_project(tmp_path / "project")
    config, cache, out = load_config(project), Cache(), tmp_path / "site"
    build(config, out=out, cache=cache)
    facts = dict(cache.coverage.facts)
    assert len(facts) == 5 and len(cache.coverage.stories) == 1
    build(config, out=out, cache=cache)
    assert all(cache.coverage.facts[k] is v for k, v in facts.items())  # nothing read again

    path = sorted((project / "content").rglob("*.md"))[0]
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n« Rien n’est encore décidé entre nos deux pays », a déclaré Sergueï Lavrov.\n",
        encoding="utf-8",
    )
    build(config, out=out, cache=cache)
    assert len(set(cache.coverage.facts) - set(facts)) == 1
    story = next((out / "stories").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Rien n’est encore décidé entre nos deux pays" in story and "Sergueï Lavrov" in story


def test_a_long_story_is_summarised_from_its_latest_articles_and_charted_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("briefgen.coverage_stage.SUMMARY_LIMIT", 3)
    entries, texts = seed_entries()
    stories = {"sommet": entries}
    cache, mapper = CoverageCache(), Counting()
    found = _stage(entries, stories, lambda e: texts[e.slug], cache, mapper)
    latest = sorted(entries, key=lambda e: e.sort_key)[-3:]
    expected = summarise(
        [analyse(doc_of(e, texts[e.slug])) for e in latest], unnamed="?", others="Others"
    )
    story = found.story("sommet")
    assert (story.lead, story.quotes, story.entities) == (
        expected.lead,
        expected.quotes,
        expected.entities,
    )
    assert story.attention.total == len(entries) == 5  # the chart counts all five
    # an edit of an article the summary does not read changes only the chart's key inputs
    oldest = sorted(entries, key=lambda e: e.sort_key)[0]
    moved = [replace(e, source_name="Autre") if e is oldest else e for e in entries]
    again = _stage(moved, {"sommet": moved}, lambda e: texts[e.slug], cache, mapper)
    assert again.keys["sommet"] != found.keys["sommet"]
    assert again.story("sommet").lead == story.lead
