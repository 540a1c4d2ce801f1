"""The `.briefgen` file every build writes into its output folder.

It marks the folder as one that a build may replace whole, and records the
base URL the site was built for, so that `check` checks the site as it was
built and `deploy` can refuse a site built for this machine. It stays local:
`deploy` does not publish it.
"""

from __future__ import annotations

from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

MARKER = ".briefgen"
_HEADER = "Built by briefgen: this folder is replaced whole by each build."
_BASE_URL = "base_url: "
_MAX_READ = 4096


def marker_text(base_url: str) -> bytes:
    """The marker's bytes for a site built for `base_url`."""
    return f"{_HEADER}\n{_BASE_URL}{base_url}\n".encode()


def built_base_url(site_dir: Path) -> str | None:
    """The base URL recorded by the build of `site_dir`; None if none is recorded."""
    try:
        with (site_dir / MARKER).open("rb") as marker:
            text = marker.read(_MAX_READ).decode("utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(_BASE_URL) and line[len(_BASE_URL) :].strip():
            return line[len(_BASE_URL) :].strip()
    return None


def is_local(url: str) -> bool:
    """True when `url` points at this machine (localhost, a loopback or unspecified address)."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
