"""Fetching external links for `briefgen check --external`, each within a total deadline.

Each URL is asked for with HEAD, then GET when HEAD is refused; redirects are
followed (a few, on http and https only). Everything one URL takes, DNS,
connecting, TLS, every redirect and both methods, fits in one deadline: a
watchdog shuts the socket down when it passes, so a server that drips its
answer a byte at a time cannot hold a check longer than that. Only the status
line and headers are read. Proxies are not used: the links are fetched
directly, as a reader's browser would.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from briefgen import __version__

Progress = Callable[[int, int], None]

TIMEOUT = 10.0  # seconds for one URL, all told
WORKERS = 8
MAX_REDIRECTS = 5
MAX_HEAD = 64 * 1024  # bytes of status line and headers read at most
USER_AGENT = f"briefgen/{__version__} (link check)"
_STATUS_LINE = re.compile(rb"HTTP/\d(?:\.\d)? (\d{3})(?: |\r?\n|$)")
_REDIRECTS = (301, 302, 303, 307, 308)
_SHOWN = 60  # characters of a URL or an answer quoted in a message


@dataclass(frozen=True)
class Failure:
    """Why a URL failed: `reached` is False when no server could even be connected to."""

    severity: str  # "error" or "warning"
    why: str
    reached: bool = True


class _Failed(Exception):
    def __init__(self, why: str, *, reached: bool) -> None:
        super().__init__(why)
        self.why = why
        self.reached = reached


def check_external(
    urls: list[str],
    *,
    timeout: float = TIMEOUT,
    workers: int = WORKERS,
    progress: Progress | None = None,
) -> dict[str, Failure]:
    """Fetch each URL, a few at a time: {url: failure} for those that do not answer a success."""
    failures: dict[str, Failure] = {}
    if not urls:
        return failures
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(fetch_status, url, timeout): url for url in urls}
        for done, future in enumerate(as_completed(futures), 1):
            problem = future.result()
            if problem is not None:
                failures[futures[future]] = problem
            if progress is not None:
                progress(done, len(urls))
    return failures


def network_down(urls: list[str], failures: dict[str, Failure]) -> bool:
    """True when several URLs were checked and no server at all could be connected to."""
    return (
        len(urls) >= 2
        and len(failures) == len(urls)
        and not any(failure.reached for failure in failures.values())
    )


def fetch_status(url: str, timeout: float = TIMEOUT) -> Failure | None:
    """None when `url` answers a success within `timeout` seconds, else why not."""
    deadline = time.monotonic() + timeout
    try:
        status = _follow(url, "HEAD", deadline, timeout)
        if status < 400:
            return None
        status = _follow(url, "GET", deadline, timeout)  # some servers refuse HEAD
    except _Failed as failed:
        return Failure("error", failed.why, failed.reached)
    if status < 400:
        return None
    if status in (401, 403, 429):
        return Failure("warning", f"HTTP {status} (the server may refuse automated requests)")
    return Failure("error", f"HTTP {status}")


def _follow(url: str, method: str, deadline: float, timeout: float) -> int:
    """The status of `url` after its redirects."""
    for _ in range(MAX_REDIRECTS + 1):
        status, location = _request(url, method, deadline, timeout)
        if status not in _REDIRECTS or not location:
            return status
        try:
            url = urljoin(url, location)
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            why = f"redirected to a malformed URL: {_quoted(location)}"
            raise _Failed(why, reached=True) from None
        if scheme not in ("http", "https"):
            raise _Failed(
                f"redirected to {_quoted(url)}, which is not an http(s) URL", reached=True
            )
    raise _Failed(f"more than {MAX_REDIRECTS} redirects", reached=True)


def _request(url: str, method: str, deadline: float, timeout: float) -> tuple[int, str]:
    """(status, Location header) of one request, within the deadline."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        host_header = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise _Failed("malformed URL", reached=False) from None
    if not host:
        raise _Failed("malformed URL (no host)", reached=False)
    if ":" in host_header:
        host_header = f"[{host_header}]"
    if parts.port:
        host_header += f":{parts.port}"
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    request = (
        f"{method} {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {USER_AGENT}\r\n"
        "Accept: */*\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    head = _exchange(host, port, parts.scheme.lower() == "https", request, deadline, timeout)
    return _parse_head(head)


def _exchange(
    host: str, port: int, tls: bool, request: bytes, deadline: float, timeout: float
) -> bytes:
    """Send `request`; the answer's bytes up to the end of its headers."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Failed(f"no answer within {timeout:g} s", reached=False)
    raw = _connect(host, port, deadline, timeout)
    expired = threading.Event()

    def give_up() -> None:
        expired.set()
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)  # wakes a read or write blocked on it

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), give_up)
    watchdog.daemon = True
    watchdog.start()
    try:
        raw.settimeout(max(0.001, deadline - time.monotonic()))
        sock: socket.socket = raw
        if tls:
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
        sock.sendall(request)
        head = _read_head(sock)
        if expired.is_set():  # the shutdown ended the read as if the server had closed
            raise TimeoutError
        return head
    except ssl.SSLCertVerificationError as exc:
        raise _Failed(f"TLS certificate refused: {exc.verify_message}", reached=True) from None
    except (OSError, ssl.SSLError) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise _Failed(f"no answer within {timeout:g} s", reached=True) from None
        if isinstance(exc, ssl.SSLError):
            why = f"TLS failed ({str(exc.reason).lower().replace('_', ' ') or 'unknown error'})"
            raise _Failed(why, reached=True) from None
        raise _Failed(f"the connection failed: {_reason(exc)}", reached=True) from None
    finally:
        watchdog.cancel()
        raw.close()


def _connect(host: str, port: int, deadline: float, timeout: float) -> socket.socket:
    """A socket connected to `host`, its name resolved and connected within the deadline."""
    addresses = _resolve(host, port, deadline, timeout)
    last: OSError | None = None
    for family, kind, proto, _name, address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock = socket.socket(family, kind, proto)
        sock.settimeout(remaining)
        try:
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    if last is None or isinstance(last, TimeoutError):
        raise _Failed(f"cannot connect within {timeout:g} s", reached=False)
    raise _Failed(f"cannot connect: {_reason(last)}", reached=False)


_Address = tuple[socket.AddressFamily, socket.SocketKind, int, str, Any]


def _resolve(host: str, port: int, deadline: float, timeout: float) -> list[_Address]:
    """The addresses of `host`, looked up in a thread that is given up at the deadline
    (the system's resolver has no time limit of its own to pass it)."""
    found: list[list[_Address]] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            found.append(list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        except OSError as exc:
            failed.append(exc)

    lookup = threading.Thread(target=look_up, daemon=True)
    lookup.start()
    lookup.join(max(0.0, deadline - time.monotonic()))
    if found:
        return found[0]
    if failed:
        raise _Failed(f"cannot connect: unknown host {_quoted(host)}", reached=False)
    raise _Failed(f"cannot resolve {_quoted(host)} within {timeout:g} s", reached=False)


def _read_head(sock: socket.socket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received and b"\n\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
        if len(received) > MAX_HEAD:
            break
    return received


def _parse_head(head: bytes) -> tuple[int, str]:
    match = _STATUS_LINE.match(head)
    if match is None:
        if not head:
            raise _Failed("the server closed the connection without answering", reached=True)
        shown = head[:40].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise _Failed(f"not an HTTP server (it answered '{shown}')", reached=True)
    location = ""
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"location":
            location = value.strip().decode("latin-1")
    return int(match.group(1)), location


def _quoted(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower() if exc.strerror[:1].isupper() else exc.strerror
    return str(exc) or type(exc).__name__
