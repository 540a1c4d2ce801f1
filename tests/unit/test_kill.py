"""Real processes killed at random moments: builds leave a whole site, `serve` always starts."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from briefgen import parallel
from tests.conftest import ROOT, run_cli


def make_entries(project: Path, count: int, body: str) -> None:
    (project / "content").mkdir(parents=True, exist_ok=True)
    (project / "briefgen.yaml").write_text('title: "Desk"\nlanguage: fr\n')
    for number in range(count):
        (project / "content" / f"e{number:04d}.md").write_text(
            f"---\ntitle: Article {number}\ndate: 2023-{number % 12 + 1:02d}-"
            f"{number % 28 + 1:02d}\nsource: {{name: AFP {number % 5}, url: "
            f"'https://a.example/{number}'}}\ntopics: [Sujet {number % 7}]\n"
            f"summary: Résumé {number}.\n---\n{body} {number}.\n",
            encoding="utf-8",
        )


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to read its status is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
        "PYTHONPATH": str(ROOT),
        "XDG_CACHE_HOME": str(tmp_path / "home"),
    }


def test_builds_killed_at_random_moments_leave_a_whole_site_and_a_usable_cache(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    make_entries(project, 300, "Premier corps")
    first = run_cli("build", "-q", cwd=project, env={"XDG_CACHE_HOME": str(tmp_path / "home")})
    assert first.returncode == 0, first.stderr
    old = tree(project / "site")
    make_entries(project, 300, "Second corps")
    reference = tmp_path / "reference"
    shutil.copytree(project / "content", reference / "content")
    shutil.copy(project / "briefgen.yaml", reference)
    assert run_cli("build", "-q", cwd=reference).returncode == 0
    new = tree(reference / "site")
    chance = random.Random(8)
    for attempt in range(6):
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "-q"],
            cwd=project,
            env=env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(chance.uniform(0.2, 2.5))
        workers = children(process.pid)
        if attempt % 2:
            os.killpg(process.pid, signal.SIGKILL)  # the build and its workers
        else:
            process.kill()  # the build alone: its workers must not outlive it
        process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)]
        assert tree(project / "site") in (old, new)
    again = run_cli("build", cwd=project, env={"XDG_CACHE_HOME": str(tmp_path / "home")})
    assert again.returncode == 0, again.stderr
    assert "cache ignored" not in again.stderr
    assert tree(project / "site") == new
    assert sorted(p.name for p in project.iterdir()) == [
        ".briefgen-cache",
        "briefgen.yaml",
        "content",
        "site",
    ]


def start_serve(project: Path, tmp_path: Path) -> float:
    """Start `briefgen serve`, fetch its home page, stop it; the seconds it took to serve."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--port", "0"],
        cwd=project,
        env={**env(tmp_path), "BRIEFGEN_JOBS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # bounded by the wait below if it never comes
        assert line.startswith("Serving http://127.0.0.1:"), line
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(line.split()[1], timeout=10) as response:
            assert response.status == 200
        took = time.monotonic() - started
        process.send_signal(signal.SIGTERM)
        _out, errors = process.communicate(timeout=20)
        assert process.returncode == 0, errors
        assert "Traceback" not in errors, errors
        return took
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_starts_every_time(tmp_path: Path) -> None:
    """50 starts, each with a first build on worker processes (the command's SIGTERM and
    SIGINT handlers are installed before it: the workers must not inherit them)."""
    project = tmp_path / "project"
    make_entries(project, parallel.MIN_ITEMS + 10, "Corps")
    with ThreadPoolExecutor(2) as pool:
        times = list(pool.map(lambda _: start_serve(project, tmp_path), range(50)))
    assert len(times) == 50
