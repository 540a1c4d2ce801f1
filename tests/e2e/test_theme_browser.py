"""The default theme in a real browser: layout at 375 and 1440 px, accessibility, dark, print.

Headless Chromium (Debian's package, driven by Playwright) opens the seed
briefing with a few entries that stress the theme, served on 127.0.0.1.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import (
    chromium_browser,
    first_route,
    serve_folder,
)
from tests.e2e.tools import build_project

pytestmark = pytest.mark.e2e

WIDTHS = (375, 1440)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("theme-browser")
    return build_project(root / "project", root / "site", stress=True)


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
        "article": first_route(site, "articles/*/index.html"),
        "article with story": "articles/long/",
        "stories": "stories/",
        "story": "stories/stress-story/",
        "topics": "topics/",
        "topic": "topics/diplomatie/",
        "tag": first_route(site, "tags/*/index.html"),
        "source": first_route(site, "sources/*/index.html"),
        "timeline": "dates/",
        "year": first_route(site, "dates/[0-9]*/index.html"),
        "month": first_route(site, "dates/*/[0-9]*/index.html"),
        "day": "dates/2023/09/14/",
        "404": "404.html",
    }


def open_page(browser: Any, url: str, width: int = 1440, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(
    browser: Any, base_url: str, pages: dict[str, str], width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    too_wide = {}
    for kind, route in pages.items():
        page.goto(base_url + route)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[kind] = scroll_width
    context.close()
    assert too_wide == {}, f"pages wider than {width}px"


def test_the_stress_article_shows_what_the_theme_must_wrap(browser: Any, base_url: str) -> None:
    """The overflow test above is not vacuous: the long URL, table and code are on the page."""
    page = open_page(browser, base_url + "articles/long/", 375)
    assert page.locator(".body table").count() == 1
    assert page.locator(".body pre").count() == 1
    assert "Anticonstitutionnellement" in page.inner_text("main")
    page.context.close()


def test_skip_link_is_the_first_stop_and_visible_on_focus(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url, 375)
    link = page.locator(".skip-link")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 0, "visible before it has the focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 0
    assert page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement).borderStyle !== 'none'"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def test_focused_links_show_an_outline(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the skip link: the site title
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert style[0] == "A" and style[1] != "none" and style[2] >= 2, style
    page.context.close()


def test_landmarks_headings_and_images(browser: Any, base_url: str, pages: dict[str, str]) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: dict[str, str] = {}
    images = 0
    for kind, route in pages.items():
        page.goto(base_url + route)
        found = page.evaluate(
            """() => ({
              main: document.querySelectorAll('main').length,
              banner: document.querySelectorAll('body > header').length,
              footer: document.querySelectorAll('body > footer').length,
              nav: document.querySelectorAll('nav[aria-label]').length,
              headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
                .map(h => Number(h.tagName[1])),
              images: document.querySelectorAll('img').length,
              noAlt: [...document.querySelectorAll('img')]
                .filter(i => !i.hasAttribute('alt')).map(i => i.src),
            })"""
        )
        images += found["images"]
        levels = found["headings"]
        skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        if (found["main"], found["banner"], found["footer"]) != (1, 1, 1) or found["nav"] < 1:
            problems[kind] = f"landmarks {found}"
        elif levels.count(1) != 1 or levels[0] != 1:
            problems[kind] = f"not one h1 first: {levels}"
        elif skips:
            problems[kind] = f"heading levels skip: {levels}"
        elif found["noAlt"]:
            problems[kind] = f"img without alt: {found['noAlt']}"
    context.close()
    assert problems == {}
    assert images >= 1, "no image was checked"


CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.bottom < 0 || getComputedStyle(el).visibility === 'hidden'
        || el.closest('.visually-hidden, .skip-link')) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([el.tagName + '.' + el.className, ratio.toFixed(2)]);
  }
  return worst;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_aa(
    browser: Any, base_url: str, pages: dict[str, str], scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    low = {}
    for kind in ("home", "article with story", "story", "timeline", "day"):
        page.goto(base_url + pages[kind])
        if found := page.evaluate(CONTRAST):
            low[kind] = found
    context.close()
    assert low == {}, "text under 4.5:1"


def test_dark_scheme_changes_the_colours(browser: Any, base_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(browser, base_url, color_scheme=scheme)
        colours[scheme] = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        page.context.close()
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][1] != colours["dark"][1]


def test_print_hides_the_navigation_and_keeps_the_article(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + "articles/long/")
    assert page.locator(".site-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".skip-link").is_visible()
    assert page.locator("main h1").is_visible()
    assert page.locator(".body").is_visible()
    # the original's address is printed, since a printed link cannot be followed
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.original-end .original'), '::after').content"
    )
    assert "example.org" in after
    page.context.close()


def test_pages_load_nothing_from_another_host(
    browser: Any, base_url: str, pages: dict[str, str]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for route in pages.values():
        page.goto(base_url + route)
    context.close()
    foreign = [url for url in requested if not url.startswith(base_url)]
    assert foreign == []
    assert any(url.endswith("/assets/style.css") for url in requested)


# Every « with the word after it, every » with the word before it: on one line each.
GUILLEMETS_BROKEN = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== "«" && text[i] !== "»") continue;
      let start = i, end = i + 1;
      if (text[i] === "«") { while (end < text.length && /\\s/.test(text[end])) end++;
                             while (end < text.length && !/\\s/.test(text[end])) end++; }
      else { while (start > 0 && /\\s/.test(text[start - 1])) start--;
             while (start > 0 && !/\\s/.test(text[start - 1])) start--; }
      const range = document.createRange();
      range.setStart(node, start); range.setEnd(node, end);
      const tops = [...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.bottom));
      if (new Set(tops).size > 1) broken.push(text.slice(start, end));
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width", (320, 375, 414))
def test_guillemets_stay_with_their_words(browser: Any, base_url: str, width: int) -> None:
    seen = 0
    for route in ("", "dates/", "articles/kim-s-aligne-sur-la-guerre-sainte-de-poutine/"):
        page = open_page(browser, base_url + route, width)
        seen += page.evaluate("document.querySelector('main').textContent.split('«').length - 1")
        assert page.evaluate(GUILLEMETS_BROKEN) == [], route
        page.context.close()
    assert seen > 10  # the seed has guillemets to test


def test_page_furniture_clears_the_header_and_footer_rules(
    browser: Any, base_url: str, pages: dict[str, str]
) -> None:
    for width in WIDTHS:
        for kind, route in pages.items():
            page = open_page(browser, base_url + route, width)
            gaps = page.evaluate(
                """() => {
                  const main = document.querySelector("main");
                  const header = document.querySelector(".site-header").getBoundingClientRect();
                  const footer = document.querySelector(".site-footer").getBoundingClientRect();
                  const first = main.firstElementChild.getBoundingClientRect();
                  const last = main.lastElementChild.getBoundingClientRect();
                  return [first.top - header.bottom, footer.top - last.bottom];
                }"""
            )
            assert gaps[0] >= 16 and gaps[1] >= 24, (kind, width, gaps)
            page.context.close()


def test_an_unknown_outlet_is_shown_quietly_and_leads_to_its_group(
    browser: Any, base_url: str
) -> None:
    page = open_page(browser, base_url)
    style = page.evaluate(
        """() => {
          const style = (selector) => getComputedStyle(document.querySelector(selector));
          const unknown = style(".item .outlet-unknown");
          const known = style(".item .outlet:not(.outlet-unknown)");
          return [unknown.textTransform, unknown.fontWeight, unknown.color === known.color];
        }"""
    )
    assert style == ["none", "400", False]
    page.click(".item .outlet-unknown")
    assert page.url.endswith("/sources/unknown/")
    assert page.locator("h1").inner_text() == "Média inconnu"
    page.context.close()


def test_print_puts_the_outlet_and_original_url_at_the_top(browser: Any, base_url: str) -> None:
    page = open_page(browser, base_url + "articles/long/")
    assert not page.locator(".print-source").is_visible()
    page.emulate_media(media="print")
    source = page.locator(".print-source")
    assert source.is_visible()
    assert "https://example.org/articles/un-tres-long-chemin" in source.inner_text()
    top = page.evaluate("document.querySelector('.print-source').getBoundingClientRect().top")
    body = page.evaluate("document.querySelector('.entry .body').getBoundingClientRect().top")
    assert top < body
    page.context.close()
