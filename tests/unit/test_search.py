"""The search index: what Pagefind is given, and the same bytes for the same pages."""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen import search, search_bundle
from tests.conftest import run_cli

Project = Callable[[dict[str, str | bytes]], Path]

ENTRY = """\
---
title: "{title}"
date: 2023-09-1{day}T10:00:00+02:00
source: {{name: "{outlet}", url: "https://news.example/{day}"}}
lang: {lang}
topics: [{topics}]
story: sommet
---
{body}
"""


def entry(day: int, lang: str, outlet: str, topics: str, title: str, body: str) -> str:
    return ENTRY.format(day=day, lang=lang, outlet=outlet, topics=topics, title=title, body=body)


@pytest.fixture
def built(make_project: Project) -> Path:
    root = make_project(
        {
            "briefgen.yaml": "title: Revue\nlanguage: fr\n",
            "content/a.md": entry(1, "fr", "Le Monde", "Diplomatie, Défense", "Coopération",
                                  "Une coopération militaire."),
            "content/b.md": entry(2, "fr", "Libération", "Espace, Diplomatie", "Fusées",
                                  "Les coopérations spatiales."),
            "content/c.md": entry(3, "en", "The Wire", "Économie", "Trade", "Putin's trade."),
        }
    )  # fmt: skip
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_the_build_writes_one_index_per_language_of_the_articles(built: Path) -> None:
    assert json.loads((built / "pagefind/parts.json").read_bytes()) == {"parts": ["all/"]}
    entry_file = json.loads((built / "pagefind/all/pagefind-entry.json").read_bytes())
    assert sorted(entry_file["languages"]) == ["en", "fr"]
    assert {k: v["page_count"] for k, v in entry_file["languages"].items()} == {"en": 1, "fr": 2}
    # only the article pages are indexed, and Pagefind's ready-made UIs are left out
    assert not list(built.glob("pagefind/pagefind-ui*"))
    assert (built / "search/index.html").is_file()


def test_the_same_pages_give_the_same_bytes(built: Path) -> None:
    first = search.index_site(built)
    second = search.index_site(built)
    assert first.files == second.files
    assert first.key == second.key and first.pages == 3
    on_disk = {
        "pagefind/" + path.relative_to(built / "pagefind/all").as_posix(): path.read_bytes()
        for path in (built / "pagefind/all").rglob("*")
        if path.is_file()
    }
    assert on_disk == first.files


def test_the_key_follows_the_article_pages(built: Path) -> None:
    pages = search.article_pages(built)
    assert [path for path, _ in pages] == ["articles/a/index.html", "articles/b/index.html",
                                           "articles/c/index.html"]  # fmt: skip
    key = search.index_key(pages, "1.5.2")
    assert search.index_key(list(reversed(pages)), "1.5.2") == key
    assert search.index_key(pages, "1.5.3") != key
    edited = [(pages[0][0], pages[0][1] + b" "), *pages[1:]]
    assert search.index_key(edited, "1.5.2") != key


