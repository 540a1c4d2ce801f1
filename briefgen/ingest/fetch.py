"""http(s) inputs: fetched within a total deadline and a size limit, redirects on
http(s) only, errors as one clear line."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass

from briefgen import __version__
from briefgen.ingest.article import IngestError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = 10.0
USER_AGENT = f"briefgen/{__version__} (+https://github.com/briefgen)"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str  # lowercased media type, without parameters


def describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET `url`, following up to 5 redirects on http(s) only, all within `timeout`
    seconds in total (a server that drips its answer is cut off at the deadline);
    raises `IngestError("cannot fetch: …")` on any failure."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError as exc:
            raise IngestError(f"cannot fetch: invalid URL ({one_line(exc)})") from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise IngestError(
                f"cannot fetch: redirected to a {scheme or 'relative'}: URL "
                f"({_bounded(url)}); only http and https are followed"
            )
        location, fetched = _get_once(url, parts, deadline, timeout, max_bytes)
        if fetched is not None:
            return fetched
        url = urllib.parse.urljoin(url, location)
    raise IngestError(f"cannot fetch: more than {MAX_REDIRECTS} redirects")


def _get_once(
    url: str,
    parts: urllib.parse.SplitResult,
    deadline: float,
    timeout: float,
    max_bytes: int,
) -> tuple[str, Fetched | None]:
    """One request: (the redirect's location, None) or ("", the page)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise IngestError(f"cannot fetch: timed out after {timeout:g} s")
    expired = threading.Event()
    connection: http.client.HTTPConnection | None = None
    sockets: list[socket.socket] = []  # the connection's, kept: it drops it once read

    def abort() -> None:  # at the deadline: unblock whatever read is waiting
        expired.set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(remaining, abort)
    timer.daemon = True
    timer.start()
    try:
        kind = (
            http.client.HTTPSConnection
            if parts.scheme.lower() == "https"
            else (http.client.HTTPConnection)
        )
        connection = kind(parts.netloc, timeout=remaining)
        connection.connect()
        if connection.sock is not None:
            sockets.append(connection.sock)
        if expired.is_set():
            raise TimeoutError
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        location = response.getheader("Location") or ""
        if response.status in REDIRECTS and location:
            return location, None
        if response.status >= 400:
            raise IngestError(f"cannot fetch: HTTP {response.status} {response.reason}")
        data = _read_body(response, max_bytes, expired)
        content_type = response.headers.get_content_type() or ""
        return "", Fetched(url, data, content_type.lower())
    except IngestError:
        raise
    except TimeoutError as exc:
        raise IngestError(f"cannot fetch: timed out after {timeout:g} s") from exc
    except (http.client.InvalidURL, ValueError) as exc:
        raise IngestError(f"cannot fetch: invalid URL ({one_line(exc)})") from exc
    except (http.client.HTTPException, OSError) as exc:
        if expired.is_set():
            raise IngestError(f"cannot fetch: timed out after {timeout:g} s") from exc
        if isinstance(exc, ConnectionRefusedError):
            raise IngestError("cannot fetch: connection refused") from exc
        if isinstance(exc, http.client.HTTPException):
            reason = one_line(exc) or type(exc).__name__
            raise IngestError(f"cannot fetch: bad HTTP response ({reason})") from exc
        raise IngestError(f"cannot fetch: {one_line(exc) or type(exc).__name__}") from exc
    finally:
        timer.cancel()
        if connection is not None:
            connection.close()


def _read_body(
    response: http.client.HTTPResponse, max_bytes: int, expired: threading.Event
) -> bytes:
    length = response.getheader("Content-Length") or ""
    if length.isdigit() and int(length) > max_bytes:
        raise IngestError(f"cannot fetch: larger than {describe_size(max_bytes)}")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(CHUNK)
        if expired.is_set():
            raise TimeoutError
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise IngestError(f"cannot fetch: larger than {describe_size(max_bytes)}")
        chunks.append(chunk)


def _bounded(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (messages are one line each)."""
    return " ".join(str(exc).split())
