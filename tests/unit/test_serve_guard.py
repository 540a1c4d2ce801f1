"""The preview's guards, on a real server on a free port of 127.0.0.1 in a thread: it answers
only its own host names, opens the event stream only to its own pages, and hangs up on
silent or dribbling connections."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen import serve_http
from briefgen.serve_http import BACKLOG, EVENTS, Handler, Hub, PreviewServer, allowed_hosts


@dataclass
class Guarded:
    port: int
    server: PreviewServer

    def exchange(self, request: str) -> str:
        """Send `request` whole; the answer, up to its end or its first event."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request.encode())
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
                if b"event: hello" in answer:
                    break
            return answer.decode("utf-8", "replace")

    def get(self, path: str, host: str | None, extra: str = "") -> str:
        host_line = "" if host is None else f"Host: {host}\r\n"
        return self.exchange(f"GET {path} HTTP/1.1\r\n{host_line}{extra}\r\n")


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guarded]:
    site = tmp_path_factory.mktemp("guard")
    (site / "index.html").write_text("<!DOCTYPE html><html><body>home</body></html>")
    hub = Hub()
    server = PreviewServer(("127.0.0.1", 0), Path(site), hub, lambda: "/")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield Guarded(server.server_address[1], server)
    hub.close()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def status_of(answer: str) -> int:
    return int(answer.split(" ", 2)[1])


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_answers_its_own_host_names_with_the_port(guarded: Guarded, name: str) -> None:
    answer = guarded.get("/", f"{name}:{guarded.port}")
    assert status_of(answer) == 200
    assert "home" in answer


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # a DNS-rebinding name that now resolves to 127.0.0.1
        "localhost.evil.example:{port}",
        "127.0.0.1:1",  # another port
        "127.0.0.1",
        "127.0.0.1:{port}@evil.example",
        "",
        None,  # no Host at all
    ],
)
def test_refuses_any_other_host(guarded: Guarded, host: str | None) -> None:
    answer = guarded.get("/", None if host is None else host.format(port=guarded.port))
    assert status_of(answer) == 421
    assert "home" not in answer
    port = guarded.port
    named = f"127.0.0.1:{port}, [::1]:{port}, localhost:{port}"
    assert f"421 this preview answers only requests for {named}\n" in answer


def test_refuses_a_foreign_host_on_the_event_stream_too(guarded: Guarded) -> None:
    answer = guarded.get(EVENTS, f"evil.example:{guarded.port}")
    assert status_of(answer) == 421
    assert "event:" not in answer


def test_the_event_stream_is_refused_to_pages_of_another_site(guarded: Guarded) -> None:
    own = f"127.0.0.1:{guarded.port}"
    answer = guarded.get(EVENTS, own, "Origin: http://evil.example\r\n")
    assert status_of(answer) == 403
    assert "event:" not in answer
    assert "the event stream is only for pages of this preview" in answer


@pytest.mark.parametrize("origin", [None, "http://127.0.0.1:{port}", "http://localhost:{port}"])
def test_the_event_stream_opens_to_the_preview_own_pages(
    guarded: Guarded, origin: str | None
) -> None:
    extra = "" if origin is None else f"Origin: {origin.format(port=guarded.port)}\r\n"
    answer = guarded.get(EVENTS, f"localhost:{guarded.port}", extra)
    assert status_of(answer) == 200
    assert "text/event-stream" in answer


def test_allowed_hosts_include_the_host_it_was_asked_to_bind() -> None:
    assert allowed_hosts("192.168.1.5", 8000) >= {"192.168.1.5:8000", "localhost:8000"}
    assert "[fe80::1]:8000" in allowed_hosts("fe80::1", 8000)
    assert "localhost" in allowed_hosts("127.0.0.1", 80)  # browsers leave port 80 out
    assert "localhost" not in allowed_hosts("127.0.0.1", 8000)


def test_listens_with_a_real_backlog(guarded: Guarded) -> None:
    assert BACKLOG >= 128
    assert guarded.server.request_queue_size == BACKLOG


def closed_after(sock: socket.socket, drip: bytes, seconds: float) -> float:
    """Send `drip` one byte every half second until the server hangs up; the time it took."""
    started = time.monotonic()
    sock.settimeout(0.5)
    for byte in drip * 100:
        if time.monotonic() - started > seconds:
            break
        try:
            sock.sendall(bytes([byte]))
            if sock.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:  # reset by the server
            return time.monotonic() - started
    return time.monotonic() - started


def test_a_dribbled_request_is_dropped_at_its_deadline(
    guarded: Guarded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_http, "HEAD_DEADLINE", 1.5)
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        # each byte arrives well within the idle timeout: only a deadline on the whole
        # head ends this
        took = closed_after(sock, b"GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa", 8)
    assert 1.5 <= took < 4, took


def test_a_silent_connection_is_dropped(guarded: Guarded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Handler, "timeout", 1.0)
    monkeypatch.setattr(serve_http, "HEAD_DEADLINE", 30.0)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        sock.sendall(b"GET / HT")
        assert sock.recv(1024) == b""
    assert time.monotonic() - started < 4
    # and the server still answers
    assert status_of(guarded.get("/", f"127.0.0.1:{guarded.port}")) == 200
