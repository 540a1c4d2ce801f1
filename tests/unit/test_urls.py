from __future__ import annotations

from datetime import date

import pytest

from briefgen import urls
from briefgen.model import GroupSummary


def test_routes_and_output_files() -> None:
    topic = GroupSummary("topic", "Défense", "defense", 3)
    assert urls.group(topic) == "topics/defense/"
    assert urls.group_page(topic, 1) == "topics/defense/"
    assert urls.group_page(topic, 3) == "topics/defense/page/3/"
    assert urls.day(date(2023, 9, 4)) == "dates/2023/09/04/"
    assert urls.output_file("") == "index.html"
    assert urls.output_file("topics/defense/") == "topics/defense/index.html"
    assert urls.output_file("feed.xml") == "feed.xml"


@pytest.mark.parametrize("route", ["/etc/passwd", "../x/", "a/../../b.html"])
def test_a_route_never_leaves_the_output(route: str) -> None:
    with pytest.raises(ValueError):
        urls.output_file(route)


def test_links_carry_the_base_path() -> None:
    linker = urls.Linker("https://user.github.io/repo/", "/repo/")
    assert linker.link("articles/x/") == "/repo/articles/x/"
    assert linker.absolute("feed.xml") == "https://user.github.io/repo/feed.xml"
    assert linker.link("") == "/repo/"
