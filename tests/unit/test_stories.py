"""Automatic stories: real articles group by event; the pass is deterministic and stable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.frontmatter import split
from briefgen.loader import load_entry
from briefgen.stories import Grouping, Item, Settings, Vectors, _Pass, group
from briefgen.story_text import Features, WordFrequencies, features, resemblance, sketch, words

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "content").rglob("*.md"))
OTHERS = sorted((ROOT / "tests" / "fixtures" / "stories").glob("2023-*.md"))
FREQUENCIES = WordFrequencies("fr")


def real_item(path: Path, *, key: str = "", pin: str = "", body: str | None = None) -> Item:
    """An entry of this repository as grouping sees it, read by the real loader."""
    entry, problems = load_entry(path, Config(root=path.parent))
    assert entry is not None, problems
    document, _ = split(path.read_text(encoding="utf-8"), path.name)
    assert document is not None
    text = document.body if body is None else body
    found = features(entry.title, text, entry.lang, FREQUENCIES)
    return Item(key or entry.slug, entry.timestamp, found, stamp=text, pin=pin or entry.story)


def outcome(grouping: Grouping) -> tuple[object, ...]:
    return (grouping.stories, dict(grouping.story_of), dict(grouping.copy_of))


def members(grouping: Grouping) -> list[list[str]]:
    return sorted(sorted(story.members) for story in grouping.stories)


# -- real news ---------------------------------------------------------------


def test_the_five_seeds_form_one_story() -> None:
    grouping = group([real_item(path) for path in SEEDS], Settings())
    assert len(SEEDS) == 5
    assert [len(story.members) for story in grouping.stories] == [5]
    story = grouping.stories[0]
    assert story.slug == "le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le"  # the first
    assert story.copies == ()


def test_other_events_of_the_same_week_form_their_own_stories() -> None:
    grouping = group([real_item(path) for path in SEEDS + OTHERS], Settings())
    events = {"seed": [real_item(p).key for p in SEEDS]}
    for path in OTHERS:
        event = path.stem.split("-")[3]  # 2023-09-09-seisme-... -> seisme
        events.setdefault(event, []).append(real_item(path).key)
    assert sorted(events) == ["g20", "libye", "seed", "seisme"]
    assert members(grouping) == sorted(sorted(keys) for keys in events.values())


def test_a_pin_overrides_the_automatic_choice() -> None:
    seed_slug = real_item(SEEDS[0]).key
    libya = OTHERS[-1]
    items = [real_item(path) for path in SEEDS + OTHERS if path != libya]
    pinned = real_item(libya, pin=seed_slug)
    grouping = group([*items, pinned], Settings())
    assert grouping.story_of[pinned.key] == seed_slug
    alone = group([*items, real_item(libya, pin="tempete-daniel")], Settings())
    assert [s.members for s in alone.stories if s.slug == "tempete-daniel"] == [(pinned.key,)]


def test_a_syndicated_copy_joins_its_original_as_a_copy() -> None:
    original_path = next(p for p in OTHERS if "296-morts" in p.name)
    original = real_item(original_path)
    document, _ = split(original_path.read_text(encoding="utf-8"), "x")
    assert document is not None
    reworded = document.body.replace("peu après 23 heures", "vers 23 h 11")
    assert reworded != document.body
    copy = replace(
        real_item(original_path, key="copie-afp", body=reworded + "\n(Avec AFP)\n"),
        instant=original.instant + 3 * 3600,
    )
    grouping = group([real_item(p) for p in SEEDS + OTHERS] + [copy], Settings())
    assert grouping.copy_of == {"copie-afp": original.key}
    assert grouping.story_of["copie-afp"] == grouping.story_of[original.key]
    story = next(s for s in grouping.stories if "copie-afp" in s.members)
    assert story.copies == (("copie-afp", original.key),)
    assert story.representative != "copie-afp"


def test_same_event_by_another_outlet_is_not_a_copy() -> None:
    grouping = group([real_item(p) for p in OTHERS], Settings())
    assert grouping.copy_of == {}


def test_a_copy_outside_the_window_is_a_story_of_its_own() -> None:
    original = real_item(OTHERS[0])
    late = replace(original, key="reprise", instant=original.instant + 30 * 86400)
    grouping = group([original, late], Settings())
    assert grouping.copy_of == {}
    assert grouping.story_of["reprise"] == "reprise"


# -- the words ---------------------------------------------------------------


def test_words_are_normalised_and_link_targets_dropped() -> None:
    text = "L’Élysée [a dit](https://example.org/x) E\u0301TAT https://t.co/abc Kim_Jong 2023"
    assert words(text) == ["l", "élysée", "a", "dit", "état", "kim", "jong", "2023"]


def test_common_words_weigh_nothing_and_rare_words_most() -> None:
    terms = dict(features("", "Le sommet de Vostochny, le sommet.", "fr", FREQUENCIES).terms)
    assert "le" not in terms and "de" not in terms
    assert terms["vostochny"] > terms["sommet"] > 0


def test_english_common_words_weigh_nothing_in_a_french_entry() -> None:
    terms = dict(
        features("", "« We will talk to them », a déclaré Poutine.", "fr", FREQUENCIES).terms
    )
    assert "to" not in terms and "we" not in terms and "poutine" in terms


def test_resemblance_is_exact_for_short_texts() -> None:
    a = sketch(["un", "deux", "trois", "quatre", "cinq", "six", "sept"])  # 3 shingles
    b = sketch(["un", "deux", "trois", "quatre", "cinq", "six", "huit"])  # 2 shared of 4
    assert resemblance(a, b) == 0.5
    assert resemblance(a, a) == 1.0
    assert resemblance(a, ()) == 0.0


GROUP_SCRIPT = """
import json, sys
from briefgen.stories import Item, Settings, group
from briefgen.story_text import WordFrequencies, features
weights = WordFrequencies("fr")
rows = json.load(sys.stdin)
items = [Item(k, t, features(title, body, "fr", weights), stamp=k) for k, t, title, body in rows]
grouping = group(items, Settings())
print(json.dumps([[s.slug, s.members, s.representative] for s in grouping.stories]))
"""


def test_another_hash_seed_gives_the_same_stories() -> None:
    rows = []
    for path in SEEDS + OTHERS:
        document, _ = split(path.read_text(encoding="utf-8"), path.name)
        assert document is not None
        item = real_item(path)
        rows.append([item.key, item.instant, str(document.meta.data["title"]), document.body])
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", GROUP_SCRIPT],
            input=json.dumps(rows),
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) == 4  # the seed story and three others


# -- the pass, on generated items ----------------------------------------------

VOCABULARY = [f"w{i}" for i in range(12)]


@st.composite
def item_lists(draw: st.DrawFn, min_size: int = 0) -> list[Item]:
    """Items with overlapping words, close and far instants, shared sketches and pins."""
    count = draw(st.integers(min_size, 14))
    instants = st.integers(0, 40).map(lambda day: day * 86400.0 / 2)
    items = []
    for n in range(count):
        words_ = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4, unique=True))
        weights = draw(
            st.lists(st.sampled_from([1.0, 2.0, 5.0]), min_size=len(words_), max_size=len(words_))
        )
        shingles = draw(st.lists(st.integers(0, 6), max_size=4, unique=True))
        pin = draw(st.sampled_from(["", "", "", "", "pinned", "e1"]))
        found = Features(tuple(sorted(zip(words_, weights, strict=True))), tuple(sorted(shingles)))
        items.append(Item(f"e{n}", draw(instants), found, stamp=repr(found), pin=pin))
    return items


SMALL = Settings(threshold=0.5, window_days=3, common_min_entries=6)
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(item_lists(), st.randoms(use_true_random=False))
def test_the_input_order_does_not_matter(items: list[Item], random: object) -> None:
    shuffled = list(items)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert outcome(group(shuffled, SMALL)) == outcome(group(items, SMALL))


@PROPERTY
@given(item_lists())
def test_every_entry_is_in_one_story_and_pins_hold(items: list[Item]) -> None:
    grouping = group(items, SMALL)
    assert sorted(grouping.story_of) == sorted(item.key for item in items)
    listed = [key for story in grouping.stories for key in story.members]
    assert sorted(listed) == sorted(grouping.story_of)
    for item in items:
        if item.pin:
            assert grouping.story_of[item.key] == item.pin
    for story in grouping.stories:
        assert story.representative in story.members
        for copy, original in story.copies:
            assert grouping.copy_of[copy] == original
            assert grouping.story_of[original] == story.slug
            assert original not in grouping.copy_of


@PROPERTY
@given(item_lists(min_size=1))
def test_appending_in_date_order_never_renames_a_story(items: list[Item]) -> None:
    ordered = sorted(items, key=lambda item: item.order)
    before: Grouping | None = None
    for count in range(1, len(ordered) + 1):
        after = group(ordered[:count], SMALL, before)
        assert outcome(after) == outcome(group(ordered[:count], SMALL))  # as from nothing
        if before is not None:
            firsts = {story.slug: story.members[0] for story in after.stories}
            for story in before.stories:
                assert firsts.get(story.slug) == story.members[0]
        before = after


@PROPERTY
@given(item_lists(), item_lists(), st.sampled_from([1, 2, 256]))
def test_going_on_from_any_previous_result_gives_the_result_from_nothing(
    old: list[Item], new: list[Item], spacing: int
) -> None:
    vectors: Vectors = {}
    previous = group(old, SMALL, spacing=spacing, vectors=vectors)
    going_on = group(new, SMALL, previous, spacing=spacing, vectors=vectors)
    assert outcome(going_on) == outcome(group(new, SMALL))
    edited = new[: len(new) // 2] + old[len(new) // 2 :]
    going_on = group(edited, SMALL, previous, spacing=spacing, vectors=vectors)
    assert outcome(going_on) == outcome(group(edited, SMALL))


@PROPERTY
@given(
    item_lists(min_size=1),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(VOCABULARY)), min_size=1, max_size=5),
    st.sampled_from([1, 2, 256]),
)
def test_editing_entries_one_after_another_gives_the_result_from_nothing(
    items: list[Item], edits: list[tuple[int, str]], spacing: int
) -> None:
    """Each pass goes on from the one before (from one of its checkpoints: before the same
    entry edited again, or some entries before the end) with the vectors it kept, and each
    result is the one from nothing."""
    ordered = sorted(items, key=lambda item: item.order)
    vectors: Vectors = {}
    current = group(ordered, SMALL, spacing=spacing, vectors=vectors)
    for position, word in edits:
        index = len(ordered) - 1 - position % len(ordered)  # the newest entries, mostly
        item = ordered[index]
        terms = dict(item.features.terms)
        terms[word] = terms.get(word, 0.0) + 3.0
        found = Features(tuple(sorted(terms.items())), item.features.sketch)
        ordered[index] = replace(item, features=found, stamp=repr(found))
        current = group(ordered, SMALL, current, spacing=spacing, vectors=vectors)
        assert outcome(current) == outcome(group(ordered, SMALL))


def test_two_items_with_one_key_are_refused() -> None:
    item = real_item(SEEDS[0])
    with pytest.raises(ValueError, match="share a key"):
        group([item, item], Settings())


def test_an_edit_after_a_pass_from_nothing_replays_from_a_checkpoint_near_the_end() -> None:
    """A clean build keeps checkpoints 1, 4, 16… × `spacing` entries before the end: an
    edit of a recent entry after it replays from the nearest, not from the first entry."""
    items = sorted(
        (replace(real_item(SEEDS[n % 5], key=f"e{n:02d}"), instant=n * 3600.0) for n in range(40)),
        key=lambda item: item.order,
    )
    first = group(items, Settings(), spacing=2)
    assert [point for point, _state in first.checkpoints] == [8, 32, 38]
    edited = list(items)
    edited[35] = replace(items[35], stamp="edited")
    replayed: list[str] = []
    original = _Pass.replay

    def counting(self: _Pass, item: Item, previous: Grouping) -> None:
        replayed.append(item.key)
        original(self, item, previous)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Pass, "replay", counting)
        again = group(edited, Settings(), first, spacing=2)
    assert replayed == ["e32", "e33", "e34"]  # from the checkpoint at 32 to the edit at 35
    assert outcome(again) == outcome(group(edited, Settings()))
    assert [point for point, _state in again.checkpoints] == [8, 32, 35, 38]
