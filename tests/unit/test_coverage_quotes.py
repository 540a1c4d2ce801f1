"""Quotations and their speakers: the seeds, French and English fixtures, the merge."""

from __future__ import annotations

import pytest

from briefgen.coverage.quotes import Carrier, Quote, extract_quotes, merge_quotes, quote_spans
from tests.unit.coverage_seeds import fixture_paragraphs, seed_docs

FRENCH = [
    ("Nous ne laisserons personne nous dicter notre conduite", "Vladimir Poutine"),
    ("aucun accord n'a été signé à ce stade", "Dmitri Peskov"),
    ("Le président m'a dit “nous irons jusqu'au bout” et je le crois", "Dmitri Peskov"),
    ("un succès complet pour les deux pays", "Sergueï Lavrov"),
    ("Ce sommet est une provocation de plus", None),  # "un diplomate européen": no name
    ("strictement confidentielles", None),  # "Ils": plural
    (
        "Première partie d'une longue déclaration, qui se poursuit dans ce paragraphe. "
        "Et qui s'achève dans le paragraphe suivant",
        "Kim Jong Un",
    ),
    ("respecte tous ses engagements internationaux", "Dmitri Peskov"),
    ("Nous n'avons rien à cacher à personne.", "Dmitri Peskov"),  # "le porte-parole", named before
    ("Nous verrons bien ce que l'avenir nous réserve", "Dmitri Peskov"),  # "M. Peskov"
    ("C'est un partenaire fiable et ancien", None),  # "il" after another person was introduced
    ("conditions préalables à toute discussion", None),  # no verb of saying
    ("Les discussions ont été constructives et franches", "Iouri Ouchakov"),  # "», selon"
    ("une reprise en main politique", "Patrick Braouezec"),  # "Pour le député … NAME,"
    ("Pas maintenant et pas comme ça", "Jean-Christophe Lagarde"),  # "le député du … (NC) NAME"
    ("Ce n'est pas notre droit, ni notre rôle", None),  # "la ministre": never given a name
    ("ni plan social ni guichet de départs", "Jean-Claude Dassier"),  # "NAME, apposition, est …"
    ("néfaste et dangereuse pour le pays", "Didier Mathus"),  # "selon le porte-parole du PS NAME"
]

ENGLISH = [
    ("We are watching this very closely", "John Kirby"),
    ("It is a matter of real concern", "John Kirby"),  # "Kirby told reporters"
    ("We have been clear about that with everyone.", None),  # no attribution of its own
    ("a sign of desperation on their part", "Antony Blinken"),
    ("Why would they take such a risk now?", "Antony Blinken"),  # "he asked"
    ("nothing of substance so far, in our view", None),  # "Officials said"
    ("pay a price for any arms deal", None),  # "The spokesman", never named as such
    ("We will not hesitate to act when the time comes", None),  # "he": the unnamed spokesman
    (
        "This is the first part of a long statement that goes on for a while. "
        "And this is the end of the same statement",
        "Linda Thomas-Greenfield",
    ),
    ('They told us "never again", and we listened carefully to them', "Maria Zakharova"),
    ("The summit changes nothing for our allies.", "John Kirby"),  # "Kirby told reporters: "
]


@pytest.mark.parametrize(
    ("name", "expected"), [("quotes-fr.txt", FRENCH), ("quotes-en.txt", ENGLISH)]
)
def test_fixture_quotes_have_exactly_these_speakers(
    name: str, expected: list[tuple[str, str | None]]
) -> None:
    found = [(q.text, q.speaker) for q in extract_quotes(fixture_paragraphs(name))]
    assert found == expected


def test_french_spaces_inside_guillemets_are_not_part_of_the_quote() -> None:
    quotes = extract_quotes(["«\u202fNon\u202f», a répondu Vladimir Poutine."])
    assert quotes == (Quote(("Non",), "Vladimir Poutine", 0),)


def test_a_quote_spanning_paragraphs_keeps_one_part_per_paragraph() -> None:
    quotes = extract_quotes(fixture_paragraphs("quotes-fr.txt"))
    long = next(q for q in quotes if len(q.parts) > 1)
    assert long.parts == (
        "Première partie d'une longue déclaration, qui se poursuit dans ce paragraphe.",
        "Et qui s'achève dans le paragraphe suivant",
    )


