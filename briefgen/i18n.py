"""UI strings in French and English, and dates written in a language.

The theme's words come from here, chosen by the site's language; dates are
written in the entry's language with babel ("14 septembre 2023").
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content",
        "home": "Briefing",
        "latest": "Latest coverage",
        "stories": "Main stories",
        "topics": "Topics",
        "topic": "Topic",
        "dates": "Timeline",
        "sources": "Sources",
        "source": "Source",
        "tags": "Tags",
        "search": "Search",
        "feed": "Atom feed",
        "read_original": "Read the original",
        "at": "at",
        "by": "By",
        "published": "Published",
        "same_story": "More coverage of this story",
        "uncategorised": "Uncategorised",
        "unknown_source": "Unknown outlet",
        "all_topics": "All topics",
        "all_sources": "All sources",
        "all_tags": "All tags",
        "all_dates": "Full timeline",
        "not_found": "Page not found",
        "not_found_text": "This page does not exist or has moved.",
        "back_home": "Back to the briefing",
        "article_one": "article",
        "article_many": "articles",
        "outlet_one": "outlet",
        "outlet_many": "outlets",
        "entries_of_day": "Articles of",
        "navigation": "Main navigation",
        "breadcrumb": "Breadcrumb",
        "words": "words",
        "site_feed": "Feed of the whole briefing",
        "previous_day": "Previous day",
        "next_day": "Next day",
        "empty": "Nothing here yet.",
        "on": "on",
        "page": "Page",
        "pages": "Pages",
        "older_entries": "Older articles",
        "newer_entries": "Newer articles",
        "story": "Story",
        "story_list": "Stories",
        "all_stories": "All stories",
        "story_data": "Data (JSON)",
        "covered_by": "Covered by",
        "coverage": "Coverage",
        "also_published_by": "Also published by",
        "older_stories": "Older stories",
        "newer_stories": "Newer stories",
        "tag": "Tag",
        "no_original": "no link to the original article",
        "from_unknown": "from unknown outlets",
        "same_day": "The same day",
        "previous_article": "Previous article",
        "next_article": "Next article",
        "day_one": "day",
        "day_many": "days",
        "without_articles": "without articles",
        "original_at": "Original",
        "quotes": "Who said what",
        "speaker_unnamed": "Speaker not named",
        "named": "People, places, organisations",
        "kind_person": "People",
        "kind_place": "Places",
        "kind_organisation": "Organisations",
        "kind_other": "Also named",
        "also_in": "also in",
        "attention": "Coverage over time",
        "attention_title": "Articles per day by outlet",
        "attention_table": "Articles per day by outlet",
        "attention_desc": (
            "{articles} from {outlets}, {first} to {last}; busiest day {peak} ({peak_count})."
        ),
        "unnamed_outlet": "Unnamed outlet",
        "other_outlets": "Other outlets",
        "week_of": "week of",
        "total": "Total",
    },
    "fr": {
        "skip": "Aller au contenu",
        "home": "Briefing",
        "latest": "Dernières publications",
        "stories": "Sujets principaux",
        "topics": "Thèmes",
        "topic": "Thème",
        "dates": "Chronologie",
        "sources": "Sources",
        "source": "Source",
        "tags": "Mots-clés",
        "search": "Recherche",
        "feed": "Flux Atom",
        "read_original": "Lire l’article original",
        "at": "à",
        "by": "Par",
        "published": "Publié le",
        "same_story": "Autres articles sur ce sujet",
        "uncategorised": "Non classé",
        "unknown_source": "Média inconnu",
        "all_topics": "Tous les thèmes",
        "all_sources": "Toutes les sources",
        "all_tags": "Tous les mots-clés",
        "all_dates": "Toute la chronologie",
        "not_found": "Page introuvable",
        "not_found_text": "Cette page n’existe pas ou a été déplacée.",
        "back_home": "Retour au briefing",
        "article_one": "article",
        "article_many": "articles",
        "outlet_one": "média",
        "outlet_many": "médias",
        "entries_of_day": "Articles du",
        "navigation": "Navigation principale",
        "breadcrumb": "Fil d’Ariane",
        "words": "mots",
        "site_feed": "Flux de tout le briefing",
        "previous_day": "Jour précédent",
        "next_day": "Jour suivant",
        "empty": "Rien pour l’instant.",
        "on": "le",
        "page": "Page",
        "pages": "Pages",
        "older_entries": "Articles plus anciens",
        "newer_entries": "Articles plus récents",
        "story": "Sujet",
        "story_list": "Sujets",
        "all_stories": "Tous les sujets",
        "story_data": "Données (JSON)",
        "covered_by": "Couvert par",
        "coverage": "Couverture",
        "also_published_by": "Également publié par",
        "older_stories": "Sujets plus anciens",
        "newer_stories": "Sujets plus récents",
        "tag": "Mot-clé",
        "no_original": "pas de lien vers l’article original",
        "from_unknown": "de média inconnu",
        "same_day": "Le même jour",
        "previous_article": "Article précédent",
        "next_article": "Article suivant",
        "day_one": "jour",
        "day_many": "jours",
        "without_articles": "sans article",
        "original_at": "Original",
        "quotes": "Qui a dit quoi",
        "speaker_unnamed": "Auteur non nommé",
        "named": "Personnes, lieux, organisations",
        "kind_person": "Personnes",
        "kind_place": "Lieux",
        "kind_organisation": "Organisations",
        "kind_other": "Également cités",
        "also_in": "aussi dans",
        "attention": "La couverture dans le temps",
        "attention_title": "Articles par jour et par média",
        "attention_table": "Articles par jour et par média",
        "attention_desc": (
            "{articles} de {outlets}, du {first} au {last}\u202f; "
            "jour le plus suivi\u00a0: {peak} ({peak_count})."
        ),
        "unnamed_outlet": "Média non précisé",
        "other_outlets": "Autres médias",
        "week_of": "semaine du",
        "total": "Total",
    },
}


def ui_language(lang: str) -> str:
    """The UI table for a language tag: 'fr-CA' -> 'fr'; unknown -> 'en'."""
    base = lang.split("-")[0].lower()
    return base if base in STRINGS else "en"


def strings(lang: str) -> dict[str, str]:
    return STRINGS[ui_language(lang)]


def plural(lang: str, count: int, one: str, many: str) -> str:
    """French counts 0 and 1 as singular; English only 1."""
    singular = count <= 1 if ui_language(lang) == "fr" else count == 1
    return one if singular else many


@lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def long_date(value: date, lang: str) -> str:
    """'14 septembre 2023' / 'September 14, 2023'."""
    return str(format_date(value, format="long", locale=locale(lang)))


def full_date(value: date, lang: str) -> str:
    """'jeudi 14 septembre 2023' / 'Thursday, September 14, 2023'."""
    return str(format_date(value, format="full", locale=locale(lang)))


def month_name(value: date, lang: str) -> str:
    """'septembre 2023' / 'September 2023'."""
    return str(format_date(value, format="LLLL y", locale=locale(lang)))


def short_time(value: datetime, lang: str) -> str:
    """'16:50' / '4:50 PM', in the moment's own offset."""
    return str(format_time(value, format="short", locale=locale(lang), tzinfo=value.tzinfo))
