"""The importer on scratch projects: entries written, never lost, never clobbered."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from briefgen.config import load_config
from briefgen.frontmatter import split
from briefgen.ingest import importer
from briefgen.ingest.fetch import Fetched
from briefgen.ingest.importer import ImportOptions, ImportReport, run_import

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
CONFIG = """\
title: Test
language: fr
timezone: Europe/Paris
import:
  sources:
    www.example-news.fr: Les Nouvelles
  topics:
    Défense: [militaire, armes]
  tags:
    Kim Jong Un: [Kim Jong Un]
"""
ARTICLE = """\
Kim Jong Un en visite militaire

2023-09-14 16:50:56

Kim Jong Un a visité mercredi une base militaire, selon les agences.

Les armes et le matériel militaire étaient au cœur de la visite.

Source: https://www.example-news.fr/2023/09/14/kim-visite

Facebook
Twitter
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "briefgen.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def run(project: Path, *inputs: str, stdin: bytes = b"", **options: object) -> ImportReport:
    return run_import(
        load_config(project),
        list(inputs),
        ImportOptions(**options),  # type: ignore[arg-type]
        stdin=io.BytesIO(stdin),
        cwd=project,
    )


def files(project: Path) -> list[str]:
    return sorted(
        p.relative_to(project).as_posix() for p in (project / "content").rglob("*") if p.is_file()
    )


def test_writes_an_entry_with_front_matter_in_design_order(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, "a.txt")
    assert report.diagnostics == []
    path = "content/2023/09/14-kim-jong-un-en-visite-militaire.md"
    assert files(project) == [path]
    text = (project / path).read_text(encoding="utf-8")
    assert text == (
        "---\n"
        'title: "Kim Jong Un en visite militaire"\n'
        "date: 2023-09-14T16:50:56+02:00\n"
        "source:\n"
        '  name: "Les Nouvelles"\n'
        '  url: "https://www.example-news.fr/2023/09/14/kim-visite"\n'
        "lang: fr\n"
        "topics: [Défense]\n"
        "tags: [Kim Jong Un]\n"
        "# imported: title=9ac7741c date=f1ced708 source.name=2cdaada9 source.url=9903d950 "
        "author=e3b0c442 lang=67ad8f41 topics=9f73925c tags=6ad2dd3c summary=e3b0c442 "
        "body=2344235a\n"
        "---\n"
        "Kim Jong Un a visité mercredi une base militaire, selon les agences.\n\n"
        "Les armes et le matériel militaire étaient au cœur de la visite.\n"
    )
    document, problems = split(text, path)
    assert problems == [] and document is not None
    assert list(document.meta.data) == ["title", "date", "source", "lang", "topics", "tags"]
    (row,) = report.rows
    assert (row.status, row.path, row.outlet, row.lang, row.words) == (
        "written",
        path,
        "Les Nouvelles",
        "fr",
        24,
    )
    assert row.missing == (f"no author found: edit {path}",)


def test_same_article_twice_creates_nothing_new(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "copy.txt").write_text(ARTICLE.replace("Facebook\n", ""), encoding="utf-8")
    run(project, "a.txt")
    report = run(project, "a.txt", "copy.txt")
    assert [row.status for row in report.rows] == ["duplicate", "duplicate"]
    assert report.rows[0].notes == (
        "already imported as content/2023/09/14-kim-jong-un-en-visite-militaire.md "
        "(same source URL)",
    )
    assert len(files(project)) == 1


def test_same_text_without_url_is_a_duplicate(project: Path) -> None:
    text = ARTICLE.replace("Source: https://www.example-news.fr/2023/09/14/kim-visite\n", "")
    (project / "a.txt").write_text(text, encoding="utf-8")
    first = run(project, "a.txt")
    second = run(project, "a.txt", date=date(2023, 9, 15))
    assert first.rows[0].status == "written"
    assert second.rows[0].status == "duplicate"
    assert second.rows[0].notes[0].endswith("(same text)")


