"""http(s) inputs: every failure is one `IngestError` line, never a traceback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

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
