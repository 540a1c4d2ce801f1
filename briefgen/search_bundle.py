"""Pagefind's bundle made deterministic: the same pages give the same bytes.

Pagefind 1.x writes the values of each filter, and the list of filters in its
metadata file, in the order of a Rust hash map, which changes from run to run
(every other file of the bundle is stable). Both are lists whose order the
search script ignores, so this module sorts them, then renames the files
after their new content as Pagefind does (`<lang>_<hex>`) and updates the
references: filter files are named in the metadata file, which is named in
`pagefind-entry.json`.

The files are gzip-compressed CBOR after a `pagefind_dcd` signature. Only
the layout of CBOR items is read here (to cut the lists into their items and
sort them); no value is re-encoded, so the bytes of each item are Pagefind's.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re

SIGNATURE = b"pagefind_dcd"
META = re.compile(r"^pagefind/pagefind\.(?P<hash>[\w-]+_[0-9a-f]+)\.pf_meta$")
FILTER = re.compile(r"^pagefind/filter/(?P<hash>[\w-]+_[0-9a-f]+)\.pf_filter$")
META_FILTERS = 3  # the filters are the fourth item of the metadata array


class BundleFormatError(ValueError):
    """The bundle is not laid out as this module expects (another Pagefind version)."""


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its filter values and filter list sorted, files renamed to match."""
    result = {path: data for path, data in files.items() if not FILTER.match(path)}
    renamed: dict[str, str] = {}
    for path, data in sorted(files.items()):
        found = FILTER.match(path)
        if found is None:
            continue
        old = found["hash"]
        body = _sort_array(_unpack(data), at=(1,))
        new = _rename(old, body, digits=len(old.split("_")[-1]))
        renamed[old] = new
        result[f"pagefind/filter/{new}.pf_filter"] = _pack(body)
    metas = [path for path in files if META.match(path)]
    for path in metas:
        old = META.match(path)["hash"]  # type: ignore[index]
        body = _unpack(files[path])
        for before, after in renamed.items():
            body = body.replace(_text(before), _text(after))
        body = _sort_array(body, at=(META_FILTERS,))
        new = _rename(old, body, digits=len(old.split("_")[-1]))
        del result[path]
        result[f"pagefind/pagefind.{new}.pf_meta"] = _pack(body)
        entry = json.loads(result["pagefind/pagefind-entry.json"])
        for language in entry["languages"].values():
            if language["hash"] == old:
                language["hash"] = new
        result["pagefind/pagefind-entry.json"] = json.dumps(
            entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        ).encode("utf-8")
    return dict(sorted(result.items()))


def _unpack(data: bytes) -> bytes:
    body = gzip.decompress(data)
    if not body.startswith(SIGNATURE):
        raise BundleFormatError("a Pagefind file without its signature")
    return body[len(SIGNATURE) :]


def _pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)


def _rename(old: str, body: bytes, *, digits: int) -> str:
    language = old.rsplit("_", 1)[0]
    return f"{language}_{hashlib.sha256(body).hexdigest()[:digits]}"


def _text(value: str) -> bytes:
    """A short CBOR text string (the file names: under 24 bytes)."""
    raw = value.encode("utf-8")
    if len(raw) >= 24:
        raise BundleFormatError(f"unexpected file name {value!r}")
    return bytes([0x60 + len(raw)]) + raw


def _sort_array(body: bytes, *, at: tuple[int, ...]) -> bytes:
    """`body` with the array found by the item path `at` (from the top array) sorted by bytes."""
    start, end = _locate(body, at)
    count, first = _header(body, start, major=4)
    spans, position = [], first
    for _ in range(count):
        after = _skip(body, position)
        spans.append(body[position:after])
        position = after
    if position != end:
        raise BundleFormatError("an array that does not end where expected")
    return body[:first] + b"".join(sorted(spans)) + body[end:]


def _locate(body: bytes, path: tuple[int, ...]) -> tuple[int, int]:
    """Start and end of the item reached by following array indexes `path` from the top item."""
    start = 0
    for index in path:
        count, position = _header(body, start, major=4)
        if index >= count:
            raise BundleFormatError("an array shorter than expected")
        for _ in range(index):
            position = _skip(body, position)
        start = position
    return start, _skip(body, start)


def _header(body: bytes, position: int, *, major: int | None = None) -> tuple[int, int]:
    """The argument of the item at `position` and where its content starts."""
    if position >= len(body):
        raise BundleFormatError("a truncated file")
    initial = body[position]
    if major is not None and initial >> 5 != major:
        raise BundleFormatError(f"expected CBOR major type {major} at byte {position}")
    info = initial & 0x1F
    if info < 24:
        return info, position + 1
    if info > 27:
        raise BundleFormatError(f"unsupported CBOR item at byte {position}")
    size = 1 << (info - 24)
    value = int.from_bytes(body[position + 1 : position + 1 + size], "big")
    return value, position + 1 + size


def _skip(body: bytes, position: int) -> int:
    """Where the CBOR item at `position` ends."""
    major = body[position] >> 5
    argument, content = _header(body, position)
    if major in (0, 1, 7):  # integers, simple values and floats: the header is everything
        return content
    if major in (2, 3):  # byte and text strings
        return content + argument
    if major == 6:  # a tag and its item
        return _skip(body, content)
    items = argument * (2 if major == 5 else 1)
    for _ in range(items):
        content = _skip(body, content)
    return content
