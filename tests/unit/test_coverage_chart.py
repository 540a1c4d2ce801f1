"""Attention over time: the figures, and the SVG that draws them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta

from briefgen.coverage import analyse, summarise
from briefgen.coverage.chart import MAX_ROWS, Attention, attention, render_svg
from tests.unit.coverage_seeds import seed_docs

SVG = "{http://www.w3.org/2000/svg}"


def _svg(figures: Attention) -> str:
    return render_svg(
        figures,
        ident="att",
        title="Coverage <per day>",
        desc="5 articles",
        label=lambda d: d.isoformat(),
        bar_title=lambda outlet, d, n: f"{outlet}, {d.isoformat()}: {n}",
    )


def test_seed_figures_equal_the_articles_per_day_and_outlet() -> None:
    docs = seed_docs()
    story = summarise([analyse(doc) for doc in docs], unnamed="Unnamed outlet")
    figures = story.attention
    expected = Counter((doc.outlet or "Unnamed outlet", doc.day) for doc in docs)
    found = Counter(
        {
            (outlet, day): n
            for outlet, row in zip(figures.outlets, figures.counts, strict=True)
            for day, n in zip(figures.periods, row, strict=True)
            if n
        }
    )
    assert found == expected
    assert figures.periods[0] == date(2023, 9, 4) and figures.periods[-1] == date(2023, 9, 14)
    assert len(figures.periods) == 11 and figures.step == 1
    assert figures.outlets == ("Unnamed outlet", "Al Jazeera", "Netafrique.net")
    assert figures.total == 5 and sum(figures.totals) == 5


def test_the_svg_is_well_formed_labelled_and_draws_one_bar_per_count() -> None:
    figures = attention(
        [("A", date(2024, 5, 1)), ("A", date(2024, 5, 1)), ("B", date(2024, 5, 11))],
        unnamed="?",
        others="Others",
    )
    root = ET.fromstring(_svg(figures))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "att-title att-desc"
    assert root.find(f"{SVG}title").text == "Coverage <per day>"  # escaped, then parsed back
    assert root.find(f"{SVG}desc").text == "5 articles"
    bars = [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")]
    assert bars == ["A, 2024-05-01: 2", "B, 2024-05-11: 1"]
    assert all(r.get("fill") == "currentColor" for r in root.iter(f"{SVG}rect"))
    width = float(root.get("viewBox").split()[2])
    assert all(float(r.get("x")) + float(r.get("width")) <= width for r in root.iter(f"{SVG}rect"))
    assert "<script" not in _svg(figures) and "http" not in _svg(figures).replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_the_output_is_the_same_whatever_the_order_of_articles() -> None:
    items = [("B", date(2024, 5, 3)), ("A", date(2024, 5, 1)), (None, date(2024, 5, 2))]
    a = attention(items, unnamed="?", others="Others")
    b = attention(items[::-1], unnamed="?", others="Others")
    assert a == b and _svg(a) == _svg(b)


def test_many_outlets_share_the_last_row_and_long_stories_count_weeks() -> None:
    start = date(2024, 1, 3)  # a Wednesday
    items = [(f"Outlet {i:02}", start + timedelta(days=10 * i)) for i in range(12)]
    figures = attention(items, unnamed="?", others="Others")
    assert figures.step == 7 and figures.periods[0] == date(2024, 1, 1)
    assert len(figures.outlets) == MAX_ROWS and figures.outlets[-1] == "Others"
    assert figures.total == 12 and sum(figures.counts[-1]) == 12 - (MAX_ROWS - 1)


def test_no_articles_give_an_empty_chart() -> None:
    figures = attention([], unnamed="?", others="Others")
    assert figures.total == 0 and figures.totals == ()
    ET.fromstring(_svg(figures))
