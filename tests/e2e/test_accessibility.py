"""axe-core and the keyboard over one page of every kind, in light and dark, at 375 and 1440 px.

axe-core comes from npm (`.ci/install` puts it in node_modules/) and is injected
into each page by Playwright. The site is the seed briefing with the theme's
stress entries (an English one among them), so every kind of page has content.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.browser import (
    chromium_browser,
    first_route,
    serve_folder,
)
from tests.e2e.tools import build_project

pytestmark = pytest.mark.e2e

AXE_IN_NODE_MODULES = Path("node_modules/axe-core/axe.min.js")
ENGLISH = """\
---
title: "Kim's train reaches Vostochny"
date: 2023-09-13T08:00:00+00:00
source: {name: The Wire, url: "https://wire.example/train"}
lang: en
topics: [Diplomatie]
story: stress-story
---
The armoured train stopped at the cosmodrome, where Poutine's officials waited.
"""
# focusable elements in the order the keyboard should reach them
FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], input:not([type=hidden]), select, button, textarea, [tabindex]:not([tabindex="-1"])'
)].filter(el => !el.closest('[hidden]') && !el.disabled && el.getClientRects().length > 0
  || el.classList.contains('skip-link'))
  .map(el => el.outerHTML.slice(0, 160))"""


def axe_source() -> str:
    """axe.min.js: `$BRIEFGEN_AXE_JS`, else node_modules/axe-core under the repository or above."""
    named = os.environ.get("BRIEFGEN_AXE_JS")
    candidates = [Path(named)] if named else [p / AXE_IN_NODE_MODULES for p in (ROOT, ROOT.parent)]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    reason = "accessibility tests need npm's axe-core (npm install axe-core) or BRIEFGEN_AXE_JS"
    if os.environ.get("BRIEFGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BRIEFGEN_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("a11y")
    extra = {"content/kims-train.md": ENGLISH}
    return build_project(root / "project", root / "site", stress=True, extra=extra)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    """One route of each kind of page."""
    return {
        "home": "",
        "article": "articles/long/",
        "article in English": "articles/kims-train/",
        "topics": "topics/",
        "topic": "topics/diplomatie/",
        "topic, page 2": "topics/diplomatie/page/2/",
        "tag": first_route(site, "tags/*/index.html"),
        "source": first_route(site, "sources/*/index.html"),
        "timeline": "dates/",
        "year": first_route(site, "dates/[0-9]*/index.html"),
        "month": first_route(site, "dates/*/[0-9]*/index.html"),
        "day": "dates/2023/09/14/",
        "search": "search/?q=coop%C3%A9ration",
        "search, no match": "search/?q=zzzyzzx",
        "404": "404.html",
        "stories": "stories/",
        "story": first_route(site, "stories/*/index.html"),
    }


def load(page: Any, url: str) -> None:
    page.goto(url)
    if "/search/" in url:
        page.wait_for_selector("html[data-search=ready]")
        page.wait_for_function(
            "!document.getElementById('search-status').textContent.endsWith('…')"
        )


@pytest.mark.parametrize("width", [375, 1440])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_kind_of_page(
    browser: Any, base_url: str, pages: dict[str, str], scheme: str, width: int
) -> None:
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    violations: dict[str, list[str]] = {}
    checked = 0
    for kind, route in pages.items():
        load(page, base_url + route)
        page.add_script_tag(content=source)
        found = page.evaluate(
            """async () => {
              const result = await axe.run(document);
              const where = v => v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ');
              return {passes: result.passes.length,
                      violations: result.violations.map(v => `${v.id} (${v.impact}): ${where(v)}`)};
            }"""
        )
        checked += found["passes"]
        if found["violations"]:
            violations[kind] = found["violations"]
    context.close()
    assert violations == {}
    assert checked > 20 * len(pages), "axe ran too few checks to be trusted"


@pytest.mark.parametrize("kind", ["home", "article in English", "search", "day", "story"])
def test_the_keyboard_reaches_the_search_box_and_every_link_in_order(
    browser: Any, base_url: str, pages: dict[str, str], kind: str
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    load(page, base_url + pages[kind])
    expected = page.evaluate(FOCUSABLE)
    reached: list[str] = []
    unfocused: list[str] = []
    for _ in range(len(expected)):
        page.keyboard.press("Tab")
        element = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el);
              return [el.outerHTML.slice(0, 160), s.outlineStyle !== 'none'
                      && parseFloat(s.outlineWidth) >= 2]; }"""
        )
        reached.append(element[0])
        if not element[1]:
            unfocused.append(element[0])
    context.close()
    assert reached == expected
    assert unfocused == [], "focus not visible"
    search_box = 'id="search-q"' if kind == "search" else 'id="site-search"'
    assert any(search_box in html for html in reached)


def test_the_skip_link_moves_the_focus_to_the_main_content(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    load(page, base_url + "articles/kims-train/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert (
        page.evaluate("document.activeElement.lang") == "fr"
    )  # the site's words on an English page
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    context.close()
