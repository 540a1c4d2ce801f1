"""What each page depends on, reduced to one signature: a page is rendered again when it moves.

A page depends on (a) the templates it loads: its own and every template that
one extends, includes or imports, found by Jinja's own parser; (b) the
settings: the configuration and the build's options; (c) the model objects it
is given: each entry by the hash of its file (the entry, its body and its
summary are functions of those bytes and of the settings), each group, day,
month or year by its identity and the entries it holds, each pager or
summary by its values. Like Lektor's `record_dependency`, the dependencies
are named, not compared: the signature hashes the names and the digests of
what they point at, never the HTML or a whole template context, and the
digest of a shared object (the whole `Site` for the home page, a story's
head or a topic's summary given to thousands of articles) is computed once
per build.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime

import jinja2
from jinja2 import meta

from briefgen.model import Day, Entry, Group, Month, Site, Story, Year

Digest = bytes
SHARED = 4  # tuples longer than this are hashed once per build
Hasher = hashlib.blake2b


def digest_bytes(data: bytes) -> Digest:
    return hashlib.blake2b(data, digest_size=16).digest()


class Templates:
    """The digest of each template together with everything it loads."""

    def __init__(
        self, env: jinja2.Environment, known: dict[Digest, frozenset[str | None]] | None = None
    ) -> None:
        self.env = env
        # the templates each template source loads, by the source's digest: parsing
        # every template is most of the cost of a build that renders nothing
        self.known = known if known is not None else {}
        self._own: dict[str, tuple[Digest, frozenset[str | None]]] = {}
        self._closure: dict[str, Digest] = {}

    def _read(self, name: str) -> tuple[Digest, frozenset[str | None]]:
        found = self._own.get(name)
        if found is None:
            loader = self.env.loader
            assert loader is not None
            try:
                source, filename, _ = loader.get_source(self.env, name)
            except Exception:  # missing or unreadable: rendering reports it, with its place
                found = (digest_bytes(b"unreadable:" + name.encode()), frozenset())
            else:
                digest = digest_bytes(f"{filename}\0{source}".encode())
                used = self.known.get(digest)
                if used is None:
                    try:
                        used = frozenset(meta.find_referenced_templates(self.env.parse(source)))
                    except jinja2.TemplateSyntaxError:
                        used = frozenset()
                    self.known[digest] = used
                found = (digest, used)
            self._own[name] = found
        return found

    def digest(self, name: str) -> Digest:
        """`name` and every template it reaches; a dynamic name makes it depend on them all."""
        done = self._closure.get(name)
        if done is not None:
            return done
        todo, seen, every = [name], set(), False
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            _own, used = self._read(current)
            every = every or None in used
            todo.extend(n for n in used if n is not None)
        if every:
            seen.update(self.env.list_templates())
        hasher = hashlib.blake2b(digest_size=16)
        for current in sorted(seen):
            hasher.update(current.encode() + b"\0" + self._read(current)[0])
        self._closure[name] = hasher.digest()
        return self._closure[name]

    def everything(self) -> Digest:
        """Every template the loader can find, with its source: any template edit moves it."""
        hasher = hashlib.blake2b(digest_size=16)
        for name in sorted(self.env.list_templates()):
            hasher.update(name.encode() + b"\0" + self._read(name)[0])
        return hasher.digest()


class Signer:
    """Signs pages: `(template digest, settings, route, what the page is given)`."""

    def __init__(self, entries: Mapping[str, Digest], settings: Digest, templates: Templates):
        self.entries = entries
        self.settings = settings
        self.templates = templates
        self._shared: dict[int, Digest] = {}
        self._entries: dict[str, bytes] = {}
        self._tuples: dict[int, tuple[tuple[object, ...], Digest]] = {}
        self._frozen: dict[int, tuple[object, Digest]] = {}
        self._fields: dict[type, tuple[tuple[str, ...], bool]] = {}

    def page(self, route: str, template: str, context: Mapping[str, object]) -> Digest:
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(self.settings + self.templates.digest(template))
        hasher.update(f"{route}\0{template}\0".encode())
        for key in sorted(context):
            hasher.update(key.encode() + b"=")
            self._feed(hasher, context[key])
        return hasher.digest()

    def _feed(self, hasher: Hasher, value: object) -> None:
        kind = type(value)
        if kind is Entry:
            hasher.update(self._entry(value))  # type: ignore[arg-type]
        elif kind is tuple and len(value) > SHARED:  # type: ignore[arg-type]
            hasher.update(b"T" + self._tuple(value))  # type: ignore[arg-type]
        elif kind is tuple or kind is list:
            self._items(hasher, value)  # type: ignore[arg-type]
        elif isinstance(value, Site | Group | Story | Day | Month | Year):
            hasher.update(b"S" + self._object(value))
        elif kind is str:
            self._text(hasher, value)  # type: ignore[arg-type]
        elif value is None:
            hasher.update(b"N;")
        elif kind is int:
            hasher.update(b"i%d;" % value)  # type: ignore[str-format]
        elif kind is date:
            hasher.update(b"d%d;" % value.toordinal())  # type: ignore[attr-defined]
        elif value is None or isinstance(value, str | int | float | bool | date | datetime):
            hasher.update(f"{type(value).__name__}:{value!r};".encode())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names, frozen = self._names(value)
            if frozen:  # given to many pages (a story's head, a topic's summary): hashed once
                hasher.update(b"F" + self._frozen_digest(value, names))
            else:
                self._fields_of(hasher, value, names)
        elif isinstance(value, Mapping):
            hasher.update(b"{")
            for key in sorted(value):
                hasher.update(f"{key!r}:".encode())
                self._feed(hasher, value[key])
            hasher.update(b"}")
        else:
            raise TypeError(f"a page is given a {type(value).__name__}, which has no signature")

    def _items(self, hasher: Hasher, value: tuple[object, ...] | list[object]) -> None:
        # lists of entries are most of what pages are given: the common case inline
        hasher.update(b"(")
        for item in value:
            if type(item) is Entry:
                hasher.update(self._entry(item))
            else:
                self._feed(hasher, item)
        hasher.update(b")")

    def _tuple(self, value: tuple[object, ...]) -> Digest:
        """A long tuple is often given to many pages (a day's entries to each of its
        articles): hashed once. The tuple is kept, so its `id` is not reused meanwhile."""
        known = self._tuples.get(id(value))
        if known is None:
            hasher = hashlib.blake2b(digest_size=16)
            self._items(hasher, value)
            known = self._tuples[id(value)] = (value, hasher.digest())
        return known[1]

    def _entry(self, entry: Entry) -> bytes:
        """An entry stands for the file's bytes and its name (the slug may come from it)."""
        known = self._entries.get(entry.path)
        if known is None:
            known = b"E" + entry.path.encode() + b"\0" + self.entries[entry.path]
            self._entries[entry.path] = known
        return known

    def _text(self, hasher: Hasher, text: str) -> None:
        # length first: no text can pass for two, and no `repr` to make
        hasher.update(b"s%d:" % len(text) + text.encode("utf-8", "surrogatepass"))

    def _fields_of(self, hasher: Hasher, value: object, names: tuple[str, ...]) -> None:
        hasher.update(type(value).__name__.encode() + b"{")
        for name in names:
            hasher.update(name.encode() + b"=")
            self._feed(hasher, getattr(value, name))
        hasher.update(b"}")

    def _frozen_digest(self, value: object, names: tuple[str, ...]) -> Digest:
        """A frozen dataclass's values cannot change: hashed once per build. The object is
        kept, so its `id` is not reused meanwhile."""
        known = self._frozen.get(id(value))
        if known is None:
            hasher = hashlib.blake2b(digest_size=16)
            self._fields_of(hasher, value, names)
            known = self._frozen[id(value)] = (value, hasher.digest())
        return known[1]

    def _names(self, value: object) -> tuple[tuple[str, ...], bool]:
        """The fields of `value`'s dataclass, and whether it is frozen."""
        known = self._fields.get(type(value))
        if known is None:
            names = tuple(item.name for item in dataclasses.fields(value))  # type: ignore[arg-type]
            frozen = bool(type(value).__dataclass_params__.frozen)  # type: ignore[attr-defined]
            known = self._fields[type(value)] = (names, frozen)
        return known

    def _object(self, value: Site | Group | Story | Day | Month | Year) -> Digest:
        """Shared model objects are hashed once per build (they are frozen)."""
        known = self._shared.get(id(value))
        if known is None:
            hasher = hashlib.blake2b(digest_size=16)
            hasher.update(type(value).__name__.encode())
            for name in self._names(value)[0]:
                hasher.update(name.encode() + b"=")
                self._feed(hasher, getattr(value, name))
            known = self._shared[id(value)] = hasher.digest()
        return known
