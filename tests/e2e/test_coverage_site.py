"""What the coverage says, on the built seed site: the story page and the home page, in Chromium."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen import i18n
from tests.e2e.browser import chromium_browser, serve_folder
from tests.e2e.tools import build_project

pytestmark = pytest.mark.e2e

SEED_STORY = "stories/le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("coverage-site")
    return build_project(root / "project", root / "site")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


def open_page(browser: Any, url: str, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    return page


TABLE = """() => {
  const table = document.querySelector('.attention-table');
  const days = [...table.querySelectorAll('thead time')].map(t => t.getAttribute('datetime'));
  return [...table.querySelectorAll('tbody tr')].map(row => [
    row.querySelector('th').textContent.trim(),
    [...row.querySelectorAll('td')].map(td => Number(td.textContent)),
    days,
  ]);
}"""

TIMELINE = """() => [...document.querySelectorAll('.coverage-item')].map(item => [
  item.querySelector('.item-source').textContent.trim(),
  item.querySelector('time').getAttribute('datetime').slice(0, 10),
])"""


def test_the_story_chart_table_counts_the_articles_of_its_timeline(
    browser: Any, base_url: str
) -> None:
    page = open_page(browser, base_url + SEED_STORY)
    counted: Counter[tuple[str, str]] = Counter()
    for outlet, counts, days in page.evaluate(TABLE):
        *per_day, total = counts
        assert sum(per_day) == total
        for day, n in zip(days, per_day, strict=True):
            if n:
                counted[(outlet, day)] = n
    # an entry without an outlet is "Média inconnu" in the timeline and the chart alike
    listed = Counter((outlet, day) for outlet, day in page.evaluate(TIMELINE))
    assert counted == listed
    assert sum(listed.values()) == 5


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_chart_is_drawn_in_the_theme_colours(browser: Any, base_url: str, scheme: str) -> None:
    page = open_page(browser, base_url + SEED_STORY, scheme)
    colours = page.evaluate(
        """() => {
          const bar = document.querySelector('svg.attention .attention-bar');
          const label = document.querySelector('svg.attention .attention-label');
          return [getComputedStyle(bar).fill, getComputedStyle(label).fill,
                  getComputedStyle(document.body).backgroundColor];
        }"""
    )
    bar, label, background = colours
    assert bar != background and label != background
    box = page.locator("svg.attention").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 40


def test_the_story_page_leads_with_sentences_that_link_to_their_articles(
    browser: Any, base_url: str
) -> None:
    page = open_page(browser, base_url + SEED_STORY)
    links = page.evaluate(
        "() => [...document.querySelectorAll('.story-lead .lead-source')].map(a => a.href)"
    )
    assert 2 <= len(links) <= 4
    for href in links:
        assert open_page(browser, href).locator("h1").count() == 1


def test_an_article_without_an_outlet_is_named_alike_in_the_lead_the_chart_and_the_lists(
    site: Path,
) -> None:
    story = (site / SEED_STORY / "index.html").read_text(encoding="utf-8")
    name = i18n.unknown_source("fr")
    assert name == "Média inconnu"
    assert f'">{name}</a> <span class="lead-sentence">' in story  # a lead sentence's source
    assert f'<text class="attention-label" x="0" y="16" fill="currentColor">{name}</text>' in story
    assert "non précisé" not in story
    sources = (site / "sources" / "index.html").read_text(encoding="utf-8")
    assert f">{name}</a>" in sources
