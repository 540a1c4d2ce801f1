"""Language tags declared by pages and feeds, as BCP 47."""

from __future__ import annotations

import pytest

from briefgen.config import LANG_RE
from briefgen.ingest.lang import normalize_tag


@pytest.mark.parametrize(
    ("declared", "tag"),
    [
        ("en_US", "en-US"),
        ("fr_FR", "fr-FR"),
        ("en-us", "en-US"),
        ("EN", "en"),
        (" fr ", "fr"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ("es_419", "es-419"),
        ("fr-FR", "fr-FR"),
        # not a language tag even once normalized: dropped, detection decides
        ("english", ""),
        ("fr_", ""),
        ("", ""),
        ("e", ""),
        ("fr FR", ""),
    ],
)
def test_declared_tag_becomes_bcp47_or_nothing(declared: str, tag: str) -> None:
    assert normalize_tag(declared) == tag
    assert tag == "" or LANG_RE.match(tag)
