"""How well `briefgen import` reads real news pages, against trafilatura alone.

Runs both on every page of `../shared/devdata/readability-pages/` (Mozilla
Readability's test pages: `source.html`, the main text Readability extracts
as `expected.html`, and `expected-metadata.json`) and prints, for each field,
the share of pages where the field is right, among the pages whose expected
value is known (not null), then the main text's word F1.

How a field counts as right (the same rules for both systems):

- title: equal after normalising (Unicode NFKC, case folded, punctuation and
  blanks collapsed), or equal to the expected title without a site name cut
  at a separator (`|`, `-`, `–`, `—`, `:`, `·`, `»`): briefgen cuts site suffixes
  on purpose, Readability keeps them.
- author: the expected byline and the found authors as sets of name words
  (letters only, "by"/"von"/"par"/"and"… left out); right when the found
  set is not empty and shares at least half of the larger set's words
  (Readability's bylines carry roles and dates: "By Jane Doe, Staff Writer").
- outlet: right when both names share a distinctive word ("DW" and "DW.COM",
  "Der Spiegel" and "SPIEGEL ONLINE"); "the", "news", "online", "com"… do
  not count.
- language: the primary subtag agrees (`en-GB` and `en` agree).
- date: the published day agrees (the date as the page writes it, in its own
  offset).
- text: word F1 of the bags of words (case folded) of the found main text (the
  Markdown rendered, as a reader sees it) and of `expected.html`'s text, averaged
  over the pages whose expected text is not empty; a page that gives no text
  scores 0. A word is a run of letters and digits, except that each CJK
  character is a word of its own: Chinese and Japanese write no spaces, and a
  whole paragraph counted as one "word" made one stray character cost the
  paragraph (`--cjk-runs` gives the former measure). A second mean leaves out
  the pages whose expected text has under 40 words (Readability's unit-test
  fixtures such as a page holding only "Test"). The mean is also given on two
  fixed halves of the pages in name order: the 1st, 3rd, 5th… are held out (no
  rule was tuned on them), the others are the development half.

Usage: `python benchmarks/import_quality.py [--pages DIR] [--verbose] [--only NAME] [--cjk-runs]`.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ROOT.parent / "shared" / "devdata" / "readability-pages"
SEPARATORS = re.compile(r"\s+(?:\||-|–|—|:|·|»|::)\s+")
NAME_NOISE = frozenset(
    [
        "by",
        "von",
        "par",
        "and",
        "und",
        "et",
        "de",
        "the",
        "van",
        "der",
        "staff",
        "writer",
        "reporter",
        "correspondent",
        "editor",
    ]
)
OUTLET_NOISE = frozenset(
    [
        "the",
        "news",
        "online",
        "com",
        "net",
        "org",
        "www",
        "co",
        "uk",
        "de",
        "fr",
        "daily",
        "times",
        "magazine",
        "media",
        "blog",
    ]
)
ARTICLE_WORDS = 40  # an expected text shorter than this is a test fixture, not an article
FIELDS = ("title", "author", "outlet", "lang", "date")
# pages in name order: the 1st, 3rd, 5th… are held out (no rule was tuned on them), the others
# are the development half; a rule that only fits one half shows as a gap between the two
HALVES = ("held-out", "development")


@dataclass
class Found:
    """What one system found on one page."""

    title: str = ""
    authors: tuple[str, ...] = ()
    outlet: str = ""
    lang: str = ""
    day: str = ""  # YYYY-MM-DD
    text: str = ""
    seconds: float = 0.0


@dataclass
class Score:
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    known: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    f1: list[float] = field(default_factory=list)
    f1_halves: dict[str, list[float]] = field(default_factory=lambda: {h: [] for h in HALVES})
    f1_articles: list[float] = field(default_factory=list)  # expected text of 40+ words
    seconds: list[float] = field(default_factory=list)


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
TOKENS = re.compile(f"[{CJK}]|[^\\W{CJK}]+")  # a CJK character is a word: no spaces to split on
RUNS = re.compile(r"\w+")  # the former measure: a run of CJK characters was one word


def words(text: str, tokens: re.Pattern[str] = RUNS) -> list[str]:
    """Case-folded words: runs of letters and digits (names), or `TOKENS` (the text's F1)."""
    return tokens.findall(unicodedata.normalize("NFKC", text).casefold())


def title_right(found: str, expected: str) -> bool:
    if not found:
        return False
    parts = SEPARATORS.split(expected)
    candidates = {norm(expected)}
    for cut in range(1, len(parts)):
        candidates.add(norm(" ".join(parts[:cut])))
        candidates.add(norm(" ".join(parts[cut:])))
    return norm(found) in candidates


def name_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 1 and not w.isdigit() and w not in NAME_NOISE}


