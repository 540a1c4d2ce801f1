"""RSS 2.0 and Atom feeds: one article per item."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefgen.ingest.article import IngestError
from briefgen.ingest.feed import feed_to_articles
from briefgen.ingest.rules import build_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
PARIS = ZoneInfo("Europe/Paris")
RULES = build_rules(topics=[("Diplomatie", ("ambassadeur",)), ("Espace", ("satellite",))])


def test_rss_items_become_articles() -> None:
    articles, skipped = feed_to_articles((FIXTURES / "feed_rss.xml").read_bytes(), RULES, PARIS)
    assert skipped == []
    assert [a.title for a in articles] == [
        "Kim Jong Un quitte la Russie après six jours de visite",
        "Séoul convoque l'ambassadeur de Russie",
    ]
    first, second = articles
    assert first.date == datetime.fromisoformat("2023-09-17T14:30:00+02:00")
    assert (
        first.source_url == "https://www.courrier-est.example/monde/2023/09/17/kim-quitte-la-russie"
    )
    assert first.source_name == "Le Courrier de l'Est - International"
    assert first.authors == ("Claire Vasseur",)
    assert first.lang == "fr-FR"  # the feed's <language>fr-FR</language>
    assert (
        first.summary
        == "Le dirigeant nord-coréen a terminé sa tournée dans l'Extrême-Orient russe."
    )
    assert first.body_markdown.startswith("Le dirigeant nord-coréen **Kim Jong Un** a quitté")
    assert "\n\n> « Une nouvelle page" in first.body_markdown
    assert "[suite de notre dossier](https://www.courrier-est.example/" in first.body_markdown
    # an item with only a description: a link entry, its summary and link, no body
    assert second.summary.startswith("La Corée du Sud a convoqué vendredi")
    assert second.body_markdown == ""
    assert second.notes == (
        "the item has only a summary: imported as a link entry (summary and link)",
    )
    assert second.authors == ()
    assert second.missing == ("author",)
    assert second.topics == ("Diplomatie",)  # in the title and the text: two mentions
    assert first.topics == ()


def test_atom_entries_become_articles() -> None:
    articles, _ = feed_to_articles((FIXTURES / "feed_atom.xml").read_bytes(), RULES, PARIS)
    first, second = articles
    assert first.title == "North Korea fires ballistic missiles as Kim meets Putin"
    assert first.date == datetime.fromisoformat("2023-09-13T07:15:00+09:00")
    assert first.date.isoformat() == "2023-09-13T07:15:00+09:00"  # type: ignore[union-attr]
    assert first.lang == "en"
    assert first.source_name == "The Northern Ledger: Asia"
    assert (
        first.summary
        == "Pyongyang launched two short-range missiles while its leader was in Russia."
    )
    assert "\n\n## A first\n\n" in first.body_markdown
    assert "- Range: about 650 km\n- Launch site: near Pyongyang" in first.body_markdown
    # no <published>: the updated date; text content keeps its paragraphs
    assert second.date == datetime.fromisoformat("2023-09-13T18:20:00+00:00")
    assert second.body_markdown == (
        "The Kremlin said on Wednesday that Vladimir Putin had accepted an invitation from "
        "Kim Jong Un to visit North Korea at a convenient time.\n\n"
        "No date has been set for the trip.\n"
    )


def test_broken_feed_is_refused_with_the_parser_reason() -> None:
    with pytest.raises(IngestError, match=r"^not a valid RSS or Atom feed: .*no element found"):
        feed_to_articles((FIXTURES / "feed_broken.xml").read_bytes(), RULES, PARIS)


def test_feed_without_items_is_refused() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    with pytest.raises(IngestError, match=r"^the feed has no items$"):
        feed_to_articles(data, RULES, PARIS)


def test_item_without_text_is_skipped_and_said() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Only a title</title></item>"
        b"<item><title>Kept</title><description>Some text of the item.</description></item>"
        b"</channel></rss>"
    )
    articles, skipped = feed_to_articles(data, RULES, PARIS)
    assert [a.title for a in articles] == ["Kept"]
    assert skipped == ["item 1 skipped: it has neither a title nor any text"]


def _rss(language: str, pub_date: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<language>{language}</language>"
        "<item><title>Brief</title><link>https://wire.example/2023/brief</link>"
        f"<pubDate>{pub_date}</pubDate><description>Vostochny, 13.09.</description></item>"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("language", "lang"),
    [
        ("en_US", "en-US"),  # as some feeds write it: still a BCP 47 tag in the entry
        ("fr-fr", "fr-FR"),
        ("english", "de"),  # not a language tag: the default is used
    ],
)
def test_feed_language_is_a_bcp47_tag(language: str, lang: str) -> None:
    data = _rss(language, "Wed, 13 Sep 2023 10:00:00 +0200")
    (article,), _ = feed_to_articles(data, RULES, PARIS, default_lang="de")
    assert article.lang == lang


def test_rfc822_date_with_minus_zero_offset_is_utc() -> None:
    (article,), _ = feed_to_articles(_rss("en", "Wed, 13 Sep 2023 10:00:00 -0000"), RULES, PARIS)
    assert isinstance(article.date, datetime)
    assert article.date.isoformat() == "2023-09-13T10:00:00+00:00"


AGGREGATOR = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Science and tech picks</title>
    <link>https://picks.example/</link>
    <item>
      <title>From a source element</title>
      <link>https://unknown-paper.example/a</link>
      <source url="https://unknown-paper.example/rss">The Unknown Paper</source>
      <description>One.</description>
    </item>
    <item>
      <title>From dc:publisher</title>
      <link>https://other.example/b</link>
      <dc:publisher>Other Weekly</dc:publisher>
      <description>Two.</description>
    </item>
    <item>
      <title>From the outlet map</title>
      <link>https://www.spiegel.de/wissenschaft/c</link>
      <description>Three.</description>
    </item>
    <item>
      <title>From the host</title>
      <link>https://blog.nowhere.example/d</link>
      <description>Four.</description>
    </item>
    <item>
      <title>The feed's own article</title>
      <link>https://picks.example/e</link>
      <description>Five.</description>
    </item>
    <item>
      <title>The user's map wins</title>
      <link>https://www.dw.com/en/f</link>
      <source url="https://www.dw.com/rss">DW.COM</source>
      <description>Six.</description>
    </item>
  </channel>
</rss>
"""


