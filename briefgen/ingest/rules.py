"""The cleaning rules of `briefgen import`, as data a user can read and extend.

A *furniture* rule names a kind of line that a news site adds around an
article (share buttons, comment widgets, "Lire aussi" links…): a line of raw
text that matches one is kept out of the body. A *metadata* rule names a line
that carries a fact (the date-time line, "Source: https://…", the outlet's
name, a byline): the fact goes to the front matter and the line leaves the
body. Patterns are matched against one stripped line, ignoring case.

Users add furniture patterns in `briefgen.yaml` (`import.boilerplate`), topic
and tag keywords (`import.topics`, `import.tags`) and outlet names by host
(`import.sources`).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from briefgen.ingest.article import IngestError

FLAGS = re.IGNORECASE | re.UNICODE


USER_PATTERN_SECONDS = 0.25  # a user's pattern may spend this long on one line
USER_FILE_SECONDS = 2.0  # and the user's patterns together this long on one file


class RuleTimeout(IngestError):
    """A user's pattern ran out of time on a line (it backtracks exponentially)."""

    def __init__(self, rule: LineRule, line: str, *, file_budget: bool = False) -> None:
        limit = (
            f"more than {USER_FILE_SECONDS:g} s in all on this file, the last on the line"
            if file_budget
            else f"more than {USER_PATTERN_SECONDS:g} s on the line"
        )
        super().__init__(
            f"import.boilerplate: pattern {bounded(rule.pattern.pattern)} took {limit} "
            f"{bounded(line)}: rewrite it without nested repetition such as (a+)+"
        )


@dataclass(frozen=True)
class LineRule:
    """A named pattern for one whole line of raw text.

    Built-in patterns are written to parse each line one way only (linear time,
    checked by a property test); a user's pattern (`import.boilerplate`) runs
    under the `regex` module's time limit instead.
    """

    name: str
    pattern: Any  # re.Pattern[str], or regex.Pattern[str] for a user's pattern
    comment: str
    timeout: float | None = None
    deadline: float | None = None  # time.monotonic() by which the file must be done

    def matches(self, line: str) -> Any:
        if self.timeout is None:
            return self.pattern.search(line)
        timeout = self.timeout
        if self.deadline is not None:
            timeout = min(timeout, self.deadline - time.monotonic())
            if timeout <= 0:
                raise RuleTimeout(self, line, file_budget=True)
        try:
            return self.pattern.search(line, timeout=timeout)
        except TimeoutError as exc:
            raise RuleTimeout(self, line, file_budget=timeout < self.timeout) from exc


def user_rule(name: str, pattern: str) -> LineRule:
    """A user's furniture pattern, run with a time limit by the `regex` module."""
    import regex

    compiled = regex.compile(pattern, regex.IGNORECASE | regex.UNICODE | regex.VERSION0)
    return LineRule(
        name, compiled, "from import.boilerplate in briefgen.yaml", USER_PATTERN_SECONDS
    )