def author_right(found: tuple[str, ...], expected: str) -> bool:
    ours = name_words(" ".join(found))
    theirs = name_words(expected)
    if not ours or not theirs:
        return False
    return len(ours & theirs) * 2 >= max(len(ours), len(theirs))


def outlet_right(found: str, expected: str) -> bool:
    ours = {w for w in words(found) if w not in OUTLET_NOISE}
    theirs = {w for w in words(expected) if w not in OUTLET_NOISE}
    if ours & theirs:
        return True
    squashed = "".join(words(found)), "".join(words(expected))
    return bool(squashed[0]) and (squashed[0] in squashed[1] or squashed[1] in squashed[0])


def lang_right(found: str, expected: str) -> bool:
    return (
        bool(found)
        and found.split("-")[0].lower() == expected.replace("_", "-").split("-")[0].lower()
    )


def word_f1(found: str, expected: str, tokens: re.Pattern[str] = TOKENS) -> float:
    ours, theirs = Counter(words(found, tokens)), Counter(words(expected, tokens))
    common = sum((ours & theirs).values())
    if not common:
        return 0.0
    precision = common / sum(ours.values())
    recall = common / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def html_text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    return str(root.text_content())


def markdown_text(markdown: str) -> str:
    """The words a reader sees: the Markdown rendered (CommonMark), then its text."""
    from markdown_it import MarkdownIt

    return html_text(MarkdownIt("commonmark").render(markdown))


def run_briefgen(html: str) -> Found:
    from datetime import UTC, date, datetime

    from briefgen.ingest.article import IngestError
    from briefgen.ingest.html import html_to_article
    from briefgen.ingest.rules import build_rules

    started = time.perf_counter()
    try:
        article = html_to_article(html, build_rules(), UTC)
    except IngestError:
        return Found(seconds=time.perf_counter() - started)
    day = ""
    if isinstance(article.date, datetime | date):
        day = article.date.isoformat()[:10]
    return Found(
        title=article.title,
        authors=article.authors,
        outlet=article.source_name,
        lang=article.lang,
        day=day,
        text=markdown_text(article.body_markdown),
        seconds=time.perf_counter() - started,
    )


def run_trafilatura(html: str) -> Found:
    import trafilatura

    started = time.perf_counter()
    document = trafilatura.bare_extraction(html, with_metadata=True)
    if document is None:
        return Found(seconds=time.perf_counter() - started)

    def get(name: str) -> str:
        return str(getattr(document, name, "") or "")

    return Found(
        title=get("title"),
        authors=tuple(a.strip() for a in get("author").split(";") if a.strip()),
        outlet=get("sitename"),
        lang=get("language"),
        day=get("date")[:10],
        text=get("text"),
        seconds=time.perf_counter() - started,
    )


def expected_day(published: str | None) -> str:
    if not published:
        return ""
    found = re.match(r"\d{4}-\d{2}-\d{2}", published.strip())
    return found.group(0) if found else ""