def test_an_items_outlet_is_its_own_not_the_feeds_title() -> None:
    rules = build_rules(sources=[("dw.com", "Deutsche Welle")])
    articles, _ = feed_to_articles(AGGREGATOR.encode(), rules, PARIS)
    assert [a.source_name for a in articles] == [
        "The Unknown Paper",
        "Other Weekly",
        "Der Spiegel",
        "blog.nowhere.example",
        "Science and tech picks",
        "Deutsche Welle",
    ]
    # summary-only items: link entries, no "summary missing" later
    assert all(a.body_markdown == "" and a.summary for a in articles)


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Le Courrier de l'Est",
    "home_page_url": "https://www.courrier-est.example/",
    "language": "fr",
    "items": [
        {
            "id": "1",
            "url": "https://www.courrier-est.example/2023/09/17/kim",
            "title": "Kim Jong Un quitte la Russie",
            "content_html": "<p>Le dirigeant <b>nord-coréen</b> a quitté la Russie dimanche.</p>",
            "summary": "Fin de la visite.",
            "date_published": "2023-09-17T14:30:00+02:00",
            "authors": [{"name": "Claire Vasseur"}],
        },
        {
            "id": "2",
            "url": "https://www.courrier-est.example/2023/09/18/seoul",
            "title": "Séoul réagit",
            "summary": "La Corée du Sud a convoqué l'ambassadeur.",
            "date_published": "2023-09-18T09:00:00+02:00",
        },
    ],
}


def test_json_feed_items_become_articles() -> None:
    import json

    articles, skipped = feed_to_articles(json.dumps(JSON_FEED).encode(), RULES, PARIS)
    assert skipped == []
    first, second = articles
    assert first.title == "Kim Jong Un quitte la Russie"
    assert first.body_markdown == "Le dirigeant **nord-coréen** a quitté la Russie dimanche.\n"
    assert first.summary == "Fin de la visite."
    assert first.authors == ("Claire Vasseur",)
    assert first.date == datetime.fromisoformat("2023-09-17T14:30:00+02:00")
    assert first.source_name == "Le Courrier de l'Est"  # the feed is the outlet's own
    assert first.lang == "fr"
    assert second.body_markdown == ""
    assert second.summary == "La Corée du Sud a convoqué l'ambassadeur."
    assert second.source_url == "https://www.courrier-est.example/2023/09/18/seoul"
