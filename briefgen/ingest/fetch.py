"""http(s) inputs: fetched with a timeout and a size limit, errors as one clear line."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
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


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET `url`; raises `IngestError("cannot fetch: …")` on any failure."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(f"cannot fetch: larger than {describe_size(max_bytes)}")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise IngestError(f"cannot fetch: larger than {describe_size(max_bytes)}")
            content_type = response.headers.get_content_type() or ""
            return Fetched(response.geturl(), data, content_type.lower())
    except urllib.error.HTTPError as exc:
        raise IngestError(f"cannot fetch: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise IngestError(f"cannot fetch: timed out after {timeout:g} s") from exc
        if isinstance(reason, ConnectionRefusedError):
            raise IngestError("cannot fetch: connection refused") from exc
        raise IngestError(f"cannot fetch: {reason}") from exc
    except TimeoutError as exc:
        raise IngestError(f"cannot fetch: timed out after {timeout:g} s") from exc
    except (http.client.InvalidURL, ValueError) as exc:
        raise IngestError(f"cannot fetch: invalid URL ({one_line(exc)})") from exc
    except http.client.HTTPException as exc:
        reason = one_line(exc) or type(exc).__name__
        raise IngestError(f"cannot fetch: bad HTTP response ({reason})") from exc
    except OSError as exc:
        raise IngestError(f"cannot fetch: {one_line(exc)}") from exc


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (messages are one line each)."""
    return " ".join(str(exc).split())
