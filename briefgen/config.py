"""`briefgen.yaml`: the typed schema, its defaults and its validation.

Unknown keys and wrong types are errors that name the key, its line and, for
an unknown key, the closest valid one ("did you mean `timezone`?").
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.diagnostics import BriefgenError, Diagnostic, clip, error, quote
from briefgen.frontmatter import YamlMapping, load_mapping
from briefgen.printable import printable
from briefgen.stories import Settings as StorySettings

CONFIG_FILE = "briefgen.yaml"
# a BCP 47 language tag (RFC 5646 "langtag" or private use), whole: `\Z`, since `$` would
# also match before a final newline and let "fr\n" through
LANG_RE = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}"  # language (no 4-8 letter one is registered)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"  # private use
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+)\Z"
)
# a host name as GitHub Pages takes it in CNAME: dot-separated labels of letters, digits and
# inner hyphens, at least two labels, at most 253 characters
HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
CNAME_RE = re.compile(rf"^(?=.{{1,253}}\Z){HOST_LABEL}(?:\.{HOST_LABEL})+\Z")


@dataclass(frozen=True)
class ImportRules:
    """What `briefgen import` reads from the `import:` section."""

    # extra regular expressions: a line of raw text matching one is furniture
    boilerplate: tuple[str, ...] = ()
    # topic -> keywords: an article whose text holds a keyword gets the topic
    topics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # host name -> outlet name ("www.aljazeera.com": "Al Jazeera")
    sources: tuple[tuple[str, str], ...] = ()
    # tag -> keywords: an article whose text holds a keyword gets the tag
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Config:
    """The site settings, validated. Paths are absolute."""

    root: Path
    title: str = "Briefing"
    description: str = ""
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    unsafe_html: bool = False
    links_only: bool = False  # entries shown as headline, summary and link, never full text
    cname: str = ""
    content_dir: str = "content"
    output_dir: str = "site"
    static_dir: str = "static"
    templates_dir: str = "templates"
    feed_limit: int = 20
    home_days: int = 7
    paginate: int = 50
    import_rules: ImportRules = field(default_factory=ImportRules)
    stories: StorySettings = field(default_factory=StorySettings)

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def static_path(self) -> Path:
        return self.root / self.static_dir

    @property
    def templates_path(self) -> Path:
        return self.root / self.templates_dir

    @property
    def base_path(self) -> str:
        """The path part of `base_url`, always starting and ending with `/`."""
        return urlsplit(self.base_url).path or "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def shown(self, path: Path) -> str:
        """A file as messages name it: relative to the project, else as given."""
        for candidate in (path, path.resolve()):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return str(path)

    def with_base_url(self, base_url: str) -> Config:
        """A copy with another `base_url` (the `--base-url` option), validated."""
        value, problem = _check_base_url(base_url)
        if problem:
            raise BriefgenError([error("--base-url", 0, problem, field="base_url")])
        return _replace(self, base_url=value)


def _replace(config: Config, **changes: Any) -> Config:
    from dataclasses import replace

    return replace(config, **changes)


EXPECTED_URL = "expected an http(s) URL such as https://user.github.io/repo/"


def _check_base_url(value: str) -> tuple[str, str]:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return value, f"{EXPECTED_URL}, got {quote(value)}"
    spaced = any(char <= " " or "\x7f" <= char <= "\x9f" for char in value)
    if parts.scheme not in ("http", "https") or not parts.netloc or spaced:
        return value, f"{EXPECTED_URL}, got {quote(value)}"
    if parts.query or parts.fragment:
        return value, f"expected a URL without query or fragment, got {quote(value)}"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}", ""


def _check_language(value: str) -> tuple[str, str]:
    if not LANG_RE.match(value):
        return value, f"expected a BCP 47 language tag such as 'fr' or 'en-GB', got {quote(value)}"
    return value, ""


def _check_timezone(value: str) -> tuple[str, str]:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        expected = "expected an IANA time zone such as 'Europe/Paris' or 'UTC'"
        return value, f"{expected}, got {quote(value)}"
    return value, ""


def _check_positive(value: int) -> tuple[int, str]:
    return (value, "") if value > 0 else (value, f"expected a positive number, got {quote(value)}")


def _check_cname(value: str) -> tuple[str, str]:
    if value and not CNAME_RE.match(value):
        return value, f"expected a bare domain such as 'briefing.example.org', got {quote(value)}"
    return value, ""


def _check_dir(value: str) -> tuple[str, str]:
    path = Path(value)
    odd = any(char < " " or "\x7f" <= char <= "\x9f" for char in value)
    too_long = any(len(part.encode("utf-8", "replace")) > 255 for part in path.parts)
    if path.is_absolute() or ".." in path.parts or not value.strip() or odd or too_long:
        return value, f"expected a folder inside the project, got {quote(value)}"
    return value, ""


Checker = Callable[[Any], tuple[Any, str]]
# key -> (python type, type name for messages, extra check)
SCHEMA: dict[str, tuple[type, str, Checker | None]] = {
    "title": (str, "a string", None),
    "description": (str, "a string", None),
    "base_url": (str, "a URL", _check_base_url),
    "language": (str, "a language tag", _check_language),
    "timezone": (str, "a time zone name", _check_timezone),
    "author": (str, "a string", None),
    "unsafe_html": (bool, "true or false", None),
    "links_only": (bool, "true or false", None),
    "cname": (str, "a domain name", _check_cname),
    "content_dir": (str, "a folder name", _check_dir),
    "output_dir": (str, "a folder name", _check_dir),
    "static_dir": (str, "a folder name", _check_dir),
    "templates_dir": (str, "a folder name", _check_dir),
    "feed_limit": (int, "a whole number", _check_positive),
    "home_days": (int, "a whole number", _check_positive),
    "paginate": (int, "a whole number", _check_positive),
    "import": (dict, "a mapping", None),
    "stories": (dict, "a mapping", None),
}
IMPORT_KEYS = ("boilerplate", "topics", "tags", "sources")
# stories.KEY -> what it must be, as messages say it, and the test
STORY_KEYS: dict[str, tuple[str, Callable[[float], bool]]] = {
    "threshold": ("a number between 0 and 1", lambda x: 0 < x <= 1),
    "window_days": ("a positive number of days", lambda x: 0 < x <= 3650),
    "duplicate": ("a number between 0 and 1", lambda x: 0 < x <= 1),
}


def closest(name: str, candidates: Any) -> str:
    """' (did you mean `x`?)' for the closest candidate, or ''."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def find_project(start: Path) -> Path:
    """The folder holding `briefgen.yaml`: `start` or the nearest parent that has one.

    Commands run anywhere inside a project, as with git; outside any project
    they stop with one line saying how to make one.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise BriefgenError(
        f"no {CONFIG_FILE} in {start} or any folder above it (expected a briefing project: "
        "`briefgen init DIR` makes one)"
    )


def load_project(start: Path) -> Config:
    """The configuration of the project that holds `start` (see `find_project`)."""
    return load_config(find_project(start))


def load_config(root: Path) -> Config:
    """Read and validate `root/briefgen.yaml`; a missing file means all defaults."""
    config, diagnostics = read_config(root)
    errors = [d for d in diagnostics if d.is_error]
    if errors or config is None:
        raise BriefgenError(diagnostics)
    return config


def read_config(root: Path) -> tuple[Config | None, list[Diagnostic]]:
    root = root.resolve()
    path = root / CONFIG_FILE
    display = CONFIG_FILE
    if not path.exists():
        return Config(root=root), []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(display, 0, f"cannot read the config: {clip(str(exc))}", code="config")]
    mapping, diagnostics = load_mapping(text, display)
    if mapping is None:
        return None, diagnostics
    values, problems = validate(mapping, display)
    diagnostics += problems
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return Config(root=root, **values), diagnostics


def validate(mapping: YamlMapping, display: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for key, value in mapping.data.items():
        key = str(key)
        line = mapping.line(key)
        if key not in SCHEMA:
            diagnostics.append(
                error(
                    display,
                    line,
                    f"unknown key{closest(key, SCHEMA)}",
                    field=key,
                    code="unknown-key",
                )
            )
            continue
        expected_type, name, check = SCHEMA[key]
        if value is None and expected_type is str:
            value = ""
        if not _is_type(value, expected_type):
            diagnostics.append(
                error(
                    display,
                    line,
                    f"expected {name}, got {type_name(value)}",
                    field=key,
                    code="type",
                )
            )
            continue
        if check is None and isinstance(value, str):
            value = printable(value)  # free text: shown in pages and feeds
        if check is not None:
            value, problem = check(value)
            if problem:
                diagnostics.append(error(display, line, problem, field=key, code="value"))
                continue
        if key == "import":
            rules, problems = _import_rules(value, mapping, display)
            diagnostics.extend(problems)
            values["import_rules"] = rules
            continue
        if key == "stories":
            story_settings, problems = _story_settings(value, mapping, display)
            diagnostics.extend(problems)
            values["stories"] = story_settings
            continue
        values[key] = value
    return values, diagnostics


def _is_type(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _import_rules(
    section: Mapping[str, Any], mapping: YamlMapping, display: str
) -> tuple[ImportRules, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    boilerplate: tuple[str, ...] = ()
    topics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    for key, value in section.items():
        dotted = f"import.{key}"
        line = mapping.line(dotted)
        if key not in IMPORT_KEYS:
            diagnostics.append(
                error(
                    display,
                    line,
                    f"unknown key{closest(str(key), IMPORT_KEYS)}",
                    field=dotted,
                    code="unknown-key",
                )
            )
        elif key == "boilerplate":
            if not _is_str_list(value):
                diagnostics.append(
                    error(
                        display,
                        line,
                        "expected a list of regular expressions",
                        field=dotted,
                        code="type",
                    )
                )
                continue
            for pattern in value:
                problem = _pattern_problem(pattern)
                if problem:
                    diagnostics.append(
                        error(
                            display,
                            line,
                            f"invalid regular expression {quote(pattern)}: {clip(problem)}",
                            field=dotted,
                            code="value",
                        )
                    )
            boilerplate = tuple(value)
        elif key in ("topics", "tags"):
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and _is_str_list(v) for k, v in value.items()
            ):
                diagnostics.append(
                    error(
                        display,
                        line,
                        f"expected a mapping of {key.removesuffix('s')}: [keywords]",
                        field=dotted,
                        code="type",
                    )
                )
                continue
            table = tuple((k, tuple(v)) for k, v in value.items())
            if key == "topics":
                topics = table
            else:
                tags = table
        else:
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                diagnostics.append(
                    error(
                        display,
                        line,
                        "expected a mapping of host: outlet name",
                        field=dotted,
                        code="type",
                    )
                )
                continue
            sources = tuple(value.items())
    rules = ImportRules(boilerplate=boilerplate, topics=topics, tags=tags, sources=sources)
    return rules, diagnostics


def _pattern_problem(pattern: str) -> str:
    """Why `pattern` does not compile (with the `regex` module the importer runs it
    under, with a time limit), or ""."""
    import regex

    try:
        regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        return " ".join(str(exc).split())[:80]
    return ""


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _story_settings(
    section: Mapping[str, Any], mapping: YamlMapping, display: str
) -> tuple[StorySettings, list[Diagnostic]]:
    """`stories:`: how alike entries must be to form a story, and for how long it takes new ones."""
    diagnostics: list[Diagnostic] = []
    values: dict[str, float] = {}
    for key, value in section.items():
        dotted = f"stories.{key}"
        line = mapping.line(dotted)
        if key not in STORY_KEYS:
            problem, code = f"unknown key{closest(str(key), STORY_KEYS)}", "unknown-key"
        else:
            expected, test = STORY_KEYS[key]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and math.isfinite(value) and test(value):
                values[key] = float(value)
                continue
            shown = quote(value) if number or isinstance(value, str) else type_name(value)
            problem, code = f"expected {expected}, got {shown}", "value" if number else "type"
        diagnostics.append(error(display, line, problem, field=dotted, code=code))
    default = StorySettings()
    settings = StorySettings(
        threshold=values.get("threshold", default.threshold),
        window_days=values.get("window_days", default.window_days),
        duplicate=values.get("duplicate", default.duplicate),
    )
    return settings, diagnostics
