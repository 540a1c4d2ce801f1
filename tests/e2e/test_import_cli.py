"""`briefgen import` as a user runs it: a subprocess in a scratch project, and URLs
served from 127.0.0.1 (never the internet)."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SEEDS = ROOT.parent / "shared" / "seeds"


def briefgen(project: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """`briefgen ARGS…` run in the folder `project` (the project itself, or a folder in it)."""
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=project,
        input=stdin.decode("utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "briefgen.yaml").write_text(
        "title: T\nlanguage: fr\ntimezone: Europe/Paris\n"
        "import:\n  sources:\n    www.aljazeera.com: Al Jazeera\n",
        encoding="utf-8",
    )
    return tmp_path


def entries(project: Path) -> list[str]:
    return sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*.md"))


def test_seed_folder_import_and_reimport(project: Path) -> None:
    first = briefgen(project, "import", str(SEEDS))
    assert first.returncode == 0, first.stderr
    assert entries(project) == [
        "content/2023/09/04-le-dirigeant-nord-coreen-kim-jong-un-devrait-rencontrer-le.md",
        "content/2023/09/13-kim-jong-un-a-affirme-le-mercredi-13-septembre-2023-qu-il.md",
        "content/2023/09/13-kim-s-aligne-sur-la-guerre-sainte-de-poutine.md",
        "content/2023/09/14-la-russie-et-la-coree-du-nord-envisagent-une-cooperation.md",
        "content/undated/les-questions-sensibles-discutees-par-poutine-et-le.md",
    ]
    out = first.stdout.splitlines()
    assert out[0].split() == ["entry", "date", "outlet", "lang", "words", "missing"]
    assert all(len(line) <= 100 for line in out[:6])  # the table fits 100 columns
    undated = "content/undated/les-questions-sensibles-discutees-par-poutine-et-le.md"
    assert (
        f"no date found: pass --date or edit {undated} (written as a draft until it has a date)"
    ) in out
    assert out[-1] == "5 entries written"
    front_matter = (project / undated).read_text(encoding="utf-8").split("\n---\n")[0]
    assert "\ndraft: true" in front_matter and "\ndate:" not in front_matter
    again = briefgen(project, "import", str(SEEDS))
    assert again.returncode == 0
    assert (
        again.stdout.splitlines()[-1]
        == "0 entries written, 5 already imported (nothing new; --update re-imports)"
    )
    # each duplicate said once: in the table, not again as a note
    assert sum("duplicate" in line for line in again.stdout.splitlines()) == 5
    quiet = briefgen(project, "import", "-q", str(SEEDS))
    assert quiet.returncode == 0 and quiet.stdout == ""  # duplicates are no problem
    assert len(entries(project)) == 5


def test_quiet_import_prints_only_the_problems(project: Path) -> None:
    undated = "content/undated/les-questions-sensibles-discutees-par-poutine-et-le.md"
    quiet = briefgen(project, "import", "-q", str(SEEDS / "002_740f9f67fb748314.txt"))
    assert quiet.returncode == 0
    assert quiet.stdout.splitlines() == [
        f"no date found: pass --date or edit {undated} (written as a draft until it has a date)",
        f"no source found: pass --source-url or edit {undated}",
        f"no author found: edit {undated}",
    ]


def test_date_option_and_dry_run(project: Path) -> None:
    seed = str(SEEDS / "002_740f9f67fb748314.txt")
    dry = briefgen(project, "import", seed, "--date", "2023-09-13", "--dry-run")
    assert dry.returncode == 0
    assert "content/2023/09/13-les-questions-sensibles-discutees-par-poutine-et-le.md" in dry.stdout
    assert dry.stdout.splitlines()[-1] == "would write 1 entry (dry run: nothing written)"
    assert not (project / "content").exists()
    verbose = briefgen(project, "-v", "import", seed, "--dry-run")
    assert 'title: "Les « questions sensibles » discutées par Poutine' in verbose.stdout


def test_usage_errors_exit_2(project: Path) -> None:
    bad_date = briefgen(project, "import", "x.txt", "--date", "14/09/2023")
    assert bad_date.returncode == 2
    assert "expected YYYY-MM-DD or an ISO 8601 date-time" in bad_date.stderr
    assert briefgen(project, "import").returncode == 2
    assert briefgen(project, "import", "x.txt", "--source-url", "ftp://x").returncode == 2
    assert briefgen(project, "import", "x.txt", "--source-url", "http://[::1/x").returncode == 2
    assert briefgen(project, "import", "x.txt", "--lang", "english").returncode == 2


def test_lang_option_is_written_as_bcp47(project: Path) -> None:
    (project / "a.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    result = briefgen(project, "import", "a.txt", "--lang", "fr_ca", "--date", "2023-09-13")
    assert result.returncode == 0, result.stderr
    assert "\nlang: fr-CA\n" in (project / "content/2023/09/13-titre.md").read_text("utf-8")


def test_noise_options_on_the_subcommand(project: Path) -> None:
    inbox = project / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    warning = "inbox/photo.jpg: warning: skipped: not a text, HTML or feed file"
    normal = briefgen(project, "import", "inbox", "--dry-run")
    assert normal.returncode == 0 and warning in normal.stderr
    quiet = briefgen(project, "import", "-q", "inbox", "--dry-run")
    assert quiet.returncode == 0, quiet.stderr
    assert warning not in quiet.stderr
    verbose = briefgen(project, "import", "inbox", "--dry-run", "-v")
    assert verbose.returncode == 0, verbose.stderr
    assert '\n---\ntitle: "Titre"\n' in verbose.stdout  # the entry a dry run would write


def test_run_from_a_folder_inside_the_project(project: Path) -> None:
    (project / "content" / "inbox").mkdir(parents=True)
    (project / "content" / "inbox" / "a.txt").write_text(
        "Titre\n\nUn paragraphe.\n", encoding="utf-8"
    )
    result = briefgen(project / "content", "import", "inbox/a.txt", "--date", "2023-09-13")
    assert result.returncode == 0, result.stderr
    assert entries(project) == ["content/2023/09/13-titre.md"]
    assert not (project / "content" / "content").exists()


def test_outside_a_project_stops_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    result = briefgen(tmp_path, "import", "a.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: no briefgen.yaml in {tmp_path.resolve()} or any folder above it "
        "(expected a briefing project: `briefgen init DIR` makes one)"
    ]
    assert not (tmp_path / "content").exists()


def test_bad_inputs_fail_with_one_line_each_and_exit_1(project: Path) -> None:
    (project / "empty.txt").write_bytes(b"")
    (project / "image.png.txt").write_bytes((FIXTURES / "binary.png").read_bytes())
    (project / "good.txt").write_text("Titre\n\nUn premier paragraphe.\n", encoding="utf-8")
    (project / "x.md").write_text("---\ntitle: X\ndate: 2023-09-14\n---\nCorps.\n", "utf-8")
    args = ("empty.txt", "image.png.txt", "x.md", "good.txt", "http://[::1", "http://exa mple.com/")
    result = briefgen(project, "import", *args)
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()) == [
        "empty.txt: error: empty file (expected the text of an article)",
        "http://[::1: error: cannot fetch: invalid URL (Invalid IPv6 URL)",
        "http://exa mple.com/: error: cannot fetch: invalid URL (URL can't contain control "
        "characters. 'exa mple.com' (found at least ' '))",
        "image.png.txt: error: binary file (expected text, HTML or a feed)",
        "x.md: error: already a briefgen entry (front matter found): copy it into content/ instead",
    ]
    assert entries(project) == ["content/undated/titre.md"]
    assert result.stdout.splitlines()[-1] == "1 entry written, 5 failed"


def test_invalid_url_in_a_dry_run(project: Path) -> None:
    result = briefgen(project, "import", "http://[::1", "--dry-run")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "http://[::1: error: cannot fetch: invalid URL (Invalid IPv6 URL)"
    ]
    assert result.stdout.splitlines()[-1] == (
        "would write 0 entries (dry run: nothing written), 1 failed"
    )


def test_stdin(project: Path) -> None:
    result = briefgen(
        project,
        "import",
        "-",
        "--date",
        "2023-09-13T10:00:00",
        stdin="Titre lu\n\nTexte de l’article.\n".encode(),
    )
    assert result.returncode == 0, result.stderr
    text = (project / "content/2023/09/13-titre-lu.md").read_text(encoding="utf-8")
    assert "date: 2023-09-13T10:00:00+02:00\n" in text


# URLs -----------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(FIXTURES), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_url_page_and_feed(project: Path, server: str) -> None:
    result = briefgen(project, "import", f"{server}/en_article.html", f"{server}/feed_rss.xml")
    assert result.returncode == 0, result.stderr
    assert entries(project) == [
        "content/2023/09/13-putin-and-kim-meet-at-russian-spaceport-as-arms-deal-fears.md",
        "content/2023/09/15-seoul-convoque-l-ambassadeur-de-russie.md",
        "content/2023/09/17-kim-jong-un-quitte-la-russie-apres-six-jours-de-visite.md",
    ]
    page = (project / entries(project)[0]).read_text(encoding="utf-8")
    assert '  url: "https://northernledger.example/world/asia/putin-kim-vostochny-summit"' in page


def test_url_errors(project: Path, server: str, silent_server: str) -> None:
    missing = f"{server}/nothing-here.html"
    slow = f"{silent_server}/article"
    result = briefgen(project, "import", "--timeout", "0.5", missing, slow)
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()[-2:]) == sorted(
        [
            f"{missing}: error: cannot fetch: HTTP 404 File not found",
            f"{slow}: error: cannot fetch: timed out after 0.5 s",
        ]
    )
    assert not (project / "content").exists()


def test_five_concurrent_imports_write_the_article_once(project: Path) -> None:
    """Real processes started together: the import lock lets one write, the others see it."""
    article = project / "article.txt"
    article.write_text(
        "Un titre d'article\n\n2023-09-14\n\nUn paragraphe assez long pour un article.\n\n"
        "Source: https://www.example-news.fr/2023/09/14/titre\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["PYTHONPATH"] = str(ROOT)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "briefgen", "import", "article.txt"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(5)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 5
    assert all("Traceback" not in err for _out, err in outputs)
    assert entries(project) == ["content/2023/09/14-un-titre-d-article.md"]
    assert sum("1 entry written" in out for out, _err in outputs) == 1
    assert sum("1 already imported" in out for out, _err in outputs) == 4


def test_retag_command_applies_new_rules_to_imported_entries(project: Path) -> None:
    seed = str(SEEDS / "000_04b9b70f7690e1c9.txt")
    assert briefgen(project, "import", seed).returncode == 0
    config = project / "briefgen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  tags:\n    Russie: [Russie]\n", encoding="utf-8"
    )
    dry = briefgen(project, "retag", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1] == "1 entry would change"
    done = briefgen(project, "retag")
    assert done.stdout.splitlines()[-1] == "1 entry changed"
    [entry] = entries(project)
    assert "tags: [Russie]" in (project / entry).read_text(encoding="utf-8")
    assert briefgen(project, "retag").stdout.splitlines()[-1] == "0 entries changed"