def test_different_article_with_same_slug_gets_a_distinct_name(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    other = ARTICLE.replace("selon les agences", "selon Séoul").replace("kim-visite", "autre")
    (project / "b.txt").write_text(other, encoding="utf-8")
    report = run(project, "a.txt", "b.txt")
    assert [row.path for row in report.rows] == [
        "content/2023/09/14-kim-jong-un-en-visite-militaire.md",
        "content/2023/09/14-kim-jong-un-en-visite-militaire-2.md",
    ]
    assert "selon Séoul" in (project / report.rows[1].path).read_text(encoding="utf-8")


def test_existing_file_is_never_overwritten(project: Path) -> None:
    target = project / "content/2023/09/14-kim-jong-un-en-visite-militaire.md"
    target.parent.mkdir(parents=True)
    target.write_text("hand-written notes, not an entry\n", encoding="utf-8")
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, "a.txt")
    assert report.rows[0].path.endswith("-militaire-2.md")
    assert target.read_text(encoding="utf-8") == "hand-written notes, not an entry\n"


def test_dry_run_writes_nothing_and_shows_the_entry(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, "a.txt", dry_run=True)
    assert not (project / "content").exists()
    assert report.rows[0].status == "would write"
    assert report.texts[report.rows[0].path].startswith('---\ntitle: "Kim Jong Un en visite')


def test_options_fill_and_override(project: Path) -> None:
    text = ARTICLE.replace("2023-09-14 16:50:56\n", "").replace(
        "Source: https://www.example-news.fr/2023/09/14/kim-visite\n", ""
    )
    (project / "a.txt").write_text(text, encoding="utf-8")
    report = run(
        project,
        "a.txt",
        date=date(2023, 9, 20),
        topics=("Asie", "Défense"),
        source_url="https://www.example-news.fr/x",
        lang="fr-FR",
    )
    (row,) = report.rows
    assert row.path == "content/2023/09/20-kim-jong-un-en-visite-militaire.md"
    entry = (project / row.path).read_text(encoding="utf-8")
    assert "date: 2023-09-20\n" in entry
    assert '  name: "Les Nouvelles"\n  url: "https://www.example-news.fr/x"\n' in entry
    assert "lang: fr-FR\ntopics: [Asie, Défense]\n" in entry


def test_undated_article_is_written_and_reported(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE.replace("2023-09-14 16:50:56\n", ""), encoding="utf-8")
    (row,) = run(project, "a.txt").rows
    # the URL path holds the date: a readable rule fills it
    assert row.date == "2023-09-14"
    (project / "b.txt").write_text("Un titre\n\nUn paragraphe sans date.\n", encoding="utf-8")
    (row,) = run(project, "b.txt").rows
    assert row.path == "content/undated/un-titre.md"
    assert row.missing[0] == (
        "no date found: pass --date or edit content/undated/un-titre.md "
        "(written as a draft until it has a date)"
    )


def test_undated_article_is_a_draft_without_an_invented_date(project: Path) -> None:
    (project / "b.txt").write_text("Un titre\n\nUn paragraphe sans date.\n", encoding="utf-8")
    (row,) = run(project, "b.txt").rows
    document, problems = split((project / row.path).read_text(encoding="utf-8"), row.path)
    assert problems == [] and document is not None
    assert "date" not in document.meta.data
    assert document.meta.data["draft"] is True
    assert list(document.meta.data)[-1] == "draft"  # DESIGN order: draft comes last


