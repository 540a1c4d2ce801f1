"""Attention over time: articles per day by outlet, as figures and as a small inline SVG.

The SVG has one row per outlet (the busiest first, the rest summed into one
row) and one column per day from the first article to the last, so no colour
has to tell outlets apart: bars take `currentColor` and the theme's custom
properties (`--accent`, `--line`) through classes, which follow the light,
dark and print styles. It carries `role="img"`, a `<title>` and a `<desc>`
named by `aria-labelledby`; the same figures go in a table for screen readers.
The output is a pure function of its inputs: the same coverage, the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

MAX_ROWS = 6  # outlets drawn one by one; the others share the last row
MAX_COLUMNS = 62  # beyond this many days, columns are weeks
LABEL_WIDTH, BAR_MAX, PLOT_WIDTH = 150, 24, 420
ROW_HEIGHT, AXIS_HEIGHT, PAD = 22, 20, 4
LABEL_CHARS = 22


@dataclass(frozen=True, slots=True)
class Attention:
    """Counts of articles per outlet (rows) and per period (columns)."""

    periods: tuple[date, ...]  # the first day of each column
    step: int  # days per column: 1, or 7 for weeks starting on Mondays
    outlets: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[row][column]

    @property
    def totals(self) -> tuple[int, ...]:
        return (
            tuple(sum(column) for column in zip(*self.counts, strict=True)) if self.counts else ()
        )

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def attention(items: Sequence[tuple[str | None, date]], *, unnamed: str, others: str) -> Attention:
    """(outlet, day) per article -> the figures; `unnamed` labels articles with no outlet."""
    if not items:
        return Attention((), 1, (), ())
    first = min(day for _, day in items)
    last = max(day for _, day in items)
    step = 1 if (last - first).days < MAX_COLUMNS else 7
    if step == 7:
        first -= timedelta(days=first.weekday())
    columns = (last - first).days // step + 1
    per_outlet: dict[str, list[int]] = {}
    for outlet, day in items:
        row = per_outlet.setdefault(outlet or unnamed, [0] * columns)
        row[(day - first).days // step] += 1
    ranked = sorted(per_outlet, key=lambda name: (-sum(per_outlet[name]), name))
    if len(ranked) > MAX_ROWS:
        kept, rest = ranked[: MAX_ROWS - 1], ranked[MAX_ROWS - 1 :]
        summed = [sum(per_outlet[name][c] for name in rest) for c in range(columns)]
        rows = [(name, per_outlet[name]) for name in kept] + [(others, summed)]
    else:
        rows = [(name, per_outlet[name]) for name in ranked]
    periods = tuple(first + timedelta(days=step * c) for c in range(columns))
    return Attention(periods, step, tuple(n for n, _ in rows), tuple(tuple(r) for _, r in rows))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def render_svg(
    figures: Attention,
    *,
    ident: str,
    title: str,
    desc: str,
    label: Callable[[date], str],
    bar_title: Callable[[str, date, int], str],
) -> str:
    """The chart as an inline `<svg>` element; `ident` must be unique in the page."""
    columns = max(1, len(figures.periods))
    column = max(4, PLOT_WIDTH // columns)
    bar_width = max(2, min(BAR_MAX, column - 2))
    width = LABEL_WIDTH + column * columns + PAD
    height = ROW_HEIGHT * len(figures.outlets) + AXIS_HEIGHT + PAD
    peak = max((max(row) for row in figures.counts if row), default=1) or 1
    out = [
        f'<svg class="attention" role="img" aria-labelledby="{ident}-title {ident}-desc"'
        f' viewBox="0 0 {width} {height}"'
        f' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for r, (outlet, row) in enumerate(zip(figures.outlets, figures.counts, strict=True)):
        top = r * ROW_HEIGHT
        base = top + ROW_HEIGHT - 3
        out.append(
            f'<text class="attention-label" x="0" y="{base - 3}" fill="currentColor">'
            f"{escape(_short(outlet))}</text>"
        )
        out.append(
            f'<line class="attention-rule" x1="{LABEL_WIDTH}" x2="{width - PAD}"'
            f' y1="{base}" y2="{base}" stroke="currentColor" stroke-opacity="0.3"/>'
        )
        for c, count in enumerate(row):
            if not count:
                continue
            bar = max(2, round((ROW_HEIGHT - 6) * count / peak))
            x = LABEL_WIDTH + c * column + (column - bar_width) // 2
            out.append(
                f'<rect class="attention-bar" x="{x}" y="{base - bar}" width="{bar_width}"'
                f' height="{bar}" fill="currentColor">'
                f"<title>{escape(bar_title(outlet, figures.periods[c], count))}</title></rect>"
            )
    out.extend(_axis(figures, column, height, label))
    out.append("</svg>")
    return "".join(out)


def _axis(figures: Attention, column: int, height: int, label: Callable[[date], str]) -> list[str]:
    """Labels under the first and the last column (and the middle one when there is room)."""
    if not figures.periods:
        return []
    last = len(figures.periods) - 1
    marks = sorted({0, last} | ({last // 2} if last >= 4 else set()))
    out = []
    for c in marks:
        x = LABEL_WIDTH + c * column + column // 2
        anchor = "start" if c == 0 and last else "end" if c == last and last else "middle"
        if anchor == "start":
            x = LABEL_WIDTH + c * column
        elif anchor == "end":
            x = LABEL_WIDTH + (c + 1) * column
        out.append(
            f'<text class="attention-axis" x="{x}" y="{height - PAD - 2}" text-anchor="{anchor}"'
            f' fill="currentColor">{escape(label(figures.periods[c]))}</text>'
        )
    return out
