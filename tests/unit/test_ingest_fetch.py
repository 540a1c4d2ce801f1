"""http(s) inputs: every failure is one `IngestError` line, never a traceback."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from briefgen.ingest.article import IngestError
from briefgen.ingest.fetch import fetch


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "cannot fetch: invalid URL (Invalid IPv6 URL)"),
        (
            "http://exa mple.com/",
            "cannot fetch: invalid URL (URL can't contain control characters. "
            "'exa mple.com' (found at least ' '))",
        ),
        ("http://127.0.0.1:abc/", "cannot fetch: invalid URL (nonnumeric port: 'abc')"),
    ],
)
def test_invalid_url_is_one_line(url: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        fetch(url, timeout=2)
    assert str(caught.value) == message


@pytest.fixture
def garbage_server() -> Iterator[str]:
    """Answers every connection with a line that is not an HTTP status line."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(b"hello, this is not HTTP\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/page"
    listener.close()


def test_bad_http_response_is_one_line(garbage_server: str) -> None:
    with pytest.raises(IngestError) as caught:
        fetch(garbage_server, timeout=5)
    assert str(caught.value).startswith("cannot fetch: bad HTTP response (")
    assert "\n" not in str(caught.value)


def _serve(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_answer, args=(connection, answer), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/page"
    stop.set()
    listener.close()


def _answer(connection: socket.socket, answer: Callable[[socket.socket], None]) -> None:
    with connection:
        connection.recv(4096)
        with contextlib.suppress(OSError):
            answer(connection)


def _drip_body(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
    for _ in range(200):
        connection.sendall(b"x")
        time.sleep(0.1)


def _drip_headers(connection: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 200:
        connection.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("answer", [_drip_body, _drip_headers])
def test_timeout_is_a_deadline_for_the_whole_fetch(answer: Callable[[socket.socket], None]) -> None:
    """Each read gets a byte in time, but the whole fetch stops at the deadline."""
    for url in _serve(answer):
        started = time.monotonic()
        with pytest.raises(IngestError) as caught:
            fetch(url, timeout=1)
        elapsed = time.monotonic() - started
        assert str(caught.value) == "cannot fetch: timed out after 1 s"
        assert elapsed < 3  # the server would drip for 20 s


def _redirect_to(location: bytes) -> Callable[[socket.socket], None]:
    def answer(connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
        )

    return answer


def test_redirect_off_http_is_refused_with_a_clear_message() -> None:
    for url in _serve(_redirect_to(b"ftp://files.example/secret.txt")):
        with pytest.raises(IngestError) as caught:
            fetch(url, timeout=5)
        assert str(caught.value) == (
            "cannot fetch: redirected to a ftp: URL ('ftp://files.example/secret.txt'); "
            "only http and https are followed"
        )


def test_redirect_loop_stops() -> None:
    for url in _serve(_redirect_to(b"/again")):
        with pytest.raises(IngestError) as caught:
            fetch(url, timeout=5)
        assert str(caught.value) == "cannot fetch: more than 5 redirects"