def test_dated_article_is_not_a_draft(project: Path) -> None:
    (project / "b.txt").write_text("Un titre\n\nUn paragraphe sans date.\n", encoding="utf-8")
    (row,) = run(project, "b.txt", date=date(2023, 9, 14)).rows
    assert "draft" not in (project / row.path).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file (expected the text of an article)"),
        ("blank.txt", b" \n\n\t\n", "empty file (expected the text of an article)"),
        (
            "image.txt",
            (FIXTURES / "binary.png").read_bytes(),
            "binary file (expected text, HTML or a feed)",
        ),
        (
            "page.html",
            (FIXTURES / "no_article.html").read_bytes(),
            "no article text found (expected an HTML page with a main article)",
        ),
        (
            "feed.xml",
            (FIXTURES / "feed_broken.xml").read_bytes(),
            "not a valid RSS or Atom feed: <unknown>:3:0: no element found",
        ),
        (
            "furniture.txt",
            b"Titre\n\nFacebook\nTwitter\n",
            "no article text found (only a title and site furniture)",
        ),
    ],
)
def test_bad_input_is_one_line_and_the_batch_goes_on(
    project: Path, name: str, data: bytes, message: str
) -> None:
    (project / name).write_bytes(data)
    (project / "good.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, name, "good.txt")
    assert [str(d) for d in report.diagnostics] == [f"{name}: error: {message}"]
    assert report.failed
    assert [row.input for row in report.rows] == ["good.txt"]
    assert files(project) == ["content/2023/09/14-kim-jong-un-en-visite-militaire.md"]


def test_too_large_file_is_refused_before_reading(project: Path) -> None:
    (project / "big.txt").write_bytes(b"Titre\n\n" + b"mot " * 3000)
    report = run(project, "big.txt", max_bytes=10_000)
    assert [str(d) for d in report.diagnostics] == [
        "big.txt: error: file too large (0.0 MB; the limit is 10000 bytes)"
    ]


def test_encodings_are_decoded(project: Path) -> None:
    for name in ("cp1252.txt", "latin1.txt", "bom.txt"):
        (project / name).write_bytes((FIXTURES / name).read_bytes())
    report = run(project, "cp1252.txt", "bom.txt")
    assert report.diagnostics == []
    assert [row.title for row in report.rows] == [
        "Sommet à Vostochny : Poutine reçoit Kim Jong Un"
    ] * 2
    assert report.rows[1].status == "duplicate"  # same text, other encoding
    entry = (project / report.rows[0].path).read_text(encoding="utf-8")
    assert "“sans limites” – selon le Kremlin" in entry and "Facebook" not in entry


def test_folder_imports_supported_files_and_warns_about_others(project: Path) -> None:
    folder = project / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "page.html").write_bytes((FIXTURES / "en_article.html").read_bytes())
    (folder / "feed.xml").write_bytes((FIXTURES / "feed_atom.xml").read_bytes())
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".DS_Store").write_bytes(b"\x00")
    report = run(project, "inbox")
    assert [str(d) for d in report.diagnostics] == [
        "inbox/photo.jpg: warning: skipped: not a text, HTML or feed file "
        "(.txt, .text, .md, .markdown, .html, .htm, .xhtml, .xml, .rss, .atom, .rdf, .json)"
    ]
    assert not report.failed
    assert [row.input for row in report.rows] == [
        "inbox/a.txt",
        "inbox/feed.xml",
        "inbox/feed.xml",
        "inbox/sub/page.html",
    ]
    assert len(files(project)) == 4


def test_stdin_and_missing_path(project: Path) -> None:
    report = run(project, "-", "nowhere.txt", stdin=ARTICLE.encode("cp1252", "replace"))
    assert [str(d) for d in report.diagnostics] == ["nowhere.txt: error: no such file or folder"]
    assert [row.input for row in report.rows] == ["<stdin>"]


