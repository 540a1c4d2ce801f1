"""Who said a quotation: the attribution next to it, read as a short list of tokens.

The reading is deliberately narrow. A subject is a name written as one run
of capitalised words (titles and honorifics stripped), a singular pronoun,
or a bare title; it counts only where French or English grammar puts the
speaker: just before the verb of saying (`Kim Jong Un a assuré`,
`Dmitri Peskov, avait déclaré`, `Kirby told`) or just after it when the
verb comes first (`a déclaré Watson`, `said John Kirby`, `selon Peskov`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefgen.coverage.text import CAPITAL_RUN, STOPWORDS, fold, starts_sentence, word_set

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[.,:;!?()«»“”\"…–—]")
PUNCTUATION = frozenset('.,:;!?()«»“”"…–—')
SENTENCE_OPENERS = frozenset('.!?…«“"—–:')

AUXILIARIES = word_set(
    "a avait aurait ont avaient auraient avait-il est s'est s’est se sont était "
    "has had have is was were will would did does"
)
SPEECH_STEMS = tuple(
    sorted(
        word_set(
            "declar affirm ajout assur soulign estim expliqu indiqu precis rappel preven previen "
            "avert "
            "insist lanc repond repliqu annonc exprim poursuiv conclu martel ecri salu promi "
            "promet reconn qualifi confirm dement assen lach tranch resum plaid denonc jug"
        )
    )
)
SPEECH_WORDS = word_set(
    "dit dire disait dis admis admet said say says saying told tell tells added add adds stated "
    "warned warns noted explained insisted argued wrote asked replied declared announced "
    "confirmed claimed insists argues explains notes"
)
ACCORDING = frozenset(["selon", "according", "d'après", "d’après"])
VIEW_OF = frozenset(["pour", "for"])
SINGULAR = frozenset(["il", "elle", "he", "she"])
PLURAL = frozenset(["ils", "elles", "they", "we", "nous", "on", "je", "i", "you", "vous"])
ADVERBS = word_set(
    "déjà également aussi encore ensuite alors pourtant cependant enfin notamment même "
    "ne n' y en also then later already again previously further"
)
ARTICLES = word_set("le la les l' l’ the un une a an son sa ses leur his her their its ce cette")
PREPOSITIONS = word_set(
    "à avec de du des d' d’ par pour contre sur chez entre vers sans au aux dans en "
    "to with by from of for against on at in into"
)
GENDER = {
    **dict.fromkeys(["le", "un", "son", "ce", "du", "au", "cet"], "m "),
    **dict.fromkeys(["la", "une", "sa", "cette"], "f "),
}
HONORIFICS = word_set("m mme mmes mlle mr mrs ms dr mgr sir lord")
TITLES = word_set("""
    président présidente president porte-parole spokesman spokeswoman spokesperson ministre
    minister dirigeant dirigeante leader chef chief secrétaire secretary ambassadeur ambassadrice
    ambassador chancelier chancelière chancellor premier gouverneur governor général general
    homologue counterpart directeur directrice director conseiller conseillère adviser advisor
    analyste analyst responsable official représentant représentante representative diplomate
    diplomat maire mayor sénateur senator roi king reine queen pape pope député députée juge
    judge procureur prosecutor commandant commander expert experte chercheur chercheuse
    researcher professeur professor journaliste journalist correspondant correspondante
    commissaire commissioner inspecteur inspector capitaine captain sergent sergeant lieutenant
    colonel shérif sheriff détective detective agent officier officer préfet prefect procureure
    avocat avocate lawyer attorney porte-parole spokesperson
    """)
# Capitalised words that begin sentences rather than names.
NOT_NAMES = STOPWORDS | word_set("""
    après avant durant pendant selon mais pour dans lors comme cependant pourtant devant derrière
    malgré outre quant face hier aujourd'hui demain ainsi enfin puis samedi dimanche
    lundi mardi mercredi jeudi vendredi however but in on at monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december
    """)
# Plural nouns that open sentences as subjects of saying without naming anyone.
COMMON_SUBJECTS = word_set(
    """
    officials experts analysts sources diplomats critics observers residents witnesses lawmakers
    leaders authorities officers investigators police prosecutors researchers scientists
    responsables experts analystes sources diplomates observateurs autorites habitants temoins
    dirigeants chercheurs enqueteurs elus militants manifestants
    """
)
MAX_RUN = 5


def is_capitalised(token: str) -> bool:
    """A word of a name: a capital first letter, and no elision (`L’analyste` is not a name)."""
    return token[:1].isupper() and token[1:2] not in ("'", "’")


def tokens_of(text: str) -> list[str]:
    return TOKEN.findall(text)


FRENCH_ACCENTS = str.maketrans("àâäéèêëîïôöùûüç", "aaaeeeeiioouuuc")
SPEECH_STEM = re.compile("(?:" + "|".join(SPEECH_STEMS) + r")\w{0,4}")
ELISION = re.compile(r"^(?:qu|[dlnsjmtc])['’]")
STEM_INITIALS = frozenset(stem[0] for stem in SPEECH_STEMS)


def is_speech_verb(token: str) -> bool:
    """`déclaré`, `affirmant`, `said`: a verb of saying (nouns like `déclaration` are not)."""
    low = ELISION.sub("", token.casefold())  # d’expliquer, s’exclamer
    if low in SPEECH_WORDS:
        return True
    if len(low) < 3 or low.translate(FRENCH_ACCENTS)[0] not in STEM_INITIALS:
        return False
    return SPEECH_STEM.fullmatch(low.translate(FRENCH_ACCENTS)) is not None


def _low(token: str) -> str:
    return token.casefold()


def _inverted_pronoun(token: str) -> bool:
    """`a-t-il`, `ajoute-t-elle`, `dit-il`: a verb with its subject pronoun after a hyphen."""
    parts = _low(token).split("-")
    return len(parts) >= 2 and parts[-1] in SINGULAR


@dataclass(frozen=True)
class Subject:
    kind: str  # "name", "pronoun", "title" or "none"
    value: str = ""  # the name as written, or the title's key


NONE = Subject("none")


@dataclass(frozen=True)
class Article:
    """What one article says about its names: full forms, and names given to titles.

    The titles are read only when a quotation's subject is a bare title (rare),
    on the first call to `titled`.
    """

    paragraphs: tuple[str, ...]
    full_names: dict[str, str]  # folded -> as first written
    by_end: dict[str, tuple[str, ...]]  # first or last word -> full names
    mid: frozenset[str]  # folded words written with a capital inside a sentence
    # title key -> (paragraph, name) of each time the article gives that title a name
    titles: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, paragraphs: Sequence[str]) -> Article:
        full: dict[str, str] = {}
        mid: set[str] = set()
        for paragraph in paragraphs:
            for match in CAPITAL_RUN.finditer(paragraph):
                initial = starts_sentence(paragraph, match.start())
                tokens = match.group().split()
                for k, token in enumerate(tokens):
                    if (k or not initial) and is_capitalised(token):
                        mid.add(token)
                cls._names(tokens, full)
        by_end: dict[str, set[str]] = {}
        for key in full:
            for word in {key.split()[0], key.split()[-1]}:
                by_end.setdefault(word, set()).add(key)
        return cls(
            tuple(paragraphs),
            full,
            {k: tuple(sorted(v)) for k, v in by_end.items()},
            frozenset(fold(word) for word in mid),
        )

    def _read_titles(self) -> None:
        titles: dict[str, list[tuple[int, str]]] = {}
        for p, paragraph in enumerate(self.paragraphs):
            tokens = tokens_of(paragraph)
            for i, token in enumerate(tokens):
                if _low(token) in TITLES:
                    self._title(tokens, i, p, titles)
        self.titles.update({k: tuple(v) for k, v in titles.items()})
        self.titles.setdefault("", ())  # read: do not read again

    @staticmethod
    def _names(tokens: Sequence[str], full: dict[str, str]) -> None:
        """Record the full names (two words or more) of a run of capitalised words."""
        i = 0
        while i < len(tokens):
            start, end = _run(tokens, i)
            if end - start >= 2:
                name = " ".join(tokens[start:end])
                full.setdefault(fold(name), name)
            i = max(end, i + 1)

    @staticmethod
    def _title(
        tokens: Sequence[str], i: int, p: int, titles: dict[str, list[tuple[int, str]]]
    ) -> None:
        """Record the name a title is given: `le président russe Vladimir Poutine`."""
        key, after = _title_key(tokens, i)
        named = _apposed_name(tokens, after)
        if named:
            titles.setdefault(key, []).append((p, named))

    def complete(self, name: str) -> str:
        """`Kim` -> `Kim Jong Un` when the article writes exactly one fuller name that way."""
        key = fold(name)
        if " " in key:
            return name
        found = self.by_end.get(key, ())
        return self.full_names[found[0]] if len(found) == 1 else name

    def titled(self, key: str, paragraph: int) -> str | None:
        """The name the article last gave this title, up to `paragraph`."""
        if not self.titles:
            self._read_titles()
        before = [name for p, name in self.titles.get(key, ()) if p <= paragraph]
        return self.complete(before[-1]) if before else None


def full_names(text: str) -> list[str]:
    """The folded names of two words or more written in `text`."""
    tokens = tokens_of(text)
    found = []
    i = 0
    while i < len(tokens):
        start, end = _run(tokens, i)
        if end - start >= 2:
            found.append(fold(" ".join(tokens[start:end])))
        i = max(end, i + 1)
    return found


def _run(tokens: Sequence[str], i: int) -> tuple[int, int]:
    """The name run starting at i, without leading stop words and titles: (start, end)."""
    end = i
    while end < len(tokens) and end - i < MAX_RUN + 2 and is_capitalised(tokens[end]):
        end += 1
    start = i
    while start < end and (_low(tokens[start]) in NOT_NAMES or _low(tokens[start]) in TITLES):
        start += 1
    if start < end and not any(c.isalpha() for c in tokens[start]):
        return (i, i)
    return (start, end) if 0 < end - start <= MAX_RUN else (i, i)


def _title_key(tokens: Sequence[str], i: int) -> tuple[str, int]:
    """`le président russe` -> ("m president russe", index after); the adjective is optional.

    The key keeps the gender its French determiner shows: `la ministre` is
    not `le ministre` named earlier.
    """
    gender = GENDER.get(_low(tokens[i - 1]), "") if i else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if nxt and nxt[0].islower() and _low(nxt) not in NOT_NAMES and _low(nxt) not in PREPOSITIONS:
        return f"{gender}{fold(f'{tokens[i]} {nxt}')}", i + 2
    return f"{gender}{fold(tokens[i])}", i + 1


def _apposed_name(tokens: Sequence[str], k: int) -> str | None:
    """The name after a title: `président russe Vladimir Poutine`, `porte-parole, Dmitri Peskov`,
    `porte-parole du PS Didier Mathus` (a one-word complement before the name is left out).
    """
    j = k
    while j < min(k + 10, len(tokens)):
        token = tokens[j]
        if token == ",":
            start, end = _run(tokens, j + 1)
            return " ".join(tokens[start:end]) if end > start and start == j + 1 else None
        if token == "(" and ")" in tokens[j : j + 6]:
            j = tokens.index(")", j) + 1  # "(NC)"
            continue
        if token in PUNCTUATION:
            return None
        if is_capitalised(token):
            start, end = _run(tokens, j)
            if end <= start or start != j:
                return None
            if j == k or (tokens[j - 1] == ")" and end - start >= 2):
                return " ".join(tokens[start:end])
            if _low(tokens[j - 1]) not in PREPOSITIONS:
                return None
            if end - start >= 3:
                return " ".join(tokens[start + 1 : end])  # "du PS Didier Mathus"
            j = end  # "du Conseil de sécurité nationale, John Kirby": a complement
            continue
        j += 1
    return None


def _name_ending_at(tokens: Sequence[str], j: int) -> Subject:
    start = j
    while start > 0 and j - start < MAX_RUN + 1 and is_capitalised(tokens[start - 1]):
        start -= 1
    lo, hi = _run(tokens, start)
    if hi != j + 1:
        return NONE
    before = _low(tokens[lo - 1]) if lo > 0 else ""
    if lo == start and before in PREPOSITIONS:
        return NONE
    if lo > 0 and before in HONORIFICS:
        return Subject("name", tokens[lo] if hi - lo == 1 else " ".join(tokens[lo:hi]))
    if before in ARTICLES and hi - lo == 1:
        return Subject("title", fold(tokens[lo]))  # "Le Nord-Coréen a déclaré"
    return Subject("name", " ".join(tokens[lo:hi]))


def _title_ending_at(tokens: Sequence[str], j: int) -> Subject:
    for m in range(j, max(j - 4, -1), -1):
        if tokens[m] in PUNCTUATION:
            return NONE
        if _low(tokens[m]) in TITLES and m > 0 and _low(tokens[m - 1]) in ARTICLES:
            return Subject("title", _title_key(tokens, m)[0])
    return NONE


def subject_before(tokens: Sequence[str], j: int) -> Subject:
    """The subject whose last word is at j (adverbs and appositions skipped), or NONE."""
    while j >= 0 and _low(tokens[j]) in ADVERBS:
        j -= 1
    if j < 0:
        return NONE
    low = _low(tokens[j])
    if tokens[j] == ",":
        k = j - 1
        while k >= 0 and j - k < 14 and tokens[k] not in PUNCTUATION:
            k -= 1
        if k < 0 or tokens[k] != ",":
            return NONE
        inner = _name_ending_at(tokens, j - 1)
        if inner.kind == "name" and j - 1 - k <= MAX_RUN:
            return inner
        return subject_before(tokens, k - 1)
    if low in SINGULAR:
        return Subject("pronoun")
    if low in PLURAL:
        return NONE
    if is_capitalised(tokens[j]):
        found = _name_ending_at(tokens, j)
        if found.kind != "none":
            return found
    return _title_ending_at(tokens, j)


def subject_after(tokens: Sequence[str], k: int) -> Subject:
    """The subject after a verb of saying at k - 1 (`a déclaré le porte-parole, John Kirby`)."""
    if k >= len(tokens):
        return NONE
    low = _low(tokens[k])
    if low in SINGULAR:
        return Subject("pronoun")
    if low in HONORIFICS and k + 1 < len(tokens) and tokens[k + 1] == ".":
        k += 2
    elif low in HONORIFICS:
        k += 1
    if k < len(tokens) and is_capitalised(tokens[k]) and _low(tokens[k]) not in TITLES:
        start, end = _run(tokens, k)
        if start == k and end > start:
            return Subject("name", " ".join(tokens[start:end]))
        return NONE
    title_at = k + 1 if low in ARTICLES else k
    if title_at < len(tokens) and _low(tokens[title_at]) in TITLES:
        key, after = _title_key(tokens, title_at)
        named = _apposed_name(tokens, after)
        return Subject("name", named) if named else Subject("title", key)
    return NONE


def resolve(
    subject: Subject, article: Article, last_named: str | None, paragraph: int
) -> str | None:
    """The speaker a subject names: never a guess.

    A one-word name that opens its sentence counts unless it is a common
    noun of reporting (`Officials said`, `Experts estiment`), or when the
    article also writes it inside a sentence or in a fuller form.
    """
    if subject.kind == "name":
        full = article.complete(subject.value)
        if " " in full or fold(full) in article.mid or fold(full) not in COMMON_SUBJECTS:
            return full
        return None
    if subject.kind == "pronoun":
        return last_named
    if subject.kind == "title":
        return article.titled(subject.value, paragraph)
    return None


@dataclass(frozen=True)
class Line:
    """A paragraph (quotations blanked) read once: tokens, their offsets, verbs of saying."""

    starts: tuple[int, ...]
    tokens: tuple[str, ...]
    speech: tuple[bool, ...]

    @classmethod
    def read(cls, text: str, memo: dict[str, bool]) -> Line:
        """`memo` remembers which words are verbs of saying, across the lines of one article."""
        found = [(m.start(), m.group()) for m in TOKEN.finditer(text)]
        tokens = tuple(t for _, t in found)
        speech = []
        for token in tokens:
            flag = memo.get(token)
            if flag is None:
                flag = memo[token] = is_speech_verb(token) or _low(token) in ACCORDING
            speech.append(flag)
        return cls(tuple(p for p, _ in found), tokens, tuple(speech))

    def window(self, start: int, end: int, limit: int) -> tuple[int, int]:
        """The token indexes [lo, hi) of the characters [start, end), at most `limit` tokens."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return lo, min(hi, lo + limit)


