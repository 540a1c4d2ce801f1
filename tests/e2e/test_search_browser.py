"""Search in a real browser: the seed briefing's Pagefind index, queried by headless Chromium.

The site is the seed briefing plus one English entry, built by the real CLI
for a project site (`/briefing/`) and served under that path, so every test
here also checks that search works under a base path. Every test runs again
on the same site indexed in parts, as a big briefing is.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from briefgen import search
from briefgen.build import build
from briefgen.cache import Cache
from briefgen.config import load_config
from tests.conftest import ROOT, copy_seed_project, run_cli
from tests.e2e.browser import chromium_browser, serve_folder

pytestmark = pytest.mark.e2e

PREFIX = "/briefing/"
ENGLISH = """\
---
title: "Kim's train reaches Vostochny"
date: 2023-09-13T08:00:00+00:00
source: {name: The Wire, url: "https://wire.example/train"}
lang: en
topics: [Diplomatie]
---
The armoured train stopped at the cosmodrome, where Poutine's officials waited.
"""


@pytest.fixture(scope="module", params=["whole", "parts"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site with its index in one part, and in parts of two articles (as a big
    briefing's would be), built in this process for the part size to be changed."""
    root = tmp_path_factory.mktemp("search")
    project = copy_seed_project(root / "project")
    (project / "content" / "kims-train.md").write_text(ENGLISH, encoding="utf-8")
    out = root / "www" / PREFIX.strip("/")
    base = "https://example.github.io" + PREFIX
    if request.param == "whole":
        result = run_cli("build", "--base-url", base, "--out", str(out), cwd=project)
        assert result.returncode == 0, result.stderr
        return out
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PART_LIMIT", 2)
        build(load_config(project).with_base_url(base), out=out, cache=Cache())
    parts = json.loads((out / "pagefind/parts.json").read_bytes())["parts"]
    assert parts == ["2023-09-1/", "2023-09-2/", "2023-09-3/"]
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_folder(site.parent) as url:
        yield url.rstrip("/") + PREFIX


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []


def seed_articles_with(word: str) -> set[str]:
    """The routes of the seed entries whose file holds `word`, whatever its case."""
    return {
        f"{PREFIX}articles/{path.stem.split('-', 1)[1]}/"
        for path in (ROOT / "content").rglob("*.md")
        if word.lower() in path.read_text(encoding="utf-8").lower()
    }


def results(page: Any, base_url: str, query: str, **filters: str) -> list[str]:
    """The result links of the search page for `query` (and filters given in the URL)."""
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items())
    page.goto(f"{base_url}search/?{params}")
    return shown_results(page)