def test_no_temporary_file_is_left(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(project, "a.txt")
    leftovers = [p.name for p in (project / "content").rglob(".*")]
    assert leftovers == []


def test_progress_is_reported_per_input(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    calls: list[tuple[int, int]] = []
    run_import(
        load_config(project),
        ["a.txt", "missing.txt", "a.txt"],
        ImportOptions(),
        progress=lambda done, total: calls.append((done, total)),
        cwd=project,
    )
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "invalid URL (Invalid IPv6 URL)"),
        (
            "http://exa mple.com/",
            "invalid URL (URL can't contain control characters. 'exa mple.com' "
            "(found at least ' '))",
        ),
    ],
)
def test_invalid_url_is_one_line_and_the_batch_goes_on(
    project: Path, url: str, reason: str
) -> None:
    (project / "good.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, url, "good.txt", dry_run=True)
    assert [str(d) for d in report.diagnostics] == [f"{url}: error: cannot fetch: {reason}"]
    assert report.failed
    assert [row.input for row in report.rows] == ["good.txt"]


def test_markdown_entry_is_refused_and_the_batch_goes_on(project: Path) -> None:
    (project / "x.md").write_text(
        '---\ntitle: "Déjà une entrée"\ndate: 2023-09-14\n---\nLe corps.\n', encoding="utf-8"
    )
    (project / "good.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, "x.md", "good.txt")
    assert [str(d) for d in report.diagnostics] == [
        "x.md: error: already a briefgen entry (front matter found): copy it into content/ instead"
    ]
    assert [row.input for row in report.rows] == ["good.txt"]


def test_markdown_without_front_matter_is_raw_text(project: Path) -> None:
    (project / "notes.md").write_text(ARTICLE, encoding="utf-8")
    (project / "rule.md").write_text("---\n" + ARTICLE.replace("kim-visite", "x"), encoding="utf-8")
    report = run(project, "notes.md", "rule.md")
    assert report.diagnostics == []
    assert [row.input for row in report.rows] == ["notes.md", "rule.md"]  # no closing fence
    assert report.rows[0].title == "Kim Jong Un en visite militaire"
    assert report.rows[0].status == "written"


def test_text_fetched_by_url_gets_its_source_and_outlet(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://www.example-news.fr/2023/09/14/kim-visite.txt"
    text = ARTICLE.replace("Source: https://www.example-news.fr/2023/09/14/kim-visite\n", "")

    def fake_fetch(requested: str, **_options: object) -> Fetched:
        assert requested == url
        return Fetched(url, text.encode("utf-8"), "text/plain")

    monkeypatch.setattr(importer, "fetch", fake_fetch)
    (row,) = run(project, url).rows
    assert row.outlet == "Les Nouvelles"  # from the host, as with --source-url
    assert row.missing == (f"no author found: edit {row.path}",)
    entry = (project / row.path).read_text(encoding="utf-8")
    assert f'source:\n  name: "Les Nouvelles"\n  url: "{url}"\n' in entry


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        (("", "  "), "topics: [Défense]\n"),  # only empty values: the rules' topics stay
        ((" Asie ", "", "Asie", "Défense"), "topics: [Asie, Défense]\n"),
    ],
)
def test_empty_topic_options_are_ignored(
    project: Path, topics: tuple[str, ...], expected: str
) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (row,) = run(project, "a.txt", topics=topics).rows
    entry = (project / row.path).read_text(encoding="utf-8")
    assert expected in entry
    assert '""' not in entry


def test_source_url_that_does_not_parse_is_left_out(project: Path) -> None:
    text = ARTICLE.replace("https://www.example-news.fr/2023/09/14/kim-visite", "http://[::1/x")
    (project / "a.txt").write_text(text, encoding="utf-8")
    (row,) = run(project, "a.txt").rows
    assert row.notes == ("source URL left out: not a valid http(s) URL ('http://[::1/x')",)
    assert "no source found: pass --source-url or edit" in row.missing[0]
    assert "[::1" not in (project / row.path).read_text(encoding="utf-8")


def test_rss_date_without_offset_is_written_as_utc(project: Path) -> None:
    (project / "feed.xml").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        b"<item><title>Kim visite une base</title><link>https://wire.example/a</link>"
        b"<pubDate>Wed, 13 Sep 2023 23:30:00 -0000</pubDate>"
        b"<description>Kim Jong Un a visit\xc3\xa9 une base militaire.</description></item>"
        b"</channel></rss>"
    )
    (row,) = run(project, "feed.xml").rows
    entry = (project / row.path).read_text(encoding="utf-8")
    assert "date: 2023-09-13T23:30:00+00:00\n" in entry
    assert row.path == "content/2023/09/14-kim-visite-une-base.md"  # the day in Europe/Paris


SAME_SUMMARY_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire</title>
  <id>urn:wire</id>
  <updated>2023-09-14T10:00:00Z</updated>
  <entry>
    <title>First story</title><id>urn:1</id><updated>2023-09-14T10:00:00Z</updated>
    <link href="https://wire.example/1"/>
    <summary>Breaking news from the wire.</summary>
  </entry>
  <entry>
    <title>Second story</title><id>urn:2</id><updated>2023-09-14T11:00:00Z</updated>
    <link href="https://wire.example/2"/>
    <summary>Breaking news from the wire.</summary>
  </entry>
