"""`briefgen serve` in a real headless Chromium: live reload, error overlay, clean stop.

The real CLI runs in a subprocess on a free port of 127.0.0.1 with its own
TMPDIR, so the test can check that it leaves no temporary folder behind.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_tree
from tests.e2e.browser import launch_chromium, require_chromium

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# catches a reload that never comes; latency is measured by benchmarks/serve_latency.py
RELOAD_WITHIN = 10.0  # seconds
LATENCIES: list[float] = []


def entry(title: str, day: str, body: str, topic: str = "Diplomatie") -> str:
    return (
        f'---\ntitle: "{title}"\ndate: {day}\nsource:\n  name: Le Monde\n'
        f"  url: https://example.org/{day}\ntopics: [{topic}]\n"
        f'summary: "Summary of {title}."\n---\n{body}\n'
    )


PROJECT = {
    "briefgen.yaml": 'title: "Preview test"\nbase_url: "https://desk.example.org/brief/"\n',
    "content/2023/09/14-cooperation.md": entry("Coopération", "2023-09-14", "Original body."),
    "content/2023/09/13-arrivee.md": entry("Arrivée", "2023-09-13", "Train body.", "Défense"),
    "content/2023/09/12-annonce.md": entry("Annonce", "2023-09-12", "Kremlin body."),
}
ARTICLE = "content/2023/09/14-cooperation.md"


@dataclass
class Served:
    project: Path
    temp: Path
    process: subprocess.Popen[str]
    url: str
    stderr: Path


def start_serve(root: Path, *args: str, inside: str = "") -> Served:
    """`briefgen serve` in a new project, run from the project or its folder `inside`."""
    project = write_tree(root / "project", dict(PROJECT))
    temp = root / "tmp"
    temp.mkdir()
    stderr = root / "stderr.txt"
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONIOENCODING": "utf-8"}
    with stderr.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "serve", "--port", "0", *args],
            cwd=project / inside,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        line = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail(f"no URL printed; stderr: {stderr.read_text()}")
    assert line.startswith("Serving http://127.0.0.1:"), line
    assert line.rstrip().endswith("/brief/ (Ctrl-C to stop)"), line
    return Served(project, temp, process, line.split()[1], stderr)


def stop(served: Served) -> int:
    served.process.send_signal(signal.SIGINT)
    return served.process.wait(timeout=15)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_chromium()
    running = start_serve(tmp_path_factory.mktemp("serve"))
    yield running
    if running.process.poll() is None:
        stop(running)


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    opened.close()


def edit(path: Path, old: str, new: str) -> float:
    """Change `path` on disk as an editor would; the moment of the write."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return time.perf_counter()


def wait_for_text(page: Any, selector: str, text: str, since: float) -> float:
    page.locator(selector, has_text=text).first.wait_for(timeout=RELOAD_WITHIN * 1000)
    return time.perf_counter() - since


def test_an_edited_body_shows_without_any_action(served: Served, page: Any) -> None:
    page.goto(served.url + "articles/cooperation/")
    assert "Original body." in page.inner_text("article")
    time.sleep(0.3)  # let the event stream connect
    for round in range(3):
        written = edit(
            served.project / ARTICLE,
            f"{'Original' if round == 0 else round} body.",
            f"{round + 1} body.",
        )
        LATENCIES.append(wait_for_text(page, "article", f"{round + 1} body.", written))
    print(f"edit-to-reload latency: {', '.join(f'{s * 1000:.0f} ms' for s in LATENCIES)}")
    assert max(LATENCIES) < RELOAD_WITHIN


