"""Entries -> stories: one event, every outlet's coverage. Pure: no I/O, no URLs, no UI.

`group(items, settings)` makes one pass over the entries in (instant, key)
order, as EMM NewsBrief and Miranda et al. (2018) do. Each entry is compared
with the centroids of the stories active within `window_days` of it (a story
is active while its latest entry is that recent) and joins the most similar
one whose cosine reaches `threshold`, or starts a new story named after it.
An entry whose text nearly repeats one seen within the window (estimated
shingle Jaccard at least `duplicate`: a syndicated wire copy) joins its
original's story as a copy and does not move the centroid. `story:` in front
matter (`Item.pin`) overrides both. The terms of each entry come from
`briefgen.story_text`. A word present in more than `common_share` of the
entries so far, once there are `common_min_entries`, is dropped from the
entries that come after (scikit-learn's `max_df`, counted as the pass goes so
that no later entry changes an earlier decision): a briefing about one
country is not one story.

Determinism: neither the input order nor `PYTHONHASHSEED` reaches the result;
every tie goes to the older story or the earlier entry.
Stability: a story's slug is its first entry's slug (or the pinned value) and
nothing that comes after it renames it.
Incremental: given the previous result, `group` replays the decisions it
recorded for the unchanged prefix of the (instant, key) order and decides
only from the first changed entry on; appending an entry decides one entry.
A result also keeps where its pass stood at a few places (its checkpoints):
before its first decision, so that editing the same entry again goes on from
there, and `spacing`, 4 × `spacing`, 16 × `spacing`… entries before the end,
so that an edit of a recent entry replays few entries whatever the previous
pass was: a build after a clean one too. The result is the same as from
nothing, whatever the previous result was.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain

from briefgen.story_text import Features, resemblance

DAY = 86400.0
# Copies are looked for among the entries that share some of the 16 smallest
# shingle hashes (prefix filtering): a copy shares about half of them or more.
PREFIX = 16
# checkpoints are kept this many entries before the end, and 4, 16, 64… times as many
SPACING = 256
Vector = tuple[tuple[str, float], ...]
# entry key -> (its features' stamp, the words dropped when it came, its vector)
Vectors = dict[str, tuple[str, frozenset[str], Vector]]


@dataclass(frozen=True)
class Settings:
    """`stories:` in briefgen.yaml."""

    threshold: float = 0.2  # cosine an entry needs with a story's centroid to join it
    window_days: float = 10.0  # a story takes new entries this long after its latest one
    duplicate: float = 0.5  # estimated shingle Jaccard from which an entry is a copy
    common_share: float = 0.5  # a word in more than this share of the entries is dropped
    common_min_entries: int = 20  # ... once the briefing holds this many entries


@dataclass(frozen=True)
class Item:
    """One entry as grouping sees it."""

    key: str  # the entry's slug: unique, and the slug of a story it starts
    instant: float  # seconds since the epoch
    features: Features
    stamp: str  # a digest of `features` (`Features.stamp`): same stamp, same features
    pin: str = ""  # `story:` from front matter

    @property
    def order(self) -> tuple[float, str]:
        return (self.instant, self.key)

    @property
    def mark(self) -> tuple[str, float, str, str]:
        return (self.key, self.instant, self.stamp, self.pin)


@dataclass(frozen=True)
class Story:
    """A story found by `group`: its members oldest first, the copies among them."""

    slug: str
    members: tuple[str, ...]  # entry keys in (instant, key) order
    copies: tuple[tuple[str, str], ...]  # (copy, original) pairs, in the copies' order
    representative: str  # the member nearest the centroid: its headline names the story


@dataclass
class _Story:
    slug: str
    rank: int  # creation order: ties go to the older story
    members: list[str] = field(default_factory=list)
    copies: list[tuple[str, str]] = field(default_factory=list)
    last: float = 0.0
    total: dict[str, float] | None = None  # the sum of the members' vectors while active
    norm2: float = 0.0
    representative: str = ""

    def clone(self) -> _Story:
        total = dict(self.total) if self.total is not None else None
        return _Story(
            self.slug,
            self.rank,
            list(self.members),
            list(self.copies),
            self.last,
            total,
            self.norm2,
            self.representative,
        )


@dataclass
class _State:
    """Where the pass stands after some prefix of the entries."""

    stories: dict[str, _Story] = field(default_factory=dict)  # by slug
    ranks: list[str] = field(default_factory=list)  # slugs by rank
    story_of: dict[str, str] = field(default_factory=dict)  # entry key -> story slug
    copy_of: dict[str, str] = field(default_factory=dict)  # copy key -> original key
    shared: set[str] = field(default_factory=set)  # stories still owned by a previous result
    now: float = -math.inf
    seen: dict[str, int] = field(default_factory=dict)  # word -> entries holding it so far
    count: int = 0  # entries so far
    eras: list[frozenset[str]] = field(default_factory=lambda: [frozenset()])  # dropped words
    era_of: dict[str, int] = field(default_factory=dict)  # entry key -> its era


@dataclass(frozen=True)
class Grouping:
    """The result of `group`: the stories, and what a later call needs to go on from it."""

    stories: tuple[Story, ...]  # by first entry
    story_of: Mapping[str, str]  # entry key -> story slug
    copy_of: Mapping[str, str]  # copy key -> original key
    settings: Settings
    marks: tuple[tuple[str, float, str, str], ...]  # Item.mark, in pass order
    state: _State
    # (n, the state after the first n marks), by n: where a later pass may start from
    checkpoints: tuple[tuple[int, _State], ...] = ()


def group(
    items: Iterable[Item],
    settings: Settings,
    previous: Grouping | None = None,
    *,
    spacing: int = SPACING,
    vectors: Vectors | None = None,
) -> Grouping:
    """Group `items` into stories, going on from `previous` where it still holds.

    `vectors` keeps the entries' vectors from one pass to the next (the live
    preview's passes): a story's representative reads those of all its members.
    """
    ordered = sorted(items, key=lambda item: item.order)
    marks = tuple(item.mark for item in ordered)
    if len(set(m[0] for m in marks)) != len(marks):
        raise ValueError("two items share a key")
    prefix = _common_prefix(previous, marks, settings)
    run = _Pass(ordered, settings, vectors if vectors is not None else {})
    # a checkpoint of the previous pass holds while the marks before it are the same
    kept = [point for point in (previous.checkpoints if previous else ()) if point[0] <= prefix]
    if previous is not None and prefix == len(previous.marks):
        run.resume(previous.state)  # entries added after all the others: no replay
        start = prefix
    elif kept:
        start = kept[-1][0]
        run.resume(kept[-1][1])
    else:
        start = 0
    wanted = {*_cuts(len(ordered), spacing), prefix}
    for position in range(start, len(ordered)):
        if position in wanted and position > (kept[-1][0] if kept else 0):
            kept.append((position, run.keep()))
        if position < prefix:
            assert previous is not None
            run.replay(ordered[position], previous)
        else:
            run.decide(ordered[position])
    return run.result(marks, _thin(kept, wanted))


def _cuts(count: int, spacing: int) -> list[int]:
    """Where checkpoints are wanted in a pass over `count` entries: `spacing`,
    4 × `spacing`, 16 × `spacing`… entries before the end."""
    cuts, back = [], spacing
    while back < count:
        cuts.append(count - back)
        back *= 4
    return cuts


def _thin(
    points: list[tuple[int, _State]], wanted: Iterable[int]
) -> tuple[tuple[int, _State], ...]:
    """For each wanted place, the last checkpoint at or before it."""
    chosen: dict[int, _State] = {}
    for place in wanted:
        before = [point for point in points if point[0] <= place]
        if before:
            chosen.setdefault(*before[-1])
    return tuple(sorted(chosen.items(), key=lambda point: point[0]))


def _common_prefix(
    previous: Grouping | None, marks: tuple[tuple[str, float, str, str], ...], settings: Settings
) -> int:
    if previous is None or previous.settings != settings:
        return 0
    count = 0
    for old, new in zip(previous.marks, marks, strict=False):
        if old != new:
            break
        count += 1
    return count


class _Pass:
    """One pass over the entries; the state lives in `_State` so that it can be kept."""

    def __init__(self, ordered: list[Item], settings: Settings, vectors: Vectors) -> None:
        self.items = {item.key: item for item in ordered}
        self.settings = settings
        self.window = settings.window_days * DAY
        self.vectors = vectors
        self.state = _State()
        self.postings: dict[str, set[int]] = defaultdict(set)  # word -> ranks of active stories
        self.expiry: list[tuple[float, int]] = []  # (last, rank) of active stories
        self.recent: list[tuple[float, str]] = []  # entries that copies may repeat
        self.sketches: dict[int, set[str]] = defaultdict(set)  # hash -> recent entries

    # -- going on from a previous result ------------------------------------

    def resume(self, state: _State) -> None:
        """Take over `state` (left as it was: stories are copied before they change)."""
        self.state = _State(
            dict(state.stories),
            list(state.ranks),
            dict(state.story_of),
            dict(state.copy_of),
            set(state.stories),
            state.now,
            dict(state.seen),
            state.count,
            list(state.eras),
            dict(state.era_of),
        )
        for slug in self.state.ranks:
            story = self.state.stories[slug]
            if story.total is not None:
                self._index_story(story)
        self._index_recent(state.story_of)

    def keep(self) -> _State:
        """A copy of the state as it is, for a later pass to resume: the stories are shared
        with this pass, which copies each before it changes it."""
        state = self.state
        state.shared = set(state.stories)
        return _State(
            dict(state.stories),
            list(state.ranks),
            dict(state.story_of),
            dict(state.copy_of),
            set(),
            state.now,
            dict(state.seen),
            state.count,
            list(state.eras),
            dict(state.era_of),
        )

    def replay(self, item: Item, previous: Grouping) -> None:
        """Apply the decision `previous` made for `item`, without comparing anything."""
        self._advance(item.instant)
        self._count(item)
        slug = previous.story_of[item.key]
        original = previous.copy_of.get(item.key, "")
        self._commit(item, slug, original)

    def _index_recent(self, keys: Iterable[str]) -> None:
        recent = sorted(
            self.items[key].order
            for key in keys
            if self.items[key].instant >= self.state.now - self.window
        )
        for instant, key in recent:
            self._remember(instant, key)

    # -- one entry -------------------------------------------------------------

    def decide(self, item: Item) -> None:
        self._advance(item.instant)
        self._count(item)
        if item.pin:
            self._commit(item, item.pin, "")
            return
        original = self._original(item)
        if original:
            self._commit(item, self.state.story_of[original], original)
            return
        best = self._best(self._vector(item.key))
        self._commit(item, best or self._new_slug(item.key), "")

    def _best(self, vector: Vector) -> str:
        scores: dict[int, float] = defaultdict(float)
        for word, weight in vector:
            for rank in self.postings.get(word, ()):
                total = self.state.stories[self.state.ranks[rank]].total
                assert total is not None
                scores[rank] += weight * total[word]
        best, best_score = -1, 0.0
        for rank in sorted(scores):
            story = self.state.stories[self.state.ranks[rank]]
            score = scores[rank] / math.sqrt(story.norm2)
            if score >= self.settings.threshold and (best < 0 or score > best_score):
                best, best_score = rank, score
        return self.state.ranks[best] if best >= 0 else ""

    def _original(self, item: Item) -> str:
        """The earlier entry within the window that `item` nearly repeats, if any."""
        sketch = item.features.sketch
        if not sketch:
            return ""
        index = self.sketches
        shared = Counter(chain.from_iterable(index.get(v, ()) for v in sketch[:PREFIX]))
        need = min(len(sketch), PREFIX) // 4 or 1
        best, best_score = "", self.settings.duplicate
        candidates = (k for k, n in shared.items() if n >= need)
        for key in sorted(candidates, key=lambda k: self.items[k].order):
            score = resemblance(sketch, self.items[key].features.sketch)
            if score >= best_score and (not best or score > best_score):
                best, best_score = key, score
        if not best:
            return ""
        return self.state.copy_of.get(best, best)

    def _new_slug(self, key: str) -> str:
        slug, n = key, 1
        while slug in self.state.stories:
            n += 1
            slug = f"{key}-{n}"
        return slug

    # -- changing the state -----------------------------------------------------

    def _commit(self, item: Item, slug: str, original: str) -> None:
        story = self._story(slug)
        if original and self.state.story_of.get(original) != slug:
            original = ""
        story.members.append(item.key)
        story.last = item.instant
        self.state.story_of[item.key] = slug
        if original:
            story.copies.append((item.key, original))
            self.state.copy_of[item.key] = original
        else:
            self._add(story, self._vector(item.key))
        heapq.heappush(self.expiry, (story.last, story.rank))
        self._remember(item.instant, item.key)

    def _story(self, slug: str) -> _Story:
        state = self.state
        story = state.stories.get(slug)
        if story is None:
            story = _Story(slug, len(state.ranks))
            state.ranks.append(slug)
            state.stories[slug] = story
        elif slug in state.shared:
            story = story.clone()
            state.stories[slug] = story
            state.shared.discard(slug)
        if story.total is None:
            self._revive(story)
        return story

    def _revive(self, story: _Story) -> None:
        """Rebuild the centroid of a story that had left the window (a pin brings it back)."""
        story.total, story.norm2 = {}, 0.0
        copies = {copy for copy, _ in story.copies}
        for key in story.members:
            if key not in copies:
                self._add(story, self._vector(key))

    def _add(self, story: _Story, vector: Vector) -> None:
        total = story.total
        assert total is not None
        dot = sum(weight * total.get(word, 0.0) for word, weight in vector)
        story.norm2 += 2.0 * dot + sum(weight * weight for _, weight in vector)
        for word, weight in vector:
            if word not in total:
                self.postings[word].add(story.rank)
            total[word] = total.get(word, 0.0) + weight
        story.representative = ""

    def _advance(self, now: float) -> None:
        """Let the stories and entries older than the window go."""
        self.state.now = now
        horizon = now - self.window
        while self.expiry and self.expiry[0][0] < horizon:
            last, rank = heapq.heappop(self.expiry)
            story = self.state.stories[self.state.ranks[rank]]
            if story.last == last and story.total is not None:
                self._retire(story)
        while self.recent and self.recent[0][0] < horizon:
            _, key = heapq.heappop(self.recent)
            for value in self.items[key].features.sketch[:PREFIX]:
                entries = self.sketches[value]
                entries.discard(key)
                if not entries:
                    del self.sketches[value]

    def _retire(self, story: _Story) -> None:
        if story.slug in self.state.shared:
            story = story.clone()
            self.state.stories[story.slug] = story
            self.state.shared.discard(story.slug)
        _choose_representative(story, self._vector)
        assert story.total is not None
        for word in story.total:
            self.postings[word].discard(story.rank)
        story.total = None

    def _remember(self, instant: float, key: str) -> None:
        heapq.heappush(self.recent, (instant, key))
        for value in self.items[key].features.sketch[:PREFIX]:
            self.sketches[value].add(key)

    def _index_story(self, story: _Story) -> None:
        assert story.total is not None
        for word in story.total:
            self.postings[word].add(story.rank)
        heapq.heappush(self.expiry, (story.last, story.rank))

    def _count(self, item: Item) -> None:
        """Count the item's words; the words now in most entries are dropped from here on."""
        state, settings = self.state, self.settings
        seen = state.seen
        for word, _ in item.features.terms:
            seen[word] = seen.get(word, 0) + 1
        state.count += 1
        dropped = state.eras[-1]
        if state.count >= settings.common_min_entries:
            limit = settings.common_share * state.count
            joins = [w for w, _ in item.features.terms if seen[w] > limit and w not in dropped]
            leaves = [w for w in dropped if seen[w] <= limit]
            if joins or leaves:
                state.eras.append(dropped.difference(leaves).union(joins))
        state.era_of[item.key] = len(state.eras) - 1

    def _vector(self, key: str) -> Vector:
        """The entry's terms but the words dropped when it came, normalised: a function of
        its features (their stamp) and of those words, so kept from pass to pass."""
        dropped = self.state.eras[self.state.era_of[key]]
        item = self.items[key]
        known = self.vectors.get(key)
        if (
            known is not None
            and known[0] == item.stamp
            and (known[1] is dropped or known[1] == dropped)
        ):
            return known[2]
        terms = [(w, x) for w, x in item.features.terms if w not in dropped]
        norm = math.sqrt(sum(x * x for _, x in terms)) or 1.0
        vector = tuple((w, x / norm) for w, x in terms)
        self.vectors[key] = (item.stamp, dropped, vector)
        return vector

    # -- the result ---------------------------------------------------------------

    def result(
        self,
        marks: tuple[tuple[str, float, str, str], ...],
        checkpoints: tuple[tuple[int, _State], ...] = (),
    ) -> Grouping:
        state = self.state
        stories = []
        for slug in state.ranks:
            story = state.stories[slug]
            if not story.representative:
                if slug in state.shared:
                    story = story.clone()
                    state.stories[slug] = story
                    state.shared.discard(slug)
                _choose_representative(story, self._vector)
            stories.append(
                Story(slug, tuple(story.members), tuple(story.copies), story.representative)
            )
        state.shared = set()
        return Grouping(
            tuple(stories),
            dict(state.story_of),
            dict(state.copy_of),
            self.settings,
            marks,
            state,
            checkpoints,
        )


def _choose_representative(story: _Story, vector_of: Callable[[str], Vector]) -> None:
    """The member nearest the centroid; the earliest wins a tie."""
    copies = {copy for copy, _ in story.copies}
    total = story.total or {}
    best, best_score = story.members[0], -1.0
    for key in story.members:
        if key in copies:
            continue
        score = sum(weight * total.get(word, 0.0) for word, weight in vector_of(key))
        if score > best_score:
            best, best_score = key, score
    story.representative = best