</feed>
"""


def test_entries_sharing_a_summary_are_not_duplicates(project: Path) -> None:
    (project / "wire.xml").write_text(SAME_SUMMARY_ATOM, encoding="utf-8")
    report = run_import(load_config(project), ["wire.xml"], ImportOptions(), cwd=project)
    assert [row.status for row in report.rows] == ["written", "written"]
    again = run_import(load_config(project), ["wire.xml"], ImportOptions(), cwd=project)
    assert [row.status for row in again.rows] == ["duplicate", "duplicate"]
    assert [row.notes[0].split(" (")[1] for row in again.rows] == ["same source URL)"] * 2


def test_update_reimports_keeping_the_fields_edited_by_hand(project: Path) -> None:
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(project, "a.txt")
    path = project / "content/2023/09/14-kim-jong-un-en-visite-militaire.md"
    edited = path.read_text(encoding="utf-8").replace(
        'title: "Kim Jong Un en visite militaire"', 'title: "Mon titre"'
    )
    path.write_text(edited, encoding="utf-8")
    config = (project / "briefgen.yaml").read_text(encoding="utf-8")
    (project / "briefgen.yaml").write_text(
        config.replace(
            "Défense: [militaire, armes]", "Défense: [militaire, armes]\n    Visites: [visite]"
        ),
        encoding="utf-8",
    )
    plain = run(project, "a.txt")
    assert [row.status for row in plain.rows] == ["duplicate"]
    report = run(project, "a.txt", update=True)
    (row,) = report.rows
    assert (row.status, row.notes) == ("updated", ("kept your edits of title",))
    document, _ = split(path.read_text(encoding="utf-8"), "x")
    assert document is not None
    assert document.meta.data["title"] == "Mon titre"  # edited: kept
    assert document.meta.data["topics"] == ["Défense", "Visites"]  # as imported: refreshed
    again = run(project, "a.txt", update=True)
    assert [row.status for row in again.rows] == ["unchanged"]


def test_full_article_replaces_the_feed_stub_of_its_url(project: Path) -> None:
    feed = SAME_SUMMARY_ATOM.replace(
        "https://wire.example/1", "https://www.example-news.fr/2023/09/14/kim-visite"
    )
    (project / "wire.xml").write_text(feed, encoding="utf-8")
    run(project, "wire.xml")
    stub = project / "content/2023/09/14-first-story.md"
    assert split(stub.read_text(encoding="utf-8"), "x")[0].body.strip() == ""  # type: ignore[union-attr]
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = run(project, "a.txt")
    (row,) = report.rows
    assert row.status == "updated"
    assert row.notes[0] == "the full article replaces the link entry"
    document = split(stub.read_text(encoding="utf-8"), "x")[0]
    assert document is not None
    assert document.body.startswith("Kim Jong Un a visité mercredi une base militaire")
    assert document.meta.data["title"] == "Kim Jong Un en visite militaire"


def test_retag_applies_rules_added_after_the_import(project: Path) -> None:
    from briefgen.ingest.retag import retag_entries

    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(project, "a.txt")
    path = project / "content/2023/09/14-kim-jong-un-en-visite-militaire.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("topics: [Défense]", "topics: [À moi]"),
        encoding="utf-8",
    )
    config = (project / "briefgen.yaml").read_text(encoding="utf-8")
    (project / "briefgen.yaml").write_text(
        config.replace(
            "Kim Jong Un: [Kim Jong Un]", "Kim Jong Un: [Kim Jong Un]\n    Bases: [base]"
        ),
        encoding="utf-8",
    )
    report = retag_entries(load_config(project))
    assert [row.status for row in report.rows] == ["retagged"]
    document = split(path.read_text(encoding="utf-8"), "x")[0]
    assert document is not None
    assert document.meta.data["topics"] == ["À moi", "Défense"]  # the user's kept, rule added
    assert document.meta.data["tags"] == ["Kim Jong Un", "Bases"]
    assert retag_entries(load_config(project)).rows == []


def test_json_feed_file_is_a_feed_and_other_json_is_refused(project: Path) -> None:
    import json

    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire",
        "items": [
            {
                "id": "1",
                "url": "https://wire.example/1",
                "title": "First story",
                "content_text": "A first story, told in full.",
                "date_published": "2023-09-14T10:00:00Z",
            }
        ],
    }
    (project / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (project / "data.json").write_text('{"title": "not a feed"}', encoding="utf-8")
    report = run(project, "feed.json", "data.json", dry_run=True)
    assert [row.title for row in report.rows] == ["First story"]
    assert [(d.path, d.message) for d in report.diagnostics] == [
        (
            "data.json",
            "not an article: JSON data (a JSON Feed needs its jsonfeed.org version)",
        )
    ]
