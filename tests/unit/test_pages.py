"""Page planning: the lists an article page is given stay bounded whatever the story's size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from briefgen.model import Day
from briefgen.pages import _nearby, _positions
from tests.unit.test_index import make_entry


def entries(count: int) -> tuple:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return tuple(make_entry(f"e{i}", start + timedelta(minutes=i)) for i in range(count))


@given(st.integers(1, 60), st.integers(0, 59), st.integers(0, 12))
def test_nearby_gives_the_nearest_others_in_order(count: int, index: int, limit: int) -> None:
    items = entries(count)
    index %= count
    holder = Day(items[0].day, items)
    chosen = _nearby(items, _positions([holder]), items[index], limit)
    places = [items.index(e) for e in chosen]
    assert len(chosen) == min(limit, count - 1)
    assert items[index] not in chosen
    assert places == sorted(places)  # in the list's order
    # nearest first: nothing left out is nearer than something kept
    left_out = [abs(i - index) for i in range(count) if i != index and i not in places]
    if chosen and left_out:
        assert min(left_out) >= max(abs(p - index) for p in places) - 1
