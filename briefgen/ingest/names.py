"""Names as pages give them, cleaned: authors, site names, titles with a site suffix.

A publisher or a site is never an author ("Deutsche Welle", "Süddeutsche de
GmbH", "SPIEGEL ONLINE, Hamburg, Germany"); a site name loses its address
and domain dressing ("DW.COM" -> "DW"); a title loses the site name and
date that pages append ("… | DW | 10.06.2013"). Every pattern here is
linear: no nested quantifiers.
"""

from __future__ import annotations

import re
import unicodedata

SEPARATOR = re.compile(r"\s+(?:\||–|—|-|·|•|»|::|:|/|_)\s+|\s*_(?=\S)")
DATE_PART = re.compile(r"^[\d\s./-]{6,12}$")
COMPANY = re.compile(
    r"\b(?:gmbh|ag|ltd|limited|inc|llc|plc|s\.a|sarl|s\.p\.a|co\. kg|corp|group|"
    r"media|verlag|press|news|redaktion|newsroom|agency|agencies|online|wire|wires)\b\.?",
    re.IGNORECASE,
)
COMPANY_SUFFIX = re.compile(r",?\s+(?:inc|ltd|llc|gmbh|plc|corp)\.?$", re.IGNORECASE)
NOT_A_NAME = re.compile(
    r"\d|\b(?:updated|published|posted|last|modified|am|pm|control|contributors?)\b",
    re.IGNORECASE,
)
ROLE = re.compile(
    r"\b(?:staff|editors?|editorial|team|writers?|reporters?|correspondents?|contributors?|"
    r"senior|chief|political|foreign|desk|in|and|the)\b",
    re.IGNORECASE,
)
NOT_NAMES = frozenset(
    [
        "username",
        "admin",
        "administrator",
        "author",
        "autor",
        "auteur",
        "anonymous",
        "anonym",
        "unknown",
        "guest",
        "afp",
        "ap",
        "dpa",
        "reuters",
        "ansa",
        "efe",
        "epa",
        "kna",
        "epd",
        "sid",
        "apa",
        "sda",
        "ats",
        "belga",
        "anp",
        "tass",
        "xinhua",
        "作者",
        "编辑",
        "記者",
        "记者",
    ]
)
BY_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|от)\s+", re.IGNORECASE)
NAME_SPLIT = re.compile(r"\s*(?:;|\|| and | und | et | y | e | & |, (?=\S+\s+\S+))\s*")
DOMAIN_NAME = re.compile(r"^(?P<name>[\w-]+)\.(?:com|net|org|de|fr|co\.uk|info|es|it|nl)$", re.I)
DOMAIN_LABEL = re.compile(r"\.[a-z]{2,6}$", re.IGNORECASE)
MAX_NAME = 60  # a longer "author" is a sentence, not a name


def fold_name(text: str) -> str:
    """Lowercase letters and digits only, accents removed: for comparing names."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in text if char.isalnum())


def clean_site_name(name: str) -> str:
    """'SPIEGEL ONLINE, Hamburg, Germany' -> 'SPIEGEL ONLINE'; 'DW.COM' -> 'DW';
    'Spiceworks Inc' -> 'Spiceworks'."""
    name = " ".join(name.split())
    name = name.split(", ", 1)[0].strip()
    name = COMPANY_SUFFIX.sub("", name).strip() or name
    found = DOMAIN_NAME.match(name)
    if found and name.isupper():
        return found.group("name")
    return name


def is_organisation(name: str, site_name: str = "") -> bool:
    """A publisher, a site or a company, not a person."""
    folded = fold_name(name)
    if not folded:
        return True
    if site_name and (folded == fold_name(site_name) or fold_name(site_name) in folded):
        return True
    if fold_name(name) in NOT_NAMES or not ROLE.sub("", name).strip(" ,.-"):
        return True
    if NOT_A_NAME.search(name):
        return True
    return bool(COMPANY.search(name)) or ("." in name.strip(".") and " " not in name)


def clean_authors(names: list[str] | tuple[str, ...], site_name: str = "") -> tuple[str, ...]:
    """Person names only, each once, without 'By'; organisations left out."""
    found: list[str] = []
    for raw in names:
        if is_organisation(clean_site_name(BY_PREFIX.sub("", raw)), site_name):
            continue  # "SPIEGEL ONLINE, Hamburg, Germany": the site and its address
        for part in NAME_SPLIT.split(BY_PREFIX.sub("", " ".join(raw.split()))):
            name = BY_PREFIX.sub("", part.strip(" ,;:|-")).strip()
            if not name or len(name) > MAX_NAME or is_organisation(name, site_name):
                continue
            if not any(char.isalpha() for char in name):
                continue
            if fold_name(name) not in {fold_name(other) for other in found}:
                found.append(name)
    return tuple(found)


def cut_site_suffix(title: str, site_name: str = "", host: str = "") -> str:
    """The title without the site name, host or date a page adds before or after it."""
    title = " ".join(title.split())
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    marks = {fold_name(site_name), fold_name(host.removeprefix("www.").split(".")[0])} - {""}

    def is_furniture(part: str) -> bool:
        folded = fold_name(DOMAIN_LABEL.sub("", part))  # "Süddeutsche.de" -> "suddeutsche"
        if not folded or DATE_PART.match(part.strip()):
            return True
        return any(mark in folded or folded in mark for mark in marks if len(folded) > 1)

    while len(parts) > 1 and is_furniture(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_furniture(parts[0]):
        parts.pop(0)
    if len(parts) == len(SEPARATOR.split(title)):
        return title
    return _rejoin(title, parts)


def _rejoin(title: str, parts: list[str]) -> str:
    """The kept parts as the original title wrote them (with their separators)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)