def shown_results(page: Any) -> list[str]:
    page.wait_for_selector("html[data-search=ready]")
    page.wait_for_function(
        "() => !document.getElementById('search-status').textContent.endsWith('…')"
        " && (document.querySelectorAll('.search-result').length > 0"
        "     || /Aucun/.test(document.getElementById('search-status').textContent))"
    )
    links = page.locator(".search-result h2 a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


@pytest.mark.parametrize("query", ["coopération", "cooperation", "coopérations", "COOPERATIONS"])
def test_a_french_query_finds_the_seed_articles_with_or_without_accents_and_plural(
    page: Any, base_url: str, query: str
) -> None:
    expected = seed_articles_with("coopération")
    assert len(expected) >= 3
    assert set(results(page, base_url, query)) == expected
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == f"{len(expected)}\u00a0résultats pour « {query} »"


def test_a_result_shows_title_date_outlet_and_a_highlighted_excerpt(
    page: Any, base_url: str
) -> None:
    found = results(page, base_url, "cosmodrome")
    first = page.locator(".search-result").first
    assert first.locator("h2 a").inner_text()
    assert first.locator(".summary mark").count() >= 1
    assert first.locator(".summary mark").first.inner_text().lower().startswith("cosmodrome")
    metas = page.locator(".search-result .meta").all_inner_texts()
    assert "The Wire · 13 septembre 2023" in metas  # the English entry, dated in French
    assert len(found) >= 2


def test_every_language_is_searched_with_its_own_stemming(page: Any, base_url: str) -> None:
    found = results(page, base_url, "Poutine")
    english = f"{PREFIX}articles/kims-train/"
    # the English entry says "Poutine's": the English index stems it; the French ones match too
    assert english in found
    assert seed_articles_with("Poutine") <= set(found)
    item = page.locator(".search-result", has=page.locator(f'a[href="{english}"]'))
    assert item.get_attribute("lang") == "en"
    assert "train" in results(page, base_url, "trains")[0]  # English plural, English stemmer


def test_a_filter_narrows_the_results(page: Any, base_url: str) -> None:
    everything = results(page, base_url, "Poutine")
    page.select_option("#filter-outlet", "Al Jazeera")
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    narrowed = shown_results(page)
    assert narrowed == [
        f"{PREFIX}articles/le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le/"
    ]
    assert len(everything) > len(narrowed)
    assert "outlet=Al+Jazeera" in page.url
    # the language filter names languages in the site's language
    page.select_option("#filter-outlet", "")
    page.select_option("#filter-language", "anglais")
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert shown_results(page) == [f"{PREFIX}articles/kims-train/"]
    # and a filter given in the address applies on load
    assert results(page, base_url, "Poutine", topic="Espace") == sorted(
        seed_articles_with("Espace") & seed_articles_with("Poutine"),
        key=lambda route: everything.index(route),
    )


def test_the_header_box_leads_to_the_search_page_under_the_base_path(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "topics/")
    page.fill("#site-search", "coopérations")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}search/?q=*")
    assert page.input_value("#search-q") == "coopérations"
    assert set(shown_results(page)) == seed_articles_with("coopération")


def test_the_header_box_is_a_plain_form_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    page.fill("#site-search", "Kim")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}search/?q=Kim")
    assert page.locator("noscript").count() == 1
    context.close()


def test_no_match_is_announced(page: Any, base_url: str) -> None:
    assert results(page, base_url, "zzzyzzx") == []
    assert (
        page.locator("#search-status").inner_text() == "Aucun article ne correspond à « zzzyzzx »."
    )


def test_a_part_that_cannot_be_read_is_left_out_of_the_search(
    page: Any, site: Path, tmp_path: Path
) -> None:
    """A preview may list a part it is still indexing: the other parts are searched."""
    copy = tmp_path / "www" / PREFIX.strip("/")
    shutil.copytree(site, copy)
    parts = json.loads((copy / "pagefind/parts.json").read_bytes())["parts"]
    shutil.rmtree(copy / "pagefind" / parts[-1])
    kept = {  # the articles of the parts left, from their fragments ("pagefind_dcd" + JSON)
        PREFIX.rstrip("/") + json.loads(gzip.decompress(path.read_bytes())[12:])["url"]
        for part in parts[:-1]
        for path in (copy / "pagefind" / part / "fragment").glob("*.pf_fragment")
    }
    with serve_folder(copy.parent) as url:
        if kept:
            found = set(results(page, url.rstrip("/") + PREFIX, "coopération"))
            assert found == seed_articles_with("coopération") & kept
        else:  # its one part is gone: the page says the index is not ready
            page.goto(url.rstrip("/") + PREFIX + "search/?q=coopération")
            status = page.locator("#search-status")
            status.filter(has_text="pas encore prêt").wait_for()


def test_a_result_without_an_outlet_names_it_as_the_lists_do(page: Any, base_url: str) -> None:
    results(page, base_url, "Vostochny")
    metas = page.locator(".search-result .meta").all_inner_texts()
    assert any(meta.startswith("Média inconnu · ") for meta in metas)
    assert all(meta.split(" · ")[0] for meta in metas)  # never a date alone