def test_a_site_without_articles_has_no_index(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    assert search.index_site(tmp_path).files == {}


def test_the_result_count_has_a_sentence_for_every_plural_category() -> None:
    assert search.result_counts("fr") == {
        "one": "%(num)d\u00a0résultat pour « %(query)s »",
        "many": "%(num)d\u00a0de résultats pour « %(query)s »",
        "other": "%(num)d\u00a0résultats pour « %(query)s »",
    }
    assert set(search.result_counts("de")) == {"one", "other"}


# --- the bundle's canonical order, on Pagefind's own encoding (CBOR) ----------------------


def cbor(value: object) -> bytes:
    """The subset of CBOR that Pagefind's filter and metadata files use."""

    def head(major: int, number: int) -> bytes:
        if number < 24:
            return bytes([major << 5 | number])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if number < 1 << (8 * size):
                return bytes([major << 5 | info]) + number.to_bytes(size, "big")
        raise ValueError(number)

    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    assert isinstance(value, list)
    return head(4, len(value)) + b"".join(cbor(item) for item in value)


def packed(value: object) -> bytes:
    return gzip.compress(b"pagefind_dcd" + cbor(value), mtime=0)


def bundle(filters: dict[str, dict[str, list[int]]], order: random.Random) -> dict[str, bytes]:
    """A bundle like Pagefind's, its filters and their values listed in a shuffled order."""
    files: dict[str, bytes] = {}
    listed = []
    for number, (name, values) in enumerate(filters.items()):
        rows = [[value, pages] for value, pages in values.items()]
        order.shuffle(rows)
        files[f"pagefind/filter/fr_{number:07x}.pf_filter"] = packed([name, rows])
        listed.append([name, f"fr_{number:07x}"])
    order.shuffle(listed)
    meta = ["1.5.2", [["fr_0000aaa", 12]], [["a", "z", "fr_00000ff"]], listed, [], ["title"]]
    files["pagefind/pagefind.fr_00000000aa.pf_meta"] = packed(meta)
    entry = {"version": "1.5.2", "languages": {"fr": {"hash": "fr_00000000aa", "page_count": 1}}}
    files["pagefind/pagefind-entry.json"] = json.dumps(entry).encode()
    files["pagefind/index/fr_00000ff.pf_index"] = packed(["unchanged"])
    return files


FILTERS = st.dictionaries(
    st.sampled_from(["topic", "outlet", "language", "story"]),
    st.dictionaries(
        st.text(min_size=1, max_size=30),
        st.lists(st.integers(min_value=0, max_value=70_000), min_size=1, max_size=40),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(FILTERS, st.integers(), st.integers())
def test_any_order_of_filters_gives_the_same_bundle(
    filters: dict[str, dict[str, list[int]]], seed: int, other: int
) -> None:
    first = search_bundle.canonical(bundle(filters, random.Random(seed)))
    second = search_bundle.canonical(bundle(filters, random.Random(other)))
    assert first == second
    # what the search script reads is all there: the entry names the metadata file,
    # which names every filter file, each holding every value
    entry = json.loads(first["pagefind/pagefind-entry.json"])
    meta = gzip.decompress(first[f"pagefind/pagefind.{entry['languages']['fr']['hash']}.pf_meta"])
    for path, data in first.items():
        if path.startswith("pagefind/filter/"):
            assert cbor(path.rsplit("/", 1)[1].removesuffix(".pf_filter")) in meta
            body = gzip.decompress(data)
            name = next(n for n in filters if body[12:].startswith(b"\x82" + cbor(n)))
            assert all(cbor(value) in body for value in filters[name])
    assert first["pagefind/index/fr_00000ff.pf_index"] == packed(["unchanged"])


def test_a_bundle_of_another_layout_is_refused() -> None:
    files = bundle({"topic": {"a": [1]}}, random.Random(0))
    files["pagefind/filter/fr_0000000.pf_filter"] = gzip.compress(b"something else")
    with pytest.raises(search_bundle.BundleFormatError, match="signature"):
        search_bundle.canonical(files)


def test_the_background_indexer_indexes_the_newest_request_once(built: Path) -> None:
    calls: list[str] = []
    indexer = search.BackgroundIndexer(lambda: calls.append("ready"))
    pages = {path: built / path for path, _ in search.article_pages(built)}
    expected = search.index_site(built, key="k1")
    indexer.request("k1", pages)
    indexer.request("k1", pages)  # asked already: nothing more to do
    assert indexer.ready("k1") is None  # nothing starts before the build says its files are in
    indexer.begin()
    indexer.wait(120)
    assert indexer.ready("k1") == expected
    assert indexer.ready("k2") is None
    assert calls == ["ready"]
    indexer.request("k1", pages)  # done already
    indexer.begin()
    indexer.wait(120)
    assert calls == ["ready"]
    # a page gone before the work begins (removed by a later build) is left out
    fewer = dict(list(pages.items())[:2])
    gone, moved = built / sorted(fewer)[1], built / "moved.html"
    gone.rename(moved)
    indexer.request("k2", fewer)
    indexer.begin()
    indexer.wait(120)
    moved.rename(gone)
    index = indexer.ready("k2")
    assert index is not None and index.pages == 1 and calls == ["ready", "ready"]
    assert indexer.ready("k1") is None and indexer.failure == ""


@pytest.mark.parametrize(
    ("path", "indexed"),
    [("articles/a/index.html", True), ("articles/index.html", False), ("index.html", False),
     ("articles/a/b/index.html", False), ("topics/a/index.html", False),
     ("articles/a/feed.xml", False)],
)  # fmt: skip
def test_only_article_pages_are_indexed(path: str, indexed: bool) -> None:
    assert search.is_article(path) is indexed


def test_the_build_indexes_at_once(built: Path) -> None:
    pages = {path: built / path for path, _ in search.article_pages(built)}
    (index,) = search.Synchronous().index_all([("k", lambda: pages)])
    assert index is not None and index.files == search.index_site(built, key="k").files


def test_the_preview_serves_an_edit_at_once_and_the_index_when_ready(
    make_project: Project, tmp_path: Path
) -> None:
    from briefgen.build import build
    from briefgen.cache import Cache
    from briefgen.config import load_config

    root = make_project(
        {
            "briefgen.yaml": "title: Revue\nlanguage: fr\n",
            "content/a.md": entry(1, "fr", "Le Monde", "Diplomatie", "Alpha", "Une coopération."),
        }
    )
    ready: list[str] = []
    indexer = search.BackgroundIndexer(lambda: ready.append("ready"))
    cache, out = Cache(), tmp_path / "preview"

    def preview_build() -> tuple[str, set[str]]:
        result = build(load_config(root), out=out, cache=cache, indexing=indexer, replace=True)
        return result.kind, {p for p in result.written if p.startswith("pagefind/")}

    kind, index = preview_build()  # the site at once, no index yet
    assert kind == "reload" and index == set() and not (out / "pagefind").exists()
    indexer.wait(120)
    assert ready == ["ready"]
    kind, index = preview_build()  # the preview builds again when told: the index comes in
    assert kind == "none" and "pagefind/all/pagefind-entry.json" in index
    first = (out / "pagefind/all/pagefind-entry.json").read_bytes()
    (root / "content/b.md").write_text(
        entry(2, "fr", "Libération", "Espace", "Beta", "Une fusée."), encoding="utf-8"
    )
    kind, index = preview_build()  # the edit is served; the previous index stays meanwhile
    assert kind == "reload" and index == set()
    assert (out / "pagefind/all/pagefind-entry.json").read_bytes() == first
    indexer.wait(120)
    kind, index = preview_build()
    assert kind == "none" and "pagefind/all/pagefind-entry.json" in index
    entry_file = json.loads((out / "pagefind/all/pagefind-entry.json").read_bytes())
    assert entry_file["languages"]["fr"]["page_count"] == 2


SLOW = """#!/bin/sh
if [ -e "{gate}" ]; then touch "{gate}.started"; exec sleep 60; fi
exec "{real}" "$@"
"""


def test_a_newer_build_stops_the_run_it_no_longer_needs(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, fake = tmp_path / "slow", tmp_path / "pagefind"
    fake.write_text(SLOW.format(gate=gate, real=search.pagefind_binary()), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("BRIEFGEN_PAGEFIND", str(fake))
    gate.touch()  # the first run hangs until it is stopped
    calls: list[str] = []
    indexer = search.BackgroundIndexer(lambda: calls.append("ready"))
    pages = {path: built / path for path, _ in search.article_pages(built)}
    indexer.request("old", pages)
    indexer.begin()
    started = time.monotonic()
    while not (tmp_path / "slow.started").exists():
        assert time.monotonic() - started < 30
        time.sleep(0.05)
    gate.unlink()
    indexer.request("new", dict(list(pages.items())[:2]))  # a later build asks for other pages
    indexer.begin()
    indexer.wait(50)  # well before the stopped run's sleep would end
    assert time.monotonic() - started < 50
    assert indexer.ready("old") is None
    index = indexer.ready("new")
    assert index is not None and index.pages == 2
    assert calls == ["ready"] and indexer.failure == ""
    indexer.close()
    indexer.request("after", pages)  # a closed indexer does nothing more
    indexer.begin()
    indexer.wait(10)
    assert indexer.ready("after") is None and calls == ["ready"]