def subject_after_quote(line: Line, lo: int, hi: int, ends: bool) -> Subject:
    """The subject named by the words right after a quotation (tokens lo..hi of its line)."""
    tokens = line.tokens[lo:hi]
    speech = line.speech[lo:hi]
    i = 1 if tokens[:1] == (",",) else 0
    if i == 0 and ends and (not tokens or not tokens[0][:1].islower()):
        return NONE  # the quotation ended its sentence; what follows is another one
    for v, token in enumerate(tokens[i:], start=i):
        if token in '.!?«»“”"':
            return NONE  # the sentence, or the words before the next quotation, ended
        if _inverted_pronoun(token):
            return Subject("pronoun")
        if not speech[v]:
            continue
        if _low(token) in ACCORDING:
            nxt = v + 2 if v + 1 < len(tokens) and _low(tokens[v + 1]) == "to" else v + 1
            return subject_after(tokens, nxt)
        after = subject_after(tokens, v + 1)
        if after.kind != "none":
            return after
        aux = v - 1 if v - 1 >= i and _low(tokens[v - 1]) in AUXILIARIES else v
        return subject_before(tokens, aux - 1) if aux - 1 >= i else NONE
    return NONE


def subject_before_quote(line: Line, lo: int, hi: int) -> Subject:
    """The subject of the last verb of saying in the words (tokens lo..hi) that open a quotation."""
    tokens = line.tokens[lo:hi]
    speech = line.speech[lo:hi]
    last = next((v for v in range(len(tokens) - 1, -1, -1) if speech[v]), -1)
    if last < 0:
        # "Pour Manuel Valls (PS), la loi « … »": the sentence opens with whose view it is.
        if len(tokens) > 1 and _low(tokens[0]) in VIEW_OF and "," in tokens:
            return subject_after(tokens, 1)
        return NONE
    if _low(tokens[last]) in ACCORDING:
        nxt = last + 2 if last + 1 < len(tokens) and _low(tokens[last + 1]) == "to" else last + 1
        return subject_after(tokens, nxt)
    for v in range(last, -1, -1):
        token = tokens[v]
        if _inverted_pronoun(token):
            return Subject("pronoun")
        if not (speech[v] or _low(token) in AUXILIARIES):
            continue
        subject = subject_before(tokens, v - 1)
        if subject.kind != "none":
            return subject
    return NONE
