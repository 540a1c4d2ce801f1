"""What the theme is given of the coverage: views in the site's language, with their links.

`coverage_globals` adds two functions to the Jinja environment:

- `coverage_of(story, ident, elsewhere)`: a story's `CoverageView` (lead,
  quotes, names, chart), linked to its articles and, for each name, to the
  other stories naming it (`elsewhere`: name key -> (title, route) pairs);
- `attention_chart(figures, ident)`: a chart and its table for any `Attention`
  (the home page draws the whole briefing's).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from babel.dates import format_date

from briefgen import i18n, urls
from briefgen.config import Config
from briefgen.coverage.chart import Attention
from briefgen.coverage.view import ChartView, CoverageView, Labels, Link, chart_view, coverage_view
from briefgen.coverage_stage import Coverage
from briefgen.model import Story


def labels(config: Config, step: int = 1) -> Labels:
    """The chart's words and date formats in the site's UI language (its catalog's, or
    English), so that a line never mixes two languages."""
    lang = i18n.ui_language(config.language)
    words = i18n.translations(config.language)
    where = i18n.locale(lang)

    def day(value: date) -> str:
        text = str(format_date(value, format="d MMM", locale=where))
        return words.gettext("week of %(date)s") % {"date": text} if step == 7 else text

    def articles(n: int) -> str:
        return words.ngettext("%(num)d\u00a0article", "%(num)d\u00a0articles", n) % {"num": n}

    def outlets(n: int) -> str:
        return words.ngettext("%(num)d\u00a0outlet", "%(num)d\u00a0outlets", n) % {"num": n}

    def describe(figures: Attention) -> str:
        if not figures.total:
            return words.gettext("Nothing here yet.")
        totals = figures.totals
        peak = max(range(len(totals)), key=lambda i: (totals[i], -i))
        return words.gettext(
            "%(articles)s from %(outlets)s, %(first)s to %(last)s; "
            "busiest day %(peak)s (%(peak_count)s)."
        ) % {
            "articles": articles(figures.total),
            "outlets": outlets(len(figures.outlets)),
            "first": i18n.long_date(figures.periods[0], lang),
            "last": i18n.long_date(figures.periods[-1], lang),
            "peak": day(figures.periods[peak]),
            "peak_count": articles(totals[peak]),
        }

    return Labels(
        unnamed=i18n.unknown_source(config.language),
        chart_title=words.gettext("Articles per day by outlet"),
        chart_desc=describe,
        day=day,
        bar=lambda outlet, when, n: f"{outlet}, {day(when)} — {articles(n)}",
    )


def coverage_globals(
    config: Config, link: Callable[[str], str], coverage: Coverage | None
) -> dict[str, Any]:
    def attention_chart(figures: Attention, ident: str) -> ChartView:
        return chart_view(figures, ident, labels(config, figures.step))

    def coverage_of(
        story: Story,
        ident: str,
        elsewhere: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    ) -> CoverageView | None:
        if coverage is None or story.slug not in coverage.keys:
            return None
        members = (*story.entries, *(copy.entry for copy in story.copies))
        routes = {entry.slug: urls.article(entry) for entry in members}
        others = {
            key: [Link(title, link(route)) for title, route in stories]
            for key, stories in (elsewhere or {}).items()
        }
        found = coverage.story(story.slug)
        return coverage_view(
            found,
            ident=ident,
            entry_link=lambda key: link(routes[key]),
            labels=labels(config, found.attention.step),
            elsewhere=others,
        )

    return {"attention_chart": attention_chart, "coverage_of": coverage_of}
