"""The stories stage of the build: entries -> stories, between the model and the page plan.

Each entry's words (`story_text.features`) are worked out once and kept in
the cache under a hash of what they depend on (title, body, language); the
one pass (`stories.group`) goes on from the previous build's grouping, so a
new entry costs one decision and an edited one replays the decisions before
it, unless the edit left its words as they were (then nothing is decided
again). The editors' pages of stories (`content/stories/SLUG.md`) may rename a
story and lead its page; they never move an entry.
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefgen.config import Config, type_name
from briefgen.diagnostics import Diagnostic, error, warning
from briefgen.frontmatter import split
from briefgen.loader import STORY_NOTES
from briefgen.model import Entry, Site, Story
from briefgen.parallel import ordered_map
from briefgen.sources import project_files
from briefgen.stories import Grouping, Item, Settings, Vectors, group
from briefgen.story_index import StoryNote, build_stories
from briefgen.story_text import Features, WordFrequencies, features

Progress = Callable[[int, int], None]
NOTE_KEYS = ("title",)


class StoryCache:
    """What the stage keeps between builds.

    On disk the words and the last grouping (most of the cache's size) are
    one blob inside the cache's pickle, read only when the stage runs: a build
    that stops after reading the files never pays for them. The words are
    plain tuples in `marshal`'s format, read and written three times faster
    than pickled `Features` (10 000 entries: 0.15 s instead of 0.35 s to read).
    The blob is inside the cache's signed payload, so it is only ever read
    back from this user's own builds.
    """

    def __init__(self) -> None:
        self._state: tuple[dict[bytes, Features], Grouping | None] | None = ({}, None)
        self._packed = b""
        self.changed = False  # the last build learnt something worth saving
        self.computed = 0  # entries whose words the last build worked out
        # the word lists and the entries' vectors, kept while the process lives (the live
        # preview) but never saved
        self.weights: WordFrequencies | None = None
        self.vectors: Vectors = {}

    def _unpacked(self) -> tuple[dict[bytes, Features], Grouping | None]:
        if self._state is None:
            words, grouping = marshal.loads(self._packed)
            self._state = (
                {key: _features(*value) for key, value in words.items()},
                pickle.loads(grouping),
            )
            self._packed = b""
        return self._state

    @property
    def features(self) -> dict[bytes, Features]:  # by `feature_key`
        return self._unpacked()[0]

    @features.setter
    def features(self, value: dict[bytes, Features]) -> None:
        self._state = (value, self._unpacked()[1])

    @property
    def grouping(self) -> Grouping | None:
        return self._unpacked()[1]

    @grouping.setter
    def grouping(self, value: Grouping | None) -> None:
        self._state = (self._unpacked()[0], value)

    def __getstate__(self) -> dict[str, object]:
        packed = self._packed
        if self._state is not None:
            known, grouping = self._state
            words = {key: (f.terms, f.sketch, f.stamp) for key, f in known.items()}
            packed = marshal.dumps((words, pickle.dumps(grouping, protocol=5)))
        return {"packed": packed, "changed": self.changed, "computed": self.computed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self._state, self._packed = None, state["packed"]
        self.changed, self.computed = state["changed"], state["computed"]


def _features(
    terms: tuple[tuple[str, float], ...], sketch: tuple[int, ...], stamp: str
) -> Features:
    """`Features` as `StoryCache` saved them, with their stamp (worked out once)."""
    found = Features(terms, sketch)
    found.__dict__["stamp"] = stamp  # `Features.stamp` is a cached property
    return found


def feature_key(entry: Entry) -> bytes:
    """What an entry's words depend on: its language, title and body."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (entry.lang, entry.title, entry.body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.digest()


def stories_stage(
    site: Site,
    config: Config,
    cache: StoryCache,
    notes: tuple[dict[str, StoryNote], list[Diagnostic]],
    digests: Mapping[str, bytes] | None = None,
    progress: Callable[[], Progress | None] | None = None,
) -> tuple[Site, list[Diagnostic]]:
    """The site with its stories, and the problems of the editors' pages of stories.

    `notes` are those pages and their problems (`read_notes`). `digests` (by
    entry path) name what each entry's words depend on, as the hash of its
    file: given, they spare hashing every body again.
    """
    notes_by_slug, problems = notes[0], list(notes[1])
    keys = {
        entry.slug: (
            digests[entry.path] + config.language.encode()
            if digests is not None
            else feature_key(entry)
        )
        for entry in site.entries
    }
    grouping = group_entries(
        site.entries, keys, config.stories, cache, language=config.language, progress=progress
    )
    site, unused = add_stories(site, grouping, notes_by_slug)
    return site, problems + unused


def group_entries(
    entries: Sequence[Entry],
    keys: Mapping[str, bytes],
    settings: Settings,
    cache: StoryCache,
    *,
    language: str,
    progress: Callable[[], Progress | None] | None = None,
) -> Grouping:
    """Group `entries` into stories, working out only the words not in `cache`.

    `keys[slug]` is what the entry's words depend on (see `feature_key`).
    """
    todo = sorted({keys[e.slug]: e for e in entries if keys[e.slug] not in cache.features}.items())
    if cache.weights is None or cache.weights.fallback != language:
        cache.weights = WordFrequencies(language)
    weights = cache.weights
    for lang in sorted({entry.lang for _key, entry in todo}):
        weights(lang)  # loaded here, before the workers fork, and before the bar starts
    done = ordered_map(
        lambda pair: features(pair[1].title, pair[1].body, pair[1].lang, weights),
        todo,
        progress() if progress is not None and todo else None,
    )
    known = cache.features
    for (key, _entry), found in zip(todo, done, strict=True):
        known[key] = found
    live = set(keys.values())
    before = len(known)
    cache.features = {key: value for key, value in known.items() if key in live}
    previous = cache.grouping
    items = []
    for entry in entries:
        found = cache.features[keys[entry.slug]]
        items.append(Item(entry.slug, entry.timestamp, found, found.stamp, entry.story))
    cache.grouping = group(items, settings, previous, vectors=cache.vectors)
    if len(cache.vectors) > len(items):  # entries gone or renamed
        cache.vectors = {
            item.key: cache.vectors[item.key] for item in items if item.key in cache.vectors
        }
    cache.computed = len(todo)
    cache.changed = (
        bool(todo)
        or len(cache.features) != before
        or previous is None
        or previous.marks != cache.grouping.marks
        or previous.settings != settings
    )
    return cache.grouping


def add_stories(
    site: Site, grouping: Grouping, notes: Mapping[str, StoryNote]
) -> tuple[Site, list[Diagnostic]]:
    """The site with its stories; a warning for each editor's page that names no story."""
    stories = build_stories(site.entries, grouping, notes)
    story_of: dict[str, Story] = {}
    for story in stories:
        for entry in story.entries:
            story_of[entry.slug] = story
        for copy in story.copies:
            story_of[copy.entry.slug] = story
    shown = {story.slug for story in stories if story.has_page}
    problems = [
        warning(
            note.path,
            1,
            f"no story of several articles has the slug {slug!r} (expected the name of a "
            "story page under /stories/, or `story: " + slug + "` in some entries)",
            code="story",
        )
        for slug, note in sorted(notes.items())
        if slug not in shown
    ]
    return replace(site, stories=stories, story_of=story_of), problems


def read_notes(config: Config) -> tuple[dict[str, StoryNote], list[Diagnostic]]:
    """The editors' pages of stories: `content/stories/SLUG.md`, `title:` and a Markdown body."""
    folder = config.content_path / STORY_NOTES
    notes: dict[str, StoryNote] = {}
    if not folder.is_dir():
        return notes, []
    found_files, _ = project_files(folder, config.root)  # content_files reports skipped links
    problems: list[Diagnostic] = []
    for relative, path in found_files:
        if "/" in relative or not relative.endswith(".md") or relative.startswith("."):
            continue
        note, found = _read_note(path, config)
        problems.extend(found)
        if note is not None:
            notes[note.slug] = note
    return notes, problems


def _read_note(path: Path, config: Config) -> tuple[StoryNote | None, list[Diagnostic]]:
    shown = config.shown(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(shown, 0, f"cannot read the file: {exc}", code="read")]
    document, problems = split(text, shown)
    if document is None:
        return None, problems
    title = ""
    for key, value in document.meta.data.items():
        line = document.meta.line(str(key))
        if key not in NOTE_KEYS:
            message = "unknown key (expected `title:` and the story's text below the front matter)"
            problems.append(error(shown, line, message, field=str(key), code="unknown-key"))
        elif not isinstance(value, str) or not value.strip():
            expected = f"expected a non-empty string, got {type_name(value)}"
            problems.append(error(shown, line, expected, field="title", code="type"))
        else:
            title = value.strip()
    if any(problem.is_error for problem in problems):
        return None, problems
    return StoryNote(path.stem, shown, title, document.body.strip()), problems