def bounded(value: str, limit: int = 40) -> str:
    """A user value quoted for a message, cut at `limit` characters."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


def rule(name: str, pattern: str, comment: str, *, flags: int = FLAGS) -> LineRule:
    return LineRule(name, re.compile(pattern, flags), comment)


APOS = "['’]"

# Lines that are never part of an article (French and English sites).
FURNITURE: tuple[LineRule, ...] = (
    rule(
        "share-button",
        r"^(facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|tumblr|"
        r"messenger|e-?mail|imprimer|print|partager|share|tweet|tweeter|"
        r"copier le lien|copy link)$",
        "a share button's label, alone on its line",
    ),
    rule(
        "share-prompt",
        r"^(partager|partagez|share)( (cet|this) (article|post|page|story))?"
        r"( (sur|on) \w+)?\s*:?$",
        "'Partager cet article', 'Share this article:'",
    ),
    rule(
        "comment-widget",
        r"^(leave a (comment|reply)|laisser un commentaire|laissez un commentaire|"
        r"ajouter un commentaire|add a comment|post a comment|poster un commentaire|"
        r"\d+ (comments?|commentaires?)|commentaires?|comments?|"
        r"facebook comments( box| plugin)?|"
        r"this site uses akismet to reduce spam\b.*|ce site utilise akismet\b.*)$",
        "comment forms and their notices ('This site uses Akismet…')",
    ),
    rule(
        "related-link",
        r"^(lire aussi|à lire aussi|a lire aussi|lire également|voir aussi|à voir aussi|"
        r"read also|also read|read more|see also|related( articles?| stories)?)\b.*$",
        "a link to another article: 'Lire aussi …', 'Read also …'",
    ),
    rule(
        "hashtags",
        r"^(#\w[\w-]*\s*)+$",
        "a line of hashtags only",
    ),
    rule(
        "unix-timestamp",
        r"^1\d{9}$",
        "a bare Unix timestamp (seconds, years 2001-2033) left by a page script",
    ),
    rule(
        "rating-widget",
        r"^(cette publication vous a-t-elle été utile\s*\?|"
        r"cliquez sur une étoile pour (la|le) noter\s*!?|"
        r"note moyenne\b.*|aucun vote pour l" + APOS + r"instant\b.*|"
        r"soyez le premier à noter\b.*|"
        r"was this (post|article) (helpful|useful)\s*\??|click on a star to rate it\s*!?|"
        r"average rating\b.*|no votes so far\b.*)$",
        "'Cette publication vous a-t-elle été utile ?', 'Note moyenne 0 / 5'",
    ),
    rule(
        "photo-credit",
        r"\[(file|photo|fichier|archives?)\s*:[^\]\)]*[\]\)]\s*\.?$",
        "a photo caption ending with its credit: '… [File: Evan Vucci/AP Photo]'",
    ),
    rule(
        "photo-credit-line",
        r"^(photo|photos|crédits? photo|photo credit|image|illustration|©)\s*:?\s*"
        r"(©\s*)?[^.!?]{0,80}/\s*(afp|ap|reuters|epa|getty images|sipa|abaca|maxppp)"
        r"[^.!?]{0,40}$",
        "a credit line: 'Photo : Jean Dupont / AFP'",
    ),
    rule(
        "copyright-line",
        r"^(©|\(c\)|copyright)\s*[^.!?]{0,60}\b(19|20)\d\d\b[^.!?]{0,40}\.?$",
        "a copyright notice: '© Thomson Reuters 2020', 'Copyright 2023 AFP'",
    ),
    rule(
        "standards-line",
        r"^our standards\s*:.{0,120}$",
        "Reuters' 'Our Standards: The Thomson Reuters Trust Principles.'",
    ),
    rule(
        "image-credit",
        r"^\(?\s*(photo|photograph|image|picture|foto|bild|crédit|credit)s?( credit)?\s*:"
        r"[^.!?]{0,80}\)?$",
        "an image credit, often set as a heading: 'Image: Getty Images', 'Photo: AFP'",
    ),
    rule(
        "agency-credit",
        r"^[^/]{0,160}\b(reuters|afp|ap|epa|getty images|dpa|anadolu)\s*/\s*\w[^/.!?]{0,60}$",
        "a photo credit line: 'President Biden speaks. REUTERS/Kevin Lamarque'",
    ),
    rule(
        "advertisement",
        r"^(advertisement|publicité|sponsored|sponsorisé|contenu sponsorisé)$",
        "an advertising slot's label",
    ),
    rule(
        "newsletter",
        r"^(abonnez-vous( à (notre|la) newsletter)?|inscrivez-vous à (notre|la) newsletter|"
        r"subscribe( to our newsletter)?|sign up for (our|the) newsletter)\b[^.]{0,60}[.!]?$",
        "newsletter prompts",
    ),
)

# Lines that carry a fact; the fact is kept, the line leaves the body.
SOURCE_LINE = rule(
    "source-line",
    r"^(source|sources|lien|link|article original|original article|lire l"
    + APOS
    + r"article original)\s*:\s*(?P<url>https?://\S+)$",
    "'Source: https://…': the original article's URL, and its outlet by host",
)
OUTLET_LINE = rule(
    "outlet-line",
    r"^(?P<name>(?:[a-z0-9-]+\.)+(?:net|com|org|info|fr|be|ch|ca|news|africa|[a-z]{2}))$",
    "a bare site name near the end of the text ('Netafrique.net'): the outlet",
)
# A name word holds no blank, hyphen, '&' or punctuation, and "et"/"and" are never a
# name's word: each line parses one way only, so matching is linear (no backtracking
# storm on an 83-character line).
_WORD = r"[^\s,.;:!?&-]*"
_NAME = r"[A-ZÀ-Ý]" + _WORD + r"(?:[ -](?!(?:et|and)(?:\s|$))[A-ZÀ-Ýa-zà-ÿ]" + _WORD + r"){0,4}"
BYLINE_PREFIXED = rule(
    "byline",
    r"^(?i:par|by|texte|propos recueillis par|written by|reporting by)\s*:?\s+"
    r"(?P<name>" + _NAME + r"(?:(?:\s*[,&]\s*|\s+(?:et|and)\s+)" + _NAME + r")*)$",
    "'Par Jean Dupont', 'By Jane Doe and John Roe'",
    flags=re.UNICODE,
)
BYLINE_NAME = rule(
    "byline-name",
    r"^(?P<name>[A-ZÀ-Ý][\w’'-]*\.?(?:\s+[A-ZÀ-Ý][\w’'-]*\.?){1,4})"
    r"(?:\s*\((?P<role>[^()]{1,40})\))?$",
    "a name alone near the end of the text ('Anne-Marie Nado KY (Stagiaire)'): the author",
    flags=re.UNICODE,
)
METADATA: tuple[LineRule, ...] = (SOURCE_LINE, OUTLET_LINE, BYLINE_PREFIXED, BYLINE_NAME)

OUTLETS_FILE = "outlets.tsv"  # host<TAB>name, shipped beside this module; easy to extend


def load_outlets(text: str | None = None) -> dict[str, str]:
    """The shipped map of outlets by host (`outlets.tsv`); `#` starts a comment line."""
    if text is None:
        from importlib.resources import files

        text = files("briefgen.ingest").joinpath(OUTLETS_FILE).read_text(encoding="utf-8")
    outlets: dict[str, str] = {}
    for line in text.splitlines():
        host, tab, name = line.partition("\t")
        if tab and not host.startswith("#") and host.strip() and name.strip():
            outlets[host.strip().lower()] = name.strip()
    return outlets


@dataclass(frozen=True)
class Rules:
    """The rules in force for one import: defaults plus the project's config."""

    furniture: tuple[LineRule, ...] = FURNITURE
    topics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    outlets: Mapping[str, str] = field(default_factory=load_outlets)
    user_outlets: Mapping[str, str] = field(default_factory=dict)  # import.sources: always wins

    def for_one_file(self) -> Rules:
        """These rules with the users' patterns bound to one file's time budget."""
        deadline = time.monotonic() + USER_FILE_SECONDS
        furniture = tuple(
            replace(rule, deadline=deadline) if rule.timeout is not None else rule
            for rule in self.furniture
        )
        return replace(self, furniture=furniture)

    def furniture_rule(self, line: str) -> LineRule | None:
        """The first furniture rule that matches `line`, if any."""
        for candidate in self.furniture:
            if candidate.matches(line):
                return candidate
        return None

    def marker(self, line: str) -> str:
        """The name of any rule (furniture or metadata) that matches `line`, or ''."""
        stripped = normalize_space(line)
        found = self.furniture_rule(stripped)
        if found:
            return found.name
        for candidate in METADATA:
            if candidate.matches(stripped):
                return candidate.name
        from briefgen.ingest.dates import parse_date_line

        return "date-line" if parse_date_line(stripped) else ""

    def outlet_for(self, url: str) -> str:
        """The outlet's name for the host of `url`: the map, else the bare host."""
        return self.known_outlet(url) or host_of(url)

    def known_outlet(self, url: str) -> str:
        """The outlet's name for the host of `url` (or a parent domain) when a map has it."""
        return self.user_outlet(url) or _by_host(self.outlets, url)

    def user_outlet(self, url: str) -> str:
        """The name `import.sources` gives the host of `url` (or a parent domain), or ""."""
        return _by_host(self.user_outlets, url)