def score_page(
    score: Score,
    found: Found,
    meta: dict[str, Any],
    text: str,
    *,
    half: str,
    tokens: re.Pattern[str],
) -> dict[str, bool]:
    checks: dict[str, tuple[Any, Callable[[], bool]]] = {
        "title": (meta.get("title"), lambda: title_right(found.title, meta["title"])),
        "author": (meta.get("byline"), lambda: author_right(found.authors, meta["byline"])),
        "outlet": (meta.get("siteName"), lambda: outlet_right(found.outlet, meta["siteName"])),
        "lang": (meta.get("lang"), lambda: lang_right(found.lang, meta["lang"])),
        "date": (
            expected_day(meta.get("publishedTime")),
            lambda: found.day == expected_day(meta.get("publishedTime")),
        ),
    }
    verdicts = {}
    for name, (expected, check) in checks.items():
        if not expected:
            continue
        score.known[name] += 1
        verdicts[name] = check()
        score.right[name] += verdicts[name]
    if text.strip():
        score.f1.append(word_f1(found.text, text, tokens))
        score.f1_halves[half].append(score.f1[-1])
        if len(words(text, tokens)) >= ARTICLE_WORDS:
            score.f1_articles.append(score.f1[-1])
    score.seconds.append(found.seconds)
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--verbose", action="store_true", help="one line per page and miss")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument(
        "--cjk-runs", action="store_true", help="the former F1: a run of CJK characters is one word"
    )
    args = parser.parse_args()
    tokens = RUNS if args.cjk_runs else TOKENS
    every = sorted(p for p in args.pages.iterdir() if (p / "source.html").is_file())
    half_of = {p.name: HALVES[index % 2] for index, p in enumerate(every)}
    folders = [p for p in every if args.only in p.name]
    systems = {"briefgen": run_briefgen, "trafilatura": run_trafilatura}
    scores = {name: Score() for name in systems}
    for folder in folders:
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = html_text((folder / "expected.html").read_text(encoding="utf-8"))
        for name, run in systems.items():
            found = run(html)
            half = half_of[folder.name]
            verdicts = score_page(scores[name], found, meta, expected, half=half, tokens=tokens)
            if args.verbose and name == "briefgen":
                misses = [f for f, ok in verdicts.items() if not ok]
                f1 = word_f1(found.text, expected, tokens) if expected.strip() else 1.0
                if misses or f1 < 0.9:
                    details = "; ".join(_miss(f, found, meta) for f in misses)
                    print(f"{folder.name}: F1 {f1:.2f} {details}")
    print(f"{len(folders)} pages")
    header = f"{'field':<10}" + "".join(f"{name:>14}" for name in systems) + "   pages known"
    print(header)
    for name in FIELDS:
        cells = "".join(
            f"{scores[s].right[name] / max(scores[s].known[name], 1):>14.3f}" for s in systems
        )
        print(f"{name:<10}{cells}   {scores['briefgen'].known[name]}")
    f1_cells = "".join(f"{statistics.fmean(scores[s].f1 or [0]):>14.3f}" for s in systems)
    print(f"{'text F1':<10}{f1_cells}   {len(scores['briefgen'].f1)} (mean)")
    article_cells = "".join(
        f"{statistics.fmean(scores[s].f1_articles or [0]):>14.3f}" for s in systems
    )
    print(
        f"{'text F1':<10}{article_cells}   {len(scores['briefgen'].f1_articles)} (mean, 40+ words)"
    )
    for half in HALVES:
        half_cells = "".join(
            f"{statistics.fmean(scores[s].f1_halves[half] or [0]):>14.3f}" for s in systems
        )
        print(f"{'text F1':<10}{half_cells}   {len(scores['briefgen'].f1_halves[half])} ({half})")
    median_cells = "".join(f"{statistics.median(scores[s].f1 or [0]):>14.3f}" for s in systems)
    print(f"{'text F1':<10}{median_cells}   (median)")
    time_cells = "".join(f"{statistics.median(scores[s].seconds) * 1000:>12.0f}ms" for s in systems)
    print(f"{'time':<10}{time_cells}   (median per page)")


def _miss(field_name: str, found: Found, meta: dict[str, Any]) -> str:
    ours = {
        "title": found.title,
        "author": "; ".join(found.authors),
        "outlet": found.outlet,
        "lang": found.lang,
        "date": found.day,
    }[field_name]
    key = {"author": "byline", "outlet": "siteName", "date": "publishedTime"}.get(
        field_name, field_name
    )
    return f"{field_name} {ours[:60]!r} vs {str(meta.get(key))[:60]!r}"


if __name__ == "__main__":
    main()
