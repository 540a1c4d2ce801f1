"""Headless Chromium for the browser tests: Debian's `chromium`, driven by Playwright.

Playwright's own browser download does not work here, so the tests launch the
system browser. Without it they skip, unless `BRIEFGEN_REQUIRE_BROWSER=1`
(set by CI) turns the skip into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test without Chromium and Playwright, or fail when CI requires them."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if not missing:
        return
    reason = f"browser tests need {' and '.join(missing)}"
    if os.environ.get("BRIEFGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BRIEFGEN_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def launch_chromium(playwright: Any, **options: Any) -> Any:
    """A headless Chromium `Browser` from a started `sync_playwright()`."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, **options
    )
