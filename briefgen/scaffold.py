"""`briefgen init` and `briefgen new`: files a user starts from. Never overwrites."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from briefgen import __version__
from briefgen.config import CONFIG_FILE, Config, _check_language
from briefgen.diagnostics import BriefgenError, error
from briefgen.selfwheel import wheel_name, write_wheel
from briefgen.slugs import slugify
from briefgen.write import cannot_write, write_file

CONFIG_TEMPLATE = """\
# briefgen settings. Unknown keys are errors; every key is optional.
title: {title}
description: ""
# Where the site is published; a path works too: https://user.github.io/repo/
base_url: "http://127.0.0.1:8000/"
language: {language}
# Days, months and years are taken in this time zone (IANA name).
timezone: UTC
# unsafe_html: false      # show raw HTML of entries as HTML instead of text
# cname: briefing.example.org
# feed_limit: 20
# home_days: 7
# import:
#   topics:               # keywords that give an imported article a topic
#     Diplomatie: [sommet, diplomatie, ambassadeur]
#   sources:              # host name -> outlet name
#     www.example.com: Example News
"""

VENDOR = "vendor"
# The Pages workflow installs from this file: the wheel of the briefgen that made the
# project (vendor/), pinned; the same pin installs it from the package index when it is there.
REQUIREMENTS = """\
# briefgen for the Pages workflow (.github/workflows/pages.yml): pip installs this
# version from the wheel in vendor/, written by `briefgen init`, or from the package
# index once it is published there (vendor/ may then go). To upgrade, change the
# version and put its wheel in vendor/ (or remove vendor/ to take it from the index).
--find-links ./vendor
briefgen=={version}
"""

GITIGNORE = """\
/site/
/.briefgen-cache/
__pycache__/
"""


def scaffold(directory: Path, *, title: str, language: str) -> list[Path]:
    """Create a project in `directory`; refuse if any file it would write exists."""
    from briefgen.publish import pages_workflow

    _, problem = _check_language(language)
    if problem:
        raise BriefgenError([error("--language", 0, problem)])
    files = {
        CONFIG_FILE: CONFIG_TEMPLATE.format(
            title=json.dumps(title, ensure_ascii=False), language=language
        ),
        ".gitignore": GITIGNORE,
        "requirements.txt": REQUIREMENTS.format(version=__version__, wheel=wheel_name()),
        ".github/workflows/pages.yml": pages_workflow(),
        "content/.gitkeep": "",
        "templates/.gitkeep": "",
        "static/.gitkeep": "",
    }
    wheel = f"{VENDOR}/{wheel_name()}"
    existing = [name for name in [*files, wheel] if (directory / name).exists()]
    if existing:
        raise BriefgenError(
            [
                error(
                    str(directory / name),
                    0,
                    "already exists (expected a new or empty folder; nothing was written)",
                )
                for name in existing
            ]
        )
    written = []
    for name, text in files.items():
        path = directory / name
        try:
            write_file(path, text.encode("utf-8"))
        except OSError as exc:
            raise BriefgenError([cannot_write(exc, path)]) from None
        written.append(path)
    try:
        written.append(write_wheel(directory / VENDOR))
    except OSError as exc:
        raise BriefgenError([cannot_write(exc, directory / wheel)]) from None
    return written


def new_entry(config: Config, title: str, *, now: datetime | None = None) -> Path:
    """Write an empty draft entry dated now (in the site's time zone)."""
    slug = slugify(title)
    if not title.strip() or not slug:
        raise BriefgenError([error("TITLE", 0, "expected a title with letters or digits")])
    moment = (now or datetime.now(config.zone)).astimezone(config.zone).replace(microsecond=0)
    path = config.content_path / f"{moment:%Y}" / f"{moment:%m}" / f"{moment:%d}-{slug}.md"
    if path.exists():
        raise BriefgenError(
            [
                error(
                    path.relative_to(config.root).as_posix(),
                    0,
                    "already exists (expected a new title; nothing was written)",
                )
            ]
        )
    text = (
        "---\n"
        f"title: {json.dumps(' '.join(title.split()), ensure_ascii=False)}\n"
        f"date: {moment.isoformat()}\n"
        "source:\n"
        '  name: ""\n'
        '  url: ""\n'
        f"lang: {config.language}\n"
        "topics: []\n"
        "tags: []\n"
        'summary: ""\n'
        "draft: true\n"
        "---\n\n"
    )
    try:
        write_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise BriefgenError([cannot_write(exc, path)]) from None
    return path
