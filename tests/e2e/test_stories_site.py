"""Stories on the built site: the real `briefgen build` on the seeds and other real news."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_seed_project, run_cli

OTHERS = ROOT / "tests" / "fixtures" / "stories"
SEED_STORY = "le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le"
ATOM = "{http://www.w3.org/2005/Atom}"
QUAKE = "2023-09-09-seisme-maroc-296-morts.md"


def news_project(root: Path) -> Path:
    """The seed briefing with the articles on three other events of the same week."""
    project = copy_seed_project(root)
    folder = project / "content" / "2023" / "09"
    for path in OTHERS.glob("2023-*.md"):
        shutil.copy2(path, folder / path.name.removeprefix("2023-09-"))
    return project


def build(project: Path) -> Path:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(news_project(tmp_path_factory.mktemp("stories") / "project"))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_stories_page_lists_every_story_most_recent_first(site: Path) -> None:
    page = text(site / "stories" / "index.html")
    slugs = [SEED_STORY, "libye-derna-2000-morts", "g20-union-africaine", "seisme-maroc-296-morts"]
    places = [page.index(f'href="/stories/{slug}/"') for slug in slugs]
    assert places == sorted(places)
    assert page.count('class="item story-item"') == 4


def test_a_story_page_shows_its_outlets_and_timeline(site: Path) -> None:
    page = text(site / "stories" / SEED_STORY / "index.html")
    assert "<h1>" in page
    for outlet in ("Al Jazeera", "Netafrique.net"):
        assert f">{outlet}</a>" in page
    timeline = page[page.index('<ol class="coverage">') :]
    articles = [
        "le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le",
        "kim-jong-un-a-affirme-le-mercredi-13-septembre-2023-qu-il",
        "les-questions-sensibles-discutees-par-poutine-et-le",
        "kim-s-aligne-sur-la-guerre-sainte-de-poutine",
        "la-russie-et-la-coree-du-nord-envisagent-une-cooperation",
    ]
    places = [timeline.index(f'href="/articles/{slug}/"') for slug in articles]
    assert places == sorted(places)  # oldest first
    assert timeline.count('<time datetime="2023-09-') >= 5


def test_a_story_has_a_feed_and_a_json_export(site: Path) -> None:
    folder = site / "stories" / "libye-derna-2000-morts"
    feed = ET.parse(folder / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 3
    data = json.loads(text(folder / "story.json"))
    assert data["slug"] == "libye-derna-2000-morts"
    assert data["url"] == "http://127.0.0.1:8000/stories/libye-derna-2000-morts/"
    assert data["outlets"] == ["Radio M", "Altermidi", "DH"]
    first = data["entries"][0]
    assert first == {
        "id": "libye-derna-2000-morts",
        "title": "Inondations en Libye : plus de 2 000 morts à Derna selon les autorités de l'Est",
        "date": "2023-09-11T20:00:00+02:00",
        "updated": None,
        "outlet": "Radio M",
        "url": "http://127.0.0.1:8000/articles/libye-derna-2000-morts/",
        "original": "https://radiom-dz.net/inondations-en-libye-plus-de-2000-morts-a-derna-selon-les-autorites-de-lest",
        "copy_of": None,
    }
    assert sorted(titles) == sorted(e["title"] for e in data["entries"])


def test_the_home_page_leads_with_the_stories(site: Path) -> None:
    page = text(site / "index.html")
    assert page.index('class="item story-item"') < page.index('id="latest-title"')
    assert f'href="/stories/{SEED_STORY}/"' in page


def test_an_article_shows_its_story_and_the_rest_of_its_coverage(site: Path) -> None:
    page = text(site / "articles" / "g20-cloture-delhi" / "index.html")
    start = page.index('<section class="related"')
    aside = page[start : page.index("</section>", start)]
    assert 'href="/stories/g20-union-africaine/"' in aside
    assert 'href="/articles/g20-union-africaine/"' in aside
    assert 'href="/articles/g20-declaration-finale/"' in aside
    assert 'href="/articles/g20-cloture-delhi/"' not in aside


def test_an_article_alone_gets_no_story_page(tmp_path: Path) -> None:
    project = copy_seed_project(tmp_path / "project")
    shutil.copy2(OTHERS / QUAKE, project / "content" / "2023" / "09" / "seisme.md")
    site = build(project)
    assert not (site / "stories" / "seisme").exists()
    assert "seisme" not in text(site / "stories" / "index.html")
    assert 'class="related"' not in text(site / "articles" / "seisme" / "index.html")


def test_an_editors_page_renames_a_story_and_leads_it(tmp_path: Path) -> None:
    project = news_project(tmp_path / "project")
    notes = project / "content" / "stories"
    notes.mkdir()
    (notes / f"{SEED_STORY}.md").write_text(
        '---\ntitle: "Le sommet de Vostochny"\n---\nPoutine reçoit Kim au *cosmodrome*.\n',
        encoding="utf-8",
    )
    (notes / "inconnue.md").write_text("---\ntitle: X\n---\nTexte.\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        "content/stories/inconnue.md:1: warning: no story of several articles has the slug "
        "'inconnue' (expected the name of a story page under /stories/, or `story: inconnue` "
        "in some entries)"
    ) in result.stderr
    page = text(project / "site" / "stories" / SEED_STORY / "index.html")
    assert "<h1>Le sommet de Vostochny</h1>" in page
    assert page.index("<em>cosmodrome</em>") < page.index('<ol class="coverage">')
    assert page.count('<li class="coverage-item">') == 5  # the note moves no entry
    assert not (project / "site" / "articles" / "inconnue").exists()


def test_a_syndicated_copy_is_also_published_by(tmp_path: Path) -> None:
    project = news_project(tmp_path / "project")
    original = (OTHERS / QUAKE).read_text(encoding="utf-8")
    copy = (
        original.replace('name: "franceinfo"', 'name: "Le Relais"')
        .replace("2023-09-09T06:10:00+02:00", "2023-09-09T08:40:00+02:00")
        .replace("francetvinfo.fr/monde", "relais.example/monde")
    )
    (project / "content" / "2023" / "09" / "relais-seisme.md").write_text(
        copy + "\n(Avec AFP)\n", encoding="utf-8"
    )
    site = build(project)
    page = text(site / "stories" / "seisme-maroc-296-morts" / "index.html")
    assert page.count('<li class="coverage-item">') == 3
    assert 'Également publié par <a href="/articles/relais-seisme/">Le Relais</a>' in page
    data = json.loads(text(site / "stories" / "seisme-maroc-296-morts" / "story.json"))
    copies = [e for e in data["entries"] if e["copy_of"]]
    assert [(e["id"], e["copy_of"]) for e in copies] == [
        ("relais-seisme", "seisme-maroc-296-morts")
    ]


def test_a_broken_editors_page_says_what_it_expects(tmp_path: Path) -> None:
    project = news_project(tmp_path / "project")
    notes = project / "content" / "stories"
    notes.mkdir()
    (notes / f"{SEED_STORY}.md").write_text(
        "---\ntitle: [a, b]\ntitel: Sommet\n---\nTexte.\n", encoding="utf-8"
    )
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    shown = f"content/stories/{SEED_STORY}.md"
    assert f"{shown}:2: error: title: expected a non-empty string, got a list" in result.stderr
    assert (
        f"{shown}:3: error: titel: unknown key (expected `title:` and the story's text below "
        "the front matter)"
    ) in result.stderr


def test_a_long_story_is_split_into_pages_and_its_articles_name_the_whole_count(
    tmp_path: Path,
) -> None:
    project = copy_seed_project(tmp_path / "project")
    with (project / "briefgen.yaml").open("a", encoding="utf-8") as handle:
        handle.write("paginate: 2\n")
    site = build(project)
    folder = site / "stories" / SEED_STORY
    first, second, third = (
        text(folder / "index.html"),
        text(folder / "page" / "2" / "index.html"),
        text(folder / "page" / "3" / "index.html"),
    )
    assert not (folder / "page" / "4").exists()
    for page, shown in ((first, 2), (second, 2), (third, 1)):
        assert page.count('<li class="coverage-item">') == shown
        assert "Page " in page and " / 3<" in page
    # the coverage (outlets, chart, quotes) leads the first page only
    assert 'id="outlets-title"' in first and 'id="outlets-title"' not in second
    assert f'href="/stories/{SEED_STORY}/page/2/"' in first
    assert "Articles suivants" in first and "Articles précédents" in second  # the seeds are fr
    assert f'href="/stories/{SEED_STORY}/"' in second and "(Page 2)" in second
    # every article of the story is still on one of its pages
    listed = "".join((first, second, third))
    for entry in json.loads(text(folder / "story.json"))["entries"]:
        assert f'href="/articles/{entry["id"]}/"' in listed or entry["copy_of"]
    article = text(site / "articles" / SEED_STORY / "index.html")
    related = article[article.index('id="related-title"') :]
    assert '<span class="count">4\u00a0articles</span>' in related[:400]
