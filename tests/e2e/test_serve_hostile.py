"""The real `briefgen serve` process under hostile and heavy use, on 127.0.0.1 only:
foreign Host and Origin refused, 50 concurrent clients for 20 s without one error."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.conftest import ROOT, write_tree

pytestmark = pytest.mark.e2e

CLIENTS = 50
SECONDS = 20.0
ENTRY = """---
title: "Entry {n}"
date: 2023-09-{day:02d}T10:00:00+02:00
source: {{name: Le Monde, url: "https://example.org/{n}"}}
topics: [Défense]
summary: "Summary {n}."
---
Body of entry {n}.
"""


@dataclass
class Serving:
    process: subprocess.Popen[str]
    port: int
    base: str  # the base path, `/brief/`


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    root = tmp_path_factory.mktemp("hostile-serve")
    files = {
        "briefgen.yaml": 'title: "Load"\nbase_url: "https://desk.example.org/brief/"\n',
        **{
            f"content/2023/09/entry-{n}.md": ENTRY.format(n=n, day=n % 28 + 1) for n in range(1, 21)
        },
    }
    project = write_tree(root / "project", files)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "TMPDIR": str(root)})
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--host", "127.0.0.1", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
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
        pytest.fail("briefgen serve printed no URL within 60 s")
    assert line.startswith("Serving http://127.0.0.1:"), line
    port = int(line.split()[1].split(":")[2].split("/")[0])
    yield Serving(process, port, "/brief/")
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("briefgen serve did not stop within 15 s of Ctrl-C")


def ask(port: int, request: bytes, *, until: bytes = b"") -> bytes:
    """Send a whole request to 127.0.0.1:`port`; the answer up to its end (or `until`)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if until and until in answer:
                break
        return answer


def get(port: int, path: str, host: str, extra: str = "", until: bytes = b"") -> bytes:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    return ask(port, request.encode(), until=until)


def test_a_foreign_host_gets_421_and_no_page(serving: Serving) -> None:
    own = get(serving.port, serving.base, f"127.0.0.1:{serving.port}")
    assert own.startswith(b"HTTP/1.0 200 ") and b"Entry 20" in own
    for host in (f"rebind.attacker.example:{serving.port}", "127.0.0.1:80", ""):
        answer = get(serving.port, serving.base, host)
        assert answer.startswith(b"HTTP/1.0 421 "), answer[:200]
        assert b"Entry" not in answer
    stream = get(serving.port, "/__briefgen__/events", f"attacker.example:{serving.port}")
    assert stream.startswith(b"HTTP/1.0 421 ") and b"event:" not in stream


def test_a_foreign_origin_cannot_open_the_event_stream(serving: Serving) -> None:
    own = f"127.0.0.1:{serving.port}"
    refused = get(serving.port, "/__briefgen__/events", own, "Origin: http://attacker.example\r\n")
    assert refused.startswith(b"HTTP/1.0 403 ") and b"event:" not in refused
    opened = get(
        serving.port,
        "/__briefgen__/events",
        own,
        f"Origin: http://{own}\r\n",
        until=b"event: hello",
    )
    assert opened.startswith(b"HTTP/1.0 200 ") and b"event: hello" in opened


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: int = 0
    errors: list[str] = field(default_factory=list)


def client(serving: Serving, number: int, stop: float, tally: Tally) -> None:
    paths = [
        serving.base,
        f"{serving.base}articles/entry-7/",
        f"{serving.base}topics/",
        f"{serving.base}feed.xml",
        f"{serving.base}assets/style.css",
    ]
    host = f"127.0.0.1:{serving.port}"
    count = 0
    while time.monotonic() < stop:
        path = paths[(number + count) % len(paths)]
        try:
            answer = get(serving.port, path, host)
            if not answer.startswith(b"HTTP/1.0 200 "):
                raise ValueError(answer[:80].decode("latin-1"))
            head, _, body = answer.partition(b"\r\n\r\n")
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            if len(body) != length:
                raise ValueError(f"{len(body)} bytes of {length}")
        except (OSError, ValueError, IndexError) as exc:
            with tally.lock:
                tally.errors.append(f"client {number}, {path}: {type(exc).__name__}: {exc}")
        count += 1
    with tally.lock:
        tally.answers += count


def test_fifty_clients_for_twenty_seconds_without_an_error(serving: Serving) -> None:
    tally = Tally()
    stop = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=client, args=(serving, n, stop, tally), daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 30)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert tally.errors == [], f"{len(tally.errors)} errors, first: {tally.errors[:3]}"
    assert tally.answers >= CLIENTS * 5, tally.answers
    assert serving.process.poll() is None
