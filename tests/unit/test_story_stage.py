"""The stories stage in build(): words worked out once per entry, the site of a clean build."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefgen import pages, stories
from briefgen.build import build
from briefgen.cache import Cache, load_cache
from briefgen.config import load_config
from briefgen.story_text import Features
from tests.conftest import ROOT
from tests.e2e.test_stories_site import OTHERS, QUAKE, news_project


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_clean_build_is_the_same(project: Path, clean: Path) -> None:
    """A build from nothing writes what the project's cached builds wrote into `site/`."""
    build(load_config(project), out=clean, cache=Cache())
    assert tree(project / "site") == tree(clean)


def test_a_new_entry_costs_its_own_words_and_builds_what_a_clean_build_builds(
    tmp_path: Path,
) -> None:
    project = news_project(tmp_path / "project")
    config = load_config(project)
    cache = Cache()
    build(config, cache=cache)
    assert cache.stories.computed == 14
    # the same inputs: the last build again, the stage does not even run
    assert build(config, cache=cache).written == ()
    # another input (a static file): the stage runs and finds every entry's words known
    (project / "static").mkdir()
    (project / "static" / "robots-extra.txt").write_text("x\n", encoding="utf-8")
    build(config, cache=cache)
    assert cache.stories.computed == 0
    late = (OTHERS / QUAKE).read_text(encoding="utf-8")
    late = late.replace("2023-09-09T06:10:00+02:00", "2023-09-16T09:00:00+02:00")
    late = late.replace('name: "franceinfo"', 'name: "Le Relais"')
    late = late.replace("www.francetvinfo.fr", "relais.example")
    (project / "content" / "2023" / "09" / "relais.md").write_text(
        late.replace("au moins 296 personnes", "près de 3 000 personnes"), encoding="utf-8"
    )
    build(config, cache=cache)
    assert cache.stories.computed == 1
    assert cache.stories.grouping is not None
    assert cache.stories.grouping.story_of["relais"] == "seisme-maroc-296-morts"
    assert_clean_build_is_the_same(project, tmp_path / "clean")


def test_the_words_are_not_worked_out_again_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the cache's key
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    shutil.copy2(ROOT / "briefgen.yaml", project / "briefgen.yaml")
    for path in OTHERS.glob("2023-*.md"):
        shutil.copy2(path, project / "content" / path.name)
    config = load_config(project)
    build(config)  # with the cache on disk, as `briefgen build` does
    cache, notes = load_cache(project)
    assert notes == []
    assert len(cache.stories.features) == 9
    build(config, cache=cache, out=tmp_path / "elsewhere")  # another output: every stage runs
    assert cache.stories.computed == 0
    assert len(cache.stories.grouping.stories if cache.stories.grouping else ()) == 3


def test_an_edit_that_leaves_the_words_alone_decides_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = news_project(tmp_path / "project")
    config = load_config(project)
    cache = Cache()
    build(config, cache=cache)
    decided: list[str] = []
    replayed: list[str] = []
    decide, replay = stories._Pass.decide, stories._Pass.replay

    def spy_decide(run: stories._Pass, item: stories.Item) -> None:
        decided.append(item.key)
        decide(run, item)

    def spy_replay(run: stories._Pass, item: stories.Item, previous: Any) -> None:
        replayed.append(item.key)
        replay(run, item, previous)

    monkeypatch.setattr(stories._Pass, "decide", spy_decide)
    monkeypatch.setattr(stories._Pass, "replay", spy_replay)
    quake = project / "content" / "2023" / "09" / QUAKE.removeprefix("2023-09-")
    text = quake.read_text(encoding="utf-8")
    # a topic and another source address: the file changed, its words did not
    retagged = text.replace("lang: fr\n", "lang: fr\ntopics: [Séisme]\n", 1)
    retagged = retagged.replace("www.francetvinfo.fr", "relais.example")
    assert retagged != text
    quake.write_text(retagged, encoding="utf-8")
    build(config, cache=cache)
    assert decided == [] and replayed == []
    # a new word in the body: that entry and the ones after it are decided again
    quake.write_text(retagged + "\nUn hélicoptère survole Marrakech.\n", encoding="utf-8")
    build(config, cache=cache)
    assert "seisme-maroc-296-morts" in decided and replayed
    assert_clean_build_is_the_same(project, tmp_path / "clean")


def test_a_long_story_s_json_export_is_cut_into_linked_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "STORY_DATA_LIMIT", 2)
    project = news_project(tmp_path / "project")
    build(load_config(project), cache=Cache())
    folder = project / "site" / "stories" / "libye-derna-2000-morts"
    base = "http://127.0.0.1:8000/stories/libye-derna-2000-morts/"
    first = json.loads((folder / "story.json").read_bytes())
    second = json.loads((folder / "story-2.json").read_bytes())
    assert not (folder / "story-3.json").exists()
    assert (first["file"], first["files"], first["count"]) == (1, 2, 3)
    assert (first["previous"], first["next"]) == (None, base + "story-2.json")
    assert (second["file"], second["previous"], second["next"]) == (2, base + "story.json", None)
    assert [len(first["entries"]), len(second["entries"])] == [2, 1]
    dates = [entry["date"] for entry in first["entries"] + second["entries"]]
    assert dates == sorted(dates)  # oldest first, across the files
    assert {k: v for k, v in first.items() if k not in ("entries", "file", "previous", "next")} == {
        k: v for k, v in second.items() if k not in ("entries", "file", "previous", "next")
    }


def test_the_stage_s_memory_comes_back_from_disk_as_it_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words (saved as plain tuples) come back equal, stamps included, and the grouping
    whole; a stamp is not worked out again."""
    cache = Cache()
    build(load_config(news_project(tmp_path / "project")), cache=cache)
    saved = cache.stories
    again = pickle.loads(pickle.dumps(saved))
    monkeypatch.setattr(Features, "stamp", property(lambda self: pytest.fail("stamp again")))
    assert again.features == saved.features
    assert {k: f.__dict__["stamp"] for k, f in again.features.items()} == {
        k: f.__dict__["stamp"] for k, f in saved.features.items()
    }
    assert again.grouping == saved.grouping
