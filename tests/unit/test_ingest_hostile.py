"""Hostile text for the importer: every rule runs in bounded time, nothing but the
tool's own error escapes, and a user's runaway pattern fails one file with a clear line."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import load_config
from briefgen.ingest.article import IngestError
from briefgen.ingest.dates import LINE_PATTERNS, PROSE_DATE
from briefgen.ingest.importer import ImportOptions, run_import
from briefgen.ingest.mdconvert import html_to_markdown
from briefgen.ingest.rules import (
    BYLINE_PREFIXED,
    FURNITURE,
    METADATA,
    RuleTimeout,
    build_rules,
)
from briefgen.ingest.text import clean_text, text_to_article

PARIS = ZoneInfo("Europe/Paris")
RULES = build_rules()
# pieces that the built-in patterns care about, to build near-misses of every rule
PIECES = [
    "A", "a", "É", "é", " ", "  ", "-", ",", ".", "!", "?", ":", "et", "and", " et ", " and ",
    "&", "'", "’", "(", ")", "[", "]", "/", "#", "1", "12", "2023", "By ", "Par ", "Photo ",
    "AFP", "File:", "Source: ", "https://", "x.fr", "Lundi", "14 septembre", "\u00a0", "\t",
    "{{", "}}", "<", ">", "`", "\\", "*", "_", "©", "Zug",
]  # fmt: skip
LINES = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@pytest.mark.parametrize(
    "line",
    [
        "Par A" + "etA" * 26 + "!",  # 83 characters: exponential before the rewrite
        "Par " + "A et " * 16 + "!",
        "By " + "Ab-" * 26 + "!",
        "Par " + "Jean-" * 16 + "!",
    ],
)
def test_byline_rule_is_linear_on_near_misses(line: str) -> None:
    assert BYLINE_PREFIXED.matches(line) is None  # returns (fast) instead of stalling


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Par Jean Dupont", "Jean Dupont"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("Par Jean-Pierre Dupont et Marie Curie", "Jean-Pierre Dupont et Marie Curie"),
        ("Propos recueillis par Anne de la Tour", "Anne de la Tour"),
        ("Par Jean Dupont, Marie Curie & Paul Roe", "Jean Dupont, Marie Curie & Paul Roe"),
    ],
)
def test_byline_rule_still_reads_bylines(line: str, name: str) -> None:
    found = BYLINE_PREFIXED.matches(line)
    assert found is not None and found["name"] == name


@settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(line=LINES)
def test_every_builtin_line_pattern_returns_quickly(line: str) -> None:
    """No built-in pattern backtracks: each line is matched well within the deadline."""
    for rule in (*FURNITURE, *METADATA):
        rule.matches(line)
    for pattern in LINE_PATTERNS:
        pattern.match(line)
    PROSE_DATE.search(line)


@settings(max_examples=300, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINES, max_size=25), separator=st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_text_importer_fuzz_raises_only_its_own_error(lines: list[str], separator: str) -> None:
    """A bounded fuzz run of the whole text importer: an article or `IngestError`."""
    text = separator.join(lines)
    try:
        article = text_to_article(text, RULES, PARIS, default_lang="fr")
    except IngestError:
        return
    assert "\x00" not in article.body_markdown
    assert clean_text(text, RULES, PARIS).title == article.title


@settings(max_examples=200, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(code=st.text(alphabet="`~<>/ab\n &;", max_size=40))
def test_code_never_becomes_raw_html(code: str) -> None:
    """Escaped markup inside <pre> or <code> stays code: no fence or span closes early."""
    from markdown_it import MarkdownIt

    escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for html in (f"<pre>{escaped}</pre>", f"<p>x <code>{escaped}</code> y</p>"):
        markdown = html_to_markdown(html)
        rendered = MarkdownIt("commonmark").render(markdown)
        assert "<b" not in rendered.replace("<br", "") and "</b>" not in rendered
        tokens = MarkdownIt("commonmark").parse(markdown)
        assert not any(token.type in ("html_block", "html_inline") for token in tokens)


def test_user_pattern_that_backtracks_fails_its_file_with_a_clear_line(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "title: T\nlanguage: fr\nimport:\n  boilerplate: ['^(a|aa)+$']\n", encoding="utf-8"
    )
    (tmp_path / "bad.txt").write_text("Titre\n\n" + "a" * 40 + "!\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Titre deux\n\nUn paragraphe.\n", encoding="utf-8")
    report = run_import(
        load_config(tmp_path), ["bad.txt", "good.txt"], ImportOptions(dry_run=True), cwd=tmp_path
    )
    [problem] = [d for d in report.diagnostics if d.is_error]
    assert problem.path == "bad.txt"
    assert problem.message.startswith(
        "import.boilerplate: pattern '^(a|aa)+$' took more than 0.25 s on the line "
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…'"
    )
    assert [row.input for row in report.rows] == ["good.txt"]


def test_rule_timeout_is_the_tools_own_error() -> None:
    rules = build_rules(boilerplate=["^(a|aa)+$"])
    with pytest.raises(RuleTimeout):
        clean_text("Titre\n\n" + "a" * 40 + "!", rules)


def test_users_patterns_share_a_time_budget_per_file() -> None:
    """Many lines each just under the per-line limit cannot add up to minutes."""
    import time
    from dataclasses import replace

    rules = build_rules(boilerplate=["^x$"]).for_one_file()
    [user] = [rule for rule in rules.furniture if rule.timeout is not None]
    assert user.deadline is not None and user.deadline > time.monotonic()
    spent = replace(user, deadline=time.monotonic() - 0.001)
    with pytest.raises(RuleTimeout) as caught:
        spent.matches("a line")
    assert str(caught.value) == (
        "import.boilerplate: pattern '^x$' took more than 2 s in all on this file, the last "
        "on the line 'a line': rewrite it without nested repetition such as (a+)+"
    )
    assert all(rule.deadline is None for rule in rules.furniture if rule.timeout is None)


HTML_PIECES = [
    "<html>", "<html lang='xx-'>", "<head>", "<title>", "</title>", "<meta property='og:title' ",
    "content='", "'>", "<link rel='canonical' href='", "/rel", "http://[::1", "javascript:x",
    "<script type='application/ld+json'>", '{"@type": "NewsArticle", "headline": ',
    '"datePublished": "2023-13-45T99:00"', "}", "[", "<![CDATA[", "]]>", "</script>", "<body>",
    "<p>", "</p>", "<pre>", "```", "<code>", "`", "<br>", "<h2>", "</h2>", "{{ x }}", "word ",
    "Photo: AFP ", "© Reuters 2020", "&lt;script&gt;", "<table><tr><td>", "\x00", "é",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(HTML_PIECES), max_size=80))
def test_html_importer_fuzz_raises_only_its_own_error(pieces: list[str]) -> None:
    """A bounded fuzz run of the page reader: an article or `IngestError`, nothing else."""
    from briefgen.ingest.html import html_to_article

    html = "".join(pieces) + " word" * 50
    try:
        article = html_to_article(html, RULES, PARIS, url="https://site.example/a")
    except IngestError:
        return
    assert article.title
    assert not article.source_url or article.source_url.startswith(("http://", "https://"))