def test_broken_front_matter_shows_overlay_then_the_page_comes_back(
    served: Served, browser: Any, page: Any
) -> None:
    page.goto(served.url + "articles/cooperation/")
    time.sleep(0.3)
    since = edit(served.project / ARTICLE, "date: 2023-09-14", "date: 14/09/2023")
    overlay = page.locator("#__briefgen_overlay")
    overlay.wait_for(timeout=RELOAD_WITHIN * 1000)
    shown = overlay.inner_text()
    assert f"{ARTICLE}:3: error: date:" in shown, shown
    assert "14/09/2023" in shown
    print(f"edit-to-overlay latency: {(time.perf_counter() - since) * 1000:.0f} ms")
    # a page opened while the build is broken shows the overlay too (rendered by the server)
    fresh = browser.new_page()
    fresh.goto(served.url + "topics/")
    assert f"{ARTICLE}:3" in fresh.locator("#__briefgen_overlay").inner_text()
    # and the terminal says the same
    assert f"{ARTICLE}:3: error: date:" in served.stderr.read_text()
    assert served.process.poll() is None, "a build error must not stop the server"

    since = edit(served.project / ARTICLE, "date: 14/09/2023", "date: 2023-09-14")
    overlay.wait_for(state="detached", timeout=RELOAD_WITHIN * 1000)
    fresh.locator("#__briefgen_overlay").wait_for(state="detached", timeout=RELOAD_WITHIN * 1000)
    assert "body." in page.inner_text("article")
    print(f"fix-to-page latency: {(time.perf_counter() - since) * 1000:.0f} ms")
    fresh.close()
    # the fix restores the bytes of before: the terminal still says the build is back
    assert wait_for_line(served.stderr, "Rebuilt: fixed, 0 files changed (")


def wait_for_line(path: Path, start: str) -> str:
    """The last line of `path` that starts with `start`, waiting for it up to 5 s."""
    deadline = time.monotonic() + 5
    while True:
        found = [line for line in path.read_text().splitlines() if line.startswith(start)]
        if found or time.monotonic() > deadline:
            return found[-1] if found else ""
        time.sleep(0.05)


def test_a_stylesheet_edit_swaps_the_css_without_a_reload(served: Served, page: Any) -> None:
    page.goto(served.url)
    page.evaluate("window.__notReloaded = true")
    time.sleep(0.3)
    css = served.project / "templates" / "assets" / "style.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    theme = (REPO / "templates" / "assets" / "style.css").read_text(encoding="utf-8")
    css.write_text(theme + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n", encoding="utf-8")
    page.wait_for_function(
        "getComputedStyle(document.body).outlineWidth === '7px'", timeout=RELOAD_WITHIN * 1000
    )
    assert page.evaluate("window.__notReloaded") is True


def test_a_template_edit_changes_every_page(served: Served, page: Any) -> None:
    page.goto(served.url + "articles/cooperation/")
    time.sleep(0.3)
    theme = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    marker = '<p class="template-marker">Edited template</p>'
    assert "<body>" in theme
    target = served.project / "templates" / "base.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    since = time.perf_counter()
    target.write_text(theme.replace("<body>", "<body>\n" + marker, 1), encoding="utf-8")
    wait_for_text(page, ".template-marker", "Edited template", since)
    assert list(served.temp.iterdir()) == []  # the preview builds in its own folder
    pages = sorted((served.project / ".briefgen-cache" / "preview").rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        assert marker in html.read_text(encoding="utf-8"), html
    # and as served, under the base path
    with urllib.request.urlopen(served.url + "dates/") as response:
        assert marker in response.read().decode()


def test_ctrl_c_stops_cleanly_and_keeps_the_preview_folder_for_the_next(tmp_path: Path) -> None:
    running = start_serve(tmp_path)
    with urllib.request.urlopen(running.url) as response:
        assert response.status == 200
    cache = running.project / ".briefgen-cache"
    assert (cache / ".briefgen-lock-preview-session").exists()  # this session's
    assert stop(running) == 0
    assert (cache / "preview" / "index.html").is_file()
    assert not (cache / ".briefgen-lock-preview-session").exists()
    assert not (cache / "preview-search").exists()  # the indexer's snapshots, gone with it
    assert list(running.temp.iterdir()) == []
    assert "Traceback" not in running.stderr.read_text()


def test_serve_runs_from_a_folder_inside_the_project(tmp_path: Path) -> None:
    running = start_serve(tmp_path, inside="content/2023")
    try:
        with urllib.request.urlopen(running.url + "articles/cooperation/") as response:
            assert "Original body." in response.read().decode()
        assert "Built 3 entries: " in running.stderr.read_text()
    finally:
        assert stop(running) == 0
