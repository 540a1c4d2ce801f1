"""The raw-text cleaner, checked line by line against the five real seeds.

The seeds are read from ../shared/seeds at test time; this file names their
lines by number and never copies their text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.ingest.dates import date_from_url, find_prose_date, parse_date_line
from briefgen.ingest.lang import detect_language
from briefgen.ingest.rules import Rules, build_rules, match_keywords, normalize_space
from briefgen.ingest.text import (
    clean_text,
    escape_markdown,
    text_to_article,
    unescape_markdown,
)

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
PARIS = ZoneInfo("Europe/Paris")
RULES = build_rules(sources=[("www.aljazeera.com", "Al Jazeera")])

# seed file, title, date, outlet, url, author, title line kept in the body,
# line numbers dropped as furniture or metadata (1-based lines of the seed)
SEED_CASES = [
    pytest.param(
        "000_04b9b70f7690e1c9.txt",
        "La Russie et la Corée du Nord envisagent une coopération militaire",
        datetime(2023, 9, 14, 16, 50, 56, tzinfo=PARIS),
        "",
        "",
        (),
        False,
        {3, 5, 45, 46, 48, 49, 50, 51, 53, 55},
        id="000-date-line-hashtags-share-comments",
    ),
    pytest.param(
        "001_e403d3f9431f0434.txt",
        "Kim s’aligne sur la « guerre sainte » de Poutine",
        datetime(2023, 9, 13, 22, 20, 4, tzinfo=PARIS),
        "",
        "",
        (),
        False,
        {3, 5, 11, 19, 25, 29, 30, 32, 33, 34, 35, 37, 39},
        id="001-lire-aussi",
    ),
    pytest.param(
        "002_740f9f67fb748314.txt",
        "Les « questions sensibles » discutées par Poutine et le dirigeant nord-coréen",
        None,
        "",
        "",
        (),
        False,
        set(),
        id="002-standfirst-kept-no-date",
    ),
    pytest.param(
        "003_1a9e3e07799cbb39.txt",
        "Le dirigeant nord-coréen Kim Jong Un devrait rencontrer le président russe "
        "Vladimir Poutine, selon un responsable de la Maison Blanche",
        date(2023, 9, 4),
        "Al Jazeera",
        "https://www.aljazeera.com/news/2023/9/4/north-korean-leader-kim-expected-to-meet-russias-putin-us",
        (),
        True,
        {15, 27, 28, 42, 43, 55, 57, 59, 61, 63, 67},
        id="003-source-line-captions-rating",
    ),
    pytest.param(
        "004_ca26b65bc1e02e32.txt",
        "Kim Jong-un a affirmé le mercredi 13 septembre 2023 qu’il voulait combattre "
        "« l’impérialisme » avec Vladimir Poutine",
        date(2023, 9, 13),
        "Netafrique.net",
        "",
        ("Anne-Marie Nado KY",),
        True,
        {11, 13, 15},
        id="004-prose-date-outlet-byline",
    ),
]


def seed_lines(name: str) -> dict[int, str]:
    text = (SEEDS / name).read_text(encoding="utf-8")
    return {n: normalize_space(line) for n, line in enumerate(text.splitlines(), 1) if line.strip()}


@pytest.mark.parametrize(
    ("name", "title", "when", "outlet", "url", "authors", "title_in_body", "dropped"), SEED_CASES
)
def test_seed_becomes_a_clean_article(
    name: str,
    title: str,
    when: date | None,
    outlet: str,
    url: str,
    authors: tuple[str, ...],
    title_in_body: bool,
    dropped: set[int],
) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    article = text_to_article(text, RULES, PARIS)
    assert article.title == title
    assert article.date == when
    if isinstance(when, datetime):
        assert article.date is not None
        assert article.date.isoformat() == when.isoformat()  # offset +02:00 kept
    assert article.source_name == outlet
    assert article.source_url == url
    assert article.authors == authors
    assert article.lang == "fr"
    cleaned = clean_text(text, RULES, PARIS)
    assert {d.number for d in cleaned.dropped} == dropped
    lines = seed_lines(name)
    body_lines = [lines[n] for n in sorted(lines) if n not in dropped and (n != 1 or title_in_body)]
    # nothing of the article lost, in order; nothing of the furniture kept
    assert cleaned.paragraphs == body_lines
    body = unescape_markdown(article.body_markdown)
    assert body_lines[0] in body and body_lines[-1] in body
    for number in dropped:
        assert lines[number] not in body


def test_seed_002_standfirst_is_the_first_paragraph() -> None:
    lines = seed_lines("002_740f9f67fb748314.txt")
    cleaned = clean_text((SEEDS / "002_740f9f67fb748314.txt").read_text("utf-8"), RULES, PARIS)
    assert cleaned.paragraphs[0] == lines[2]


def test_seed_000_subheading_becomes_a_heading() -> None:
    text = (SEEDS / "000_04b9b70f7690e1c9.txt").read_text(encoding="utf-8")
    cleaned = clean_text(text, RULES, PARIS)
    headings = [body for kind, body in cleaned.blocks if kind == "h"]
    assert headings == [seed_lines("000_04b9b70f7690e1c9.txt")[23]]
    assert "\n\n## " + headings[0] + "\n\n" in text_to_article(text, RULES, PARIS).body_markdown


def test_seed_notes_say_where_guessed_values_come_from() -> None:
    article = text_to_article((SEEDS / "004_ca26b65bc1e02e32.txt").read_text("utf-8"), RULES, PARIS)
    assert article.notes == (
        "no title line: the title is the first sentence",
        "date taken from the text ('mercredi 13 septembre 2023')",
    )
    assert article.missing == ("source.url",)


def test_outlet_from_source_host_uses_config_then_bare_host() -> None:
    rules = build_rules(sources=[("news.example.org", "Example News")])
    assert rules.outlet_for("https://news.example.org/a/b") == "Example News"
    assert rules.outlet_for("https://www.euronews.com/2023/09/13/x") == "Euronews"
    assert rules.outlet_for("https://www.unknown-paper.example/x") == "unknown-paper.example"


def test_config_boilerplate_pattern_drops_a_site_line() -> None:
    text = "Titre de l’article\n\nPremier paragraphe de l’article.\n\nPUB — Offre spéciale\n"
    assert "PUB" in text_to_article(text, Rules(), PARIS).body_markdown
    rules = build_rules(boilerplate=[r"^PUB —"])
    cleaned = clean_text(text, rules, PARIS)
    assert cleaned.paragraphs == ["Premier paragraphe de l’article."]
    assert cleaned.dropped[0].rule == "config-1"


def test_leading_byline_becomes_author() -> None:
    text = "A title\n\nBy Jane Doe and John Roe\n\nThe first paragraph of the story is here.\n"
    cleaned = clean_text(text, Rules(), PARIS)
    assert cleaned.authors == ["Jane Doe", "John Roe"]
    assert cleaned.paragraphs == ["The first paragraph of the story is here."]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2023-09-14 16:50:56", datetime(2023, 9, 14, 16, 50, 56, tzinfo=PARIS)),
        ("2023-09-14", date(2023, 9, 14)),
        ("Publié le 14 septembre 2023 à 16h50", datetime(2023, 9, 14, 16, 50, tzinfo=PARIS)),
        ("Le jeudi 14 septembre 2023", date(2023, 9, 14)),
        ("14/09/2023 16:50", datetime(2023, 9, 14, 16, 50, tzinfo=PARIS)),
        ("Published on September 14, 2023 at 4:50 pm", datetime(2023, 9, 14, 16, 50, tzinfo=PARIS)),
        ("Updated: 1 March 2024", date(2024, 3, 1)),
        ("2023-09-14T16:50:56+09:00", datetime.fromisoformat("2023-09-14T16:50:56+09:00")),
        ("Le vendredi 14 septembre 2023", None),  # wrong weekday: not a date line
        ("2023-02-30", None),
        ("Le 14 septembre 2023, Kim est arrivé.", None),
    ],
)
def test_date_lines(line: str, expected: date | None) -> None:
    assert parse_date_line(line, PARIS) == expected


def test_winter_date_time_gets_the_winter_offset() -> None:
    value = parse_date_line("2023-12-01 09:00:00", PARIS)
    assert isinstance(value, datetime)
    assert value.isoformat() == "2023-12-01T09:00:00+01:00"


def test_prose_date_needs_the_right_weekday_in_the_first_paragraphs() -> None:
    assert find_prose_date(["Il a dit le mercredi 13 septembre 2023 qu’il viendrait."]) == (
        date(2023, 9, 13),
        "mercredi 13 septembre 2023",
    )
    assert find_prose_date(["On Wednesday, September 13, 2023 he came."])[0] == date(2023, 9, 13)  # type: ignore[index]
    assert find_prose_date(["le jeudi 13 septembre 2023"]) is None
    assert find_prose_date(["le 27 avril 2019 à Vladivostok"]) is None
    assert find_prose_date(["a", "b", "c", "le mercredi 13 septembre 2023"]) is None


def test_date_from_url_path() -> None:
    assert date_from_url("https://x.example/news/2023/9/4/slug") == date(2023, 9, 4)
    assert date_from_url("https://x.example/2023/09/14/slug.html") == date(2023, 9, 14)
    assert date_from_url("https://x.example/2023/13/40/slug") is None
    assert date_from_url("https://x.example/2023/09/14/") == date(2023, 9, 14)
    assert date_from_url("https://x.example/news/slug") is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Le président russe a rencontré son homologue dans l’est du pays, selon le Kremlin.",
            "fr",
        ),
        ("The president met his counterpart in the east of the country, the Kremlin said.", "en"),
        ("Kim Jong Un Vladimir Poutine", ""),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_keywords_match_whole_words_ignoring_case_accents_and_plurals() -> None:
    table = (("Sanctions", ("sanction",)), ("Espace", ("fusée",)), ("Arts", ("art",)))
    assert match_keywords("Des SANCTIONS et une fusee.", table, lang="fr") == (
        "Sanctions",
        "Espace",
    )
    assert match_keywords("Une désanction", table) == ()
    assert match_keywords("sanction, sanctionnée", table, 2) == ()  # not a word beginning
    assert match_keywords("sanction, sanctions", table, 2, "fr") == ("Sanctions",)
    assert match_keywords("Le parti artistique", table) == ()


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("Der Zugang zum Bahnhof ist gesperrt.", "de", ()),
        ("Zwei Züge stießen zusammen.", "de", ("Verkehr",)),
        ("Der Zug kam zu spät.", "de", ("Verkehr",)),
        ("Les chevaux et le cheval.", "fr", ("Chevaux",)),
        ("Many countries joined; one country left.", "en", ("Countries",)),
        ("Diplomatie et diplomates", "fr", ("Diplomatie",)),  # `diplomat*`: word beginnings
        ("Kim Jong Un et Kim Jong-un", "fr", ("Kim",)),
        ("Kim et Jong", "fr", ()),
    ],
)
def test_keyword_rules_in_the_entrys_language(text: str, lang: str, found: tuple[str]) -> None:
    table = (
        ("Verkehr", ("Zug",)),
        ("Chevaux", ("cheval",)),
        ("Countries", ("country",)),
        ("Diplomatie", ("diplomat*",)),
        ("Kim", ("Kim Jong Un",)),
    )
    assert match_keywords(text, table, 1, lang) == found
    assert match_keywords("une sanction", table, 2) == ()


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("a *b* _c_ [d](e) <f> `g`", "a \\*b\\* \\_c\\_ \\[d\\](e) \\<f> \\`g\\`"),
        ("AT&amp;T", "AT\\&amp;T"),
        ("« Plain » text – 2023.", "« Plain » text – 2023."),
    ],
)
def test_escape_markdown(text: str, markdown: str) -> None:
    assert escape_markdown(text) == markdown
    assert unescape_markdown(markdown) == text


# Property: a paragraph that no rule marks is never dropped ------------------------

WORDS = st.text(
    alphabet=st.characters(
        whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="éèàçôœ’'-"
    ),
    min_size=1,
    max_size=12,
)
PARAGRAPH = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(WORDS, min_size=1, max_size=30),
    st.sampled_from(["", ".", " !", " ?", "…", ",", " »", ":"]),
)


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=12),
    separator=st.sampled_from(["\n\n", "\n", "\n \n\n"]),
)
def test_cleaner_never_drops_an_unmarked_paragraph(paragraphs: list[str], separator: str) -> None:
    paragraphs = [normalize_space(p) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p and not RULES.marker(p)]
    title = "Un titre d’article"
    paragraphs = [p for p in paragraphs if p.casefold() != title.casefold()]
    text = title + "\n\n" + separator.join(paragraphs) + "\n"
    cleaned = clean_text(text, RULES, PARIS)
    assert cleaned.title == title
    assert cleaned.paragraphs == paragraphs
    body = text_to_article(text, RULES, PARIS).body_markdown
    blocks = [b.strip().removeprefix("## ") for b in body.split("\n\n") if b.strip()]
    assert [unescape_markdown(b) for b in blocks] == paragraphs


def test_repository_content_holds_each_seed_as_imported_today() -> None:
    """content/ is regenerated from the seeds with `briefgen import` (see the README)."""
    from briefgen.config import load_config
    from briefgen.frontmatter import split
    from briefgen.ingest.importer import rules_for

    root = Path(__file__).resolve().parents[2]
    config = load_config(root)
    bodies = {}
    for path in sorted((root / "content").rglob("*.md")):
        document, _ = split(path.read_text(encoding="utf-8"), str(path))
        assert document is not None
        bodies[document.body] = document.meta.data
    assert len(bodies) == 5
    for name in sorted(p.name for p in SEEDS.glob("*.txt")):
        text = (SEEDS / name).read_text(encoding="utf-8")
        article = text_to_article(text, rules_for(config), config.zone)
        assert article.body_markdown in bodies, f"{name}: content/ is stale, re-import the seeds"
        meta = bodies[article.body_markdown]
        assert meta["title"] == article.title
        assert list(meta["topics"]) == list(article.topics)
        assert list(meta["tags"]) == list(article.tags)