def test_an_unclosed_quote_does_not_swallow_the_next_paragraph() -> None:
    paragraphs = [
        "Il a parlé de « trahison sans la refermer.",
        "Le texte continue ici sans citation.",
    ]
    assert quote_spans(paragraphs) == []


SEED_SPEAKERS = {
    "Comme nous l’avons publiquement averti": "Adrienne Watson",
    "Nous disposons d’informations": "Adrienne Watson",  # "a-t-elle ajouté"
    "J’ai entendu tellement de bonnes choses": "Kim Jong Un",  # "avait déclaré Kim"
    "Pourquoi pas? Ce sont nos voisins": "Choïgou",  # "a-t-il déclaré", after Choïgou spoke
    "Il y a un vieux dicton russe": None,  # no attribution of its own
    "l’impérialisme": "Kim Jong-un",
    "négociations": "Dmitri Peskov",  # "Le porte-parole du Kremlin, Dmitri Peskov, avait indiqué"
    "Je suis heureux de vous voir.": "Vladimir Poutine",
    "lutte sacrée": "Kim Jong-un",  # "Kim, lui, a répondu"
    "de la plus haute importance": None,  # "Le Nord-Coréen": a title never given a name
    "malgré le fait d’être occupé": None,  # no verb of saying
    "un prix": "Washington",
    "questions sensibles": "Dmitri Peskov",
    "C’est pour cela qu’ils sont venus ici.": "Vladimir Poutine",  # "a déclaré M. Poutine"
    "balance commerciale actuelle nulle": None,  # "Il" after Fiodor Tertitskiy was introduced
    "Il est tout à fait crédible": "Siemon Wezeman",
    "fascinant": "Ankit Panda",
    "grande victoire": "Kim Jong Un",
    "Nous sommes convaincus": "Kim Jong Un",  # "a déclaré le dirigeant nord-coréen", named before
    "Nous sommes évidemment préoccupés": "John Kirby",
    "serait une violation de plusieurs": "Matthew Miller",  # "Son homologue…, Matthew Miller,"
    "nous n’hésiterons pas": "Matthew Miller",
    "Je profite de cette occasion": "Kim Jong Un",  # "a-t-il insisté"
}


def test_seed_quotes_have_exactly_these_speakers() -> None:
    found: dict[str, str | None] = {}
    for doc in seed_docs():
        for quote in extract_quotes(doc.paragraphs):
            for start in SEED_SPEAKERS:
                if quote.text.startswith(start):
                    found[start] = quote.speaker
    assert found == SEED_SPEAKERS


def test_a_quote_carried_by_two_outlets_is_shown_once_with_both() -> None:
    items = [
        (Carrier(doc.key, doc.outlet), quote)
        for doc in seed_docs()
        for quote in extract_quotes(doc.paragraphs)
    ]
    merged = merge_quotes(items)
    shared = [q for q in merged if q.text.startswith("La Russie respecte toutes ces restrictions")]
    assert len(shared) == 1
    assert shared[0].speaker == "Vladimir Poutine"  # one outlet wrote "le Président russe": no name
    assert [c.key for c in shared[0].carriers] == [
        "kim-jong-un-a-affirme-le-mercredi-13-septembre-2023-qu-il",
        "la-russie-et-la-coree-du-nord-envisagent-une-cooperation",
    ]
    texts = [q.text for q in merged]
    assert len(texts) == len(set(texts))


def test_merge_compares_folded_words_and_keeps_a_speaker_only_when_the_carriers_agree() -> None:
    one, two, three = Carrier("a", "A"), Carrier("b", "B"), Carrier("c", None)
    merged = merge_quotes(
        [
            (one, Quote(("Nous irons jusqu’au bout, quoi qu’il arrive",), "Poutine", 0)),
            (two, Quote(("nous irons jusqu'au bout quoi qu'il arrive",), "Vladimir Poutine", 0)),
            (three, Quote(("Nous irons jusqu’au bout, quoi qu’il arrive !",), "Sergueï Lavrov", 0)),
            (one, Quote(("le « mal »",), None, 0)),  # a short quote without a speaker is not shown
        ]
    )
    assert len(merged) == 1
    assert merged[0].carriers == (one, two, three)
    assert merged[0].speaker is None  # Poutine and Lavrov disagree: no guess
