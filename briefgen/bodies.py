"""The Markdown bodies of the entries, rendered to HTML: a stage of its own, after the model.

The model holds each body as written; this stage turns it into a `Body`
(HTML, the plain text of its first paragraph, its word count), keyed by a
hash of the body and of the one setting that changes its HTML, so that a
body is rendered once whatever else changes. Templates ask for it with
`body(entry)` and `summary(entry)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping

from briefgen.markdown import Rendered, make_parser, render
from briefgen.model import Entry
from briefgen.parallel import ordered_map

Body = Rendered
Progress = Callable[[int, int], None]


def body_key(entry: Entry, unsafe_html: bool) -> bytes:
    """What a body's HTML depends on: its text and whether raw HTML is kept."""
    digest = hashlib.blake2b(entry.body.encode("utf-8"), digest_size=16)
    digest.update(b"unsafe" if unsafe_html else b"safe")
    return digest.digest()


def render_bodies(
    entries: Iterable[Entry],
    *,
    unsafe_html: bool,
    cache: MutableMapping[bytes, Body],
    progress: Progress | None = None,
) -> dict[str, Body]:
    """Each entry's body by the entry's path; only bodies not in `cache` are rendered."""
    entries = list(entries)
    keys = {entry.path: body_key(entry, unsafe_html) for entry in entries}
    texts: dict[bytes, str] = {}
    for entry in entries:
        key = keys[entry.path]
        if key not in cache:
            texts.setdefault(key, entry.body)
    todo = sorted(texts.items())
    md = make_parser(unsafe_html=unsafe_html)
    for (key, _text), done in zip(
        todo, ordered_map(lambda item: render(md, item[1]), todo, progress), strict=True
    ):
        cache[key] = done
    return {path: cache[key] for path, key in keys.items()}


def summary_of(entry: Entry, bodies: Mapping[str, Body]) -> str:
    """The entry's own summary, or the first paragraph of its body."""
    if entry.summary:
        return entry.summary
    body = bodies.get(entry.path)
    return body.first_paragraph if body is not None else ""
