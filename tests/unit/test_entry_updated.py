"""`Entry.revised` and `last_modified`: what the page and the feeds say of an update."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from tests.unit.test_index import make_entry

OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
MOMENTS = st.builds(
    lambda moment, zone: moment.replace(tzinfo=UTC).astimezone(zone),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)),
    OFFSETS,
)


@given(MOMENTS, st.booleans(), MOMENTS, st.booleans())
def test_the_last_modification_is_never_before_the_publication(
    published: datetime, has_time: bool, updated: datetime, updated_has_time: bool
) -> None:
    entry = make_entry(
        "a", published, has_time=has_time, updated=updated, updated_has_time=updated_has_time
    )
    revised = entry.revised
    assert entry.last_modified.timestamp >= entry.timestamp
    if revised is not None:  # shown: it says something the date does not
        assert revised.date == updated and revised.has_time == updated_has_time
        assert revised.timestamp > entry.timestamp
        assert (revised.title, revised.path, revised.slug) == (entry.title, entry.path, "a")
    else:
        assert entry.last_modified is entry


@given(MOMENTS, st.booleans())
def test_an_entry_without_update_is_its_own_last_modification(
    published: datetime, has_time: bool
) -> None:
    entry = make_entry("a", published, has_time=has_time)
    assert entry.revised is None and entry.last_modified is entry
