"""What the seed briefing's pages tell a reader, read from the built HTML.

The timeline's headlines and gaps, an article's context, the unknown outlet's
place, tag pages and their feeds, and French spacing in the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.e2e

NBSP, NNBSP = "\u00a0", "\u202f"
ALIGNE = "articles/kim-s-aligne-sur-la-guerre-sainte-de-poutine/index.html"


class Text(HTMLParser):
    """The text of a page's <main>, tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def main_text(page: Path) -> str:
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def test_the_timeline_shows_headlines_day_by_day_and_the_gaps(seed_site: Path) -> None:
    html = (seed_site / "dates/index.html").read_text(encoding="utf-8")
    assert html.count("<details open>") == 3  # three days with articles
    for article in sorted((seed_site / "articles").iterdir()):
        assert f'href="/articles/{article.name}/"' in html
    assert f"8{NBSP}jours sans article" in main_text(seed_site / "dates/index.html")


def test_a_long_briefing_has_its_timeline_collapsed(tmp_path: Path) -> None:
    project = tmp_path / "long"
    (project / "content").mkdir(parents=True)
    (project / "briefgen.yaml").write_text("language: en\n", encoding="utf-8")
    for number in range(41):
        (project / f"content/e{number}.md").write_text(
            f"---\ntitle: Entry {number}\ndate: 2023-09-{1 + number % 28:02d}\n"
            "source: {name: Desk, url: 'https://desk.example/x'}\n---\nBody.\n",
            encoding="utf-8",
        )
    assert run_cli("build", cwd=project).returncode == 0
    html = (project / "site/dates/index.html").read_text(encoding="utf-8")
    assert "<details open>" not in html
    assert html.count("<details>") == 28


def test_an_article_shows_its_day_its_topics_and_its_neighbours_in_time(seed_site: Path) -> None:
    text = main_text(seed_site / ALIGNE)
    html = (seed_site / ALIGNE).read_text(encoding="utf-8")
    assert "Le même jour" in text
    assert 'href="/articles/les-questions-sensibles-discutees-par-poutine-et-le/"' in html
    assert re.search(r'rel="prev" href="/articles/kim-jong-un-a-affirme-[^"]*"', html)
    assert re.search(r'rel="next" href="/articles/la-russie-et-la-coree-du-nord-[^"]*"', html)
    assert 'href="/topics/sanctions/"' in html
    # no original link: the byline says so; times in the site's zone, named
    assert "pas de lien vers l’article original" in text
    assert f"Publié le 13 septembre 2023, 22:20{NBSP}UTC+2" in text


def test_unknown_outlets_have_a_group_and_are_counted_apart(seed_site: Path) -> None:
    home = main_text(seed_site / "index.html")
    assert f"2{NBSP}médias" in home
    assert f"3{NBSP}articles de média inconnu" in home
    sources = (seed_site / "sources/index.html").read_text(encoding="utf-8")
    assert 'href="/sources/unknown/">Média inconnu</a>' in sources
    group = (seed_site / "sources/unknown/index.html").read_text(encoding="utf-8")
    assert group.count('class="item-title"') == 3


def test_a_card_does_not_repeat_its_headline(seed_site: Path) -> None:
    html = (seed_site / "index.html").read_text(encoding="utf-8")
    card = html.split("le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le/", 1)[1]
    card = card.split("</article>", 1)[0]
    assert 'class="summary"' not in card  # its summary is its headline


def test_a_tag_page_names_its_kind_and_has_a_feed(seed_site: Path) -> None:
    html = (seed_site / "tags/kim-jong-un/index.html").read_text(encoding="utf-8")
    assert '<p class="label">Mot-clé</p>' in html
    assert 'type="application/atom+xml"' in html and 'href="/tags/kim-jong-un/feed.xml"' in html
    feed = (seed_site / "tags/kim-jong-un/feed.xml").read_text(encoding="utf-8")
    assert "<title>Sommet Poutine–Kim, Vostochny 2023 — Kim Jong Un</title>" in feed


def test_french_text_keeps_guillemets_and_marks_with_their_words(seed_site: Path) -> None:
    text = main_text(seed_site / ALIGNE)
    assert f"«{NBSP}guerre sainte{NBSP}»" in text
    assert f"Vostochny{NNBSP}?" in text
    assert "« " not in text and " »" not in text and " ?" not in text


def test_a_gap_across_months_is_shown_too(tmp_path: Path) -> None:
    project = tmp_path / "gap"
    (project / "content").mkdir(parents=True)
    (project / "briefgen.yaml").write_text("language: en\n", encoding="utf-8")
    for day in ("2023-08-30", "2023-09-12", "2023-09-14"):
        (project / f"content/{day}.md").write_text(
            f"---\ntitle: On {day}\ndate: {day}\n"
            "source: {name: Desk, url: 'https://desk.example/x'}\n---\nBody.\n",
            encoding="utf-8",
        )
    assert run_cli("build", cwd=project).returncode == 0
    text = main_text(project / "site/dates/index.html")
    assert f"1{NBSP}day without articles" in text
    assert f"12{NBSP}days without articles" in text
    assert f"12{NBSP}days without articles" in main_text(project / "site/dates/2023/index.html")