def _by_host(outlets: Mapping[str, str], url: str) -> str:
    parts = host_of(url).split(".")
    for start in range(len(parts) - 1):
        parent = ".".join(parts[start:])
        if parent in outlets:
            return outlets[parent]
    return ""


def host_of(url: str) -> str:
    """The lowercased host of `url` without `www.`; "" when it is not a URL."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # not a URL after all (`http://[::1`)
        return ""
    return host.removeprefix("www.")


def build_rules(
    boilerplate: Iterable[str] = (),
    topics: Iterable[tuple[str, tuple[str, ...]]] = (),
    tags: Iterable[tuple[str, tuple[str, ...]]] = (),
    sources: Iterable[tuple[str, str]] = (),
) -> Rules:
    """Defaults plus the `import:` section of the config (already validated)."""
    extra = tuple(
        user_rule(f"config-{index}", pattern) for index, pattern in enumerate(boilerplate, start=1)
    )
    user = {host.lower().removeprefix("www."): name for host, name in sources}
    return Rules(
        furniture=FURNITURE + extra,
        topics=tuple(topics),
        tags=tuple(tags),
        outlets=load_outlets(),
        user_outlets=user,
    )


def normalize_space(text: str) -> str:
    """One space for every run of blanks (no-break spaces included), stripped."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def fold(text: str) -> str:
    """Lowercase without accents, apostrophes and dashes unified: for matching."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.replace("’", "'").replace("‐", "-").replace("‑", "-")


TOPIC_MENTIONS = 2  # a topic needs its keywords this many times: one passing word is not a subject
TAG_MENTIONS = 1  # a tag (a name, a place) needs one mention


# Plural endings folded away before comparing words, by language (after `fold`, so
# without accents); the stem must keep MIN_STEM letters. Other languages: "s".
PLURALS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("ies", "y"), ("es", ""), ("s", "")),
    "fr": (("aux", "al"), ("x", ""), ("s", "")),
    "de": (("en", ""), ("er", ""), ("e", ""), ("n", ""), ("s", "")),
    "nl": (("en", ""), ("s", "")),
    "es": (("es", ""), ("s", "")),
    "pt": (("oes", "ao"), ("es", ""), ("s", "")),
    "it": (("i", "o"), ("e", "a")),
}
MIN_STEM = 3
WORD = re.compile(r"\w+")


def singular(word: str, lang: str = "") -> str:
    """`word` (folded) without one plural ending of `lang`: "zuge" -> "zug"."""
    for ending, replacement in PLURALS.get(lang.split("-")[0].lower(), (("s", ""),)):
        stem = word.removesuffix(ending)
        if stem != word and len(stem) >= MIN_STEM:
            return stem + replacement
    return word


def match_keywords(
    text: str, table: Iterable[tuple[str, tuple[str, ...]]], mentions: int = 1, lang: str = ""
) -> tuple[str, ...]:
    """The names in `table` whose keywords occur `mentions` times in `text`, in table order.

    A keyword matches whole words, ignoring case, accents and plural endings in
    the entry's language: `Zug` matches "Züge", not "Zugang"; `sanction` matches
    "Sanctions". A keyword ending in `*` matches word beginnings (`diplomat*`).
    A keyword of several words matches them in a row.
    """
    words = [singular(word, lang) for word in WORD.findall(fold(text))]
    found = []
    for name, keywords in table:
        count = sum(_occurrences(words, keyword, lang) for keyword in keywords)
        if count >= mentions:
            found.append(name)
    return tuple(found)


def _occurrences(words: list[str], keyword: str, lang: str) -> int:
    prefix = keyword.strip().endswith("*")
    parts = WORD.findall(fold(keyword))
    if not parts:
        return 0
    keys = [singular(part, lang) for part in parts[:-1]]
    last = parts[-1] if prefix else singular(parts[-1], lang)
    size = len(parts)
    count = 0
    for start in range(len(words) - size + 1):
        if words[start : start + size - 1] != keys:
            continue
        word = words[start + size - 1]
        if word.startswith(last) if prefix else word == last:
            count += 1
    return count
