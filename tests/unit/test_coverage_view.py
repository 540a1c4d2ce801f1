"""The story page's view of its coverage: links, ranking and the chart's table."""

from __future__ import annotations

from briefgen.coverage import analyse, summarise
from briefgen.coverage.quotes import Carrier, StoryQuote
from briefgen.coverage.view import Labels, Link, coverage_view, ranked_quotes
from tests.unit.coverage_seeds import seed_docs

LABELS = Labels(
    unnamed="Unnamed outlet",
    chart_title="Articles per day",
    chart_desc=lambda figures: f"{figures.total} articles",
    day=lambda d: d.strftime("%d/%m"),
    bar=lambda outlet, d, n: f"{outlet} {d}: {n}",
)


def test_the_seed_view_links_lead_and_quotes_to_entry_pages_and_names_to_other_stories() -> None:
    docs = {doc.key: doc for doc in seed_docs()}
    story = summarise([analyse(doc) for doc in docs.values()], unnamed="Unnamed outlet")
    view = coverage_view(
        story,
        ident="s",
        entry_link=lambda key: f"/articles/{key}/",
        labels=LABELS,
        elsewhere={"vostochny": [Link("Another story", "/stories/other/")]},
    )
    assert view.lead
    for item in view.lead:
        doc = docs[item.entry.href.split("/")[2]]
        assert item.entry.label == (doc.outlet or "Unnamed outlet")
        assert any(item.text in p for p in doc.paragraphs)
    places = dict(view.names)["place"]
    assert [n.elsewhere for n in places if n.name == "Vostochny"] == [
        (Link("Another story", "/stories/other/"),)
    ]
    first = view.quotes[0]
    assert first.text.startswith("La Russie respecte") and len(first.carriers) == 2
    assert [row[2] for row in view.chart.rows] == [3, 1, 1] and view.chart.total == 5
    assert view.chart.columns[0] == ("2023-09-04", "04/09")


def test_quotes_rank_by_carriers_then_speaker_then_length() -> None:
    a, b = Carrier("a", "A"), Carrier("b", "B")
    quotes = [
        StoryQuote("scare", None, (a,)),
        StoryQuote("a full sentence without speaker", None, (a,)),
        StoryQuote("one", "X", (a,)),
        StoryQuote("carried twice", None, (a, b)),
    ]
    ranked = [q.text for q in ranked_quotes(quotes)]
    assert ranked == ["carried twice", "one", "a full sentence without speaker", "scare"]


def test_a_story_without_entries_has_an_empty_view() -> None:
    view = coverage_view(summarise([]), ident="e", entry_link=lambda key: key, labels=LABELS)
    assert view.chart.rows == () and view.chart.total == 0
    assert view.lead == () and view.quotes == () and view.names == ()
