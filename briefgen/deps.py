"""What each page depends on, reduced to one signature: a page is rendered again when it moves.

A page depends on (a) the templates it loads: its own and every template that
one extends, includes or imports, found by Jinja's own parser; (b) the
settings: the configuration and the build's options; (c) the model objects it
is given: each entry by the hash of its file (the entry, its body and its
summary are functions of those bytes and of the settings) where the page
shows its body, elsewhere by what a list shows of it (its fields but the
body, and its summary); each group, day, month or year by its identity and
the entries it holds, each pager or summary by its values. Like Lektor's
`record_dependency`, the dependencies are named, not compared: the signature
hashes the names and the digests of what they point at, never the HTML or a
whole template context, and the digest of a shared object (the whole `Site`
for the home page, a story's head or a topic's summary given to thousands of
articles) is computed once per build.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter

import jinja2
from jinja2 import meta, nodes

from briefgen.model import Day, Entry, Group, Month, Site, Story, Year

Digest = bytes
SHARED = 4  # tuples longer than this are hashed once per build
Hasher = hashlib.blake2b


def digest_bytes(data: bytes) -> Digest:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class Reading:
    """What one template source loads, and how it reads the bodies of entries."""

    used: frozenset[str | None]  # the templates it extends, includes or imports (None: dynamic)
    parents: frozenset[str | None]  # the ones it extends
    owned: frozenset[str]  # names `n` of its `body(n)` where `n` is not bound by a loop or macro
    assigned: frozenset[str]  # names it binds: sets, imports, loops, macros and their arguments
    loose: bool  # it reads bodies some other way: `body` handed on, or called on a bound name


UNREADABLE = Reading(frozenset(), frozenset(), frozenset(), frozenset(), True)


def read_template(tree: nodes.Template) -> Reading:
    """What the parsed template `tree` loads and how it reads bodies (`Reading`)."""
    scan = _Scan()
    scan.visit(tree, frozenset())
    return Reading(
        frozenset(meta.find_referenced_templates(tree)),
        frozenset(_parents(tree)),
        frozenset(scan.owned),
        frozenset(scan.assigned),
        scan.loose or "body" in scan.assigned,  # a `body` of its own: it may read anything
    )


def _parents(tree: nodes.Template) -> Iterator[str | None]:
    for node in tree.find_all(nodes.Extends):
        target = node.template
        yield (
            target.value
            if isinstance(target, nodes.Const) and isinstance(target.value, str)
            else None
        )


class _Scan:
    """Walks a template: where it reads a body, and which names it binds."""

    def __init__(self) -> None:
        self.owned: set[str] = set()
        self.assigned: set[str] = set()
        self.loose = False

    def visit(self, node: nodes.Node, bound: frozenset[str]) -> None:
        if isinstance(node, nodes.For):
            self._all((node.iter, *node.else_), bound)
            self.assigned |= _names(node.target)
            inner = bound | _names(node.target) | {"loop"}
            self._all((*node.body, *([node.test] if node.test is not None else [])), inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, bound)
            else:
                self.assigned.add(node.name)
            self._all(node.defaults, bound)
            arguments = {a.name for a in node.args}
            self.assigned |= arguments
            inner = bound | arguments | {"varargs", "kwargs", "caller"}
            self._all(node.body, inner)
        elif isinstance(node, nodes.With):
            self._all(node.values, bound)
            targets = {n for t in node.targets for n in _names(t)}
            self.assigned |= targets
            self._all(node.body, bound | targets)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            self.assigned |= _names(node.target)
            self._all([c for c in node.iter_child_nodes() if c is not node.target], bound)
        elif isinstance(node, nodes.Import):
            self.assigned.add(node.target)
        elif isinstance(node, nodes.FromImport):
            self.assigned |= {n if isinstance(n, str) else n[1] for n in node.names}
        elif isinstance(node, nodes.Call) and _is_body_call(node):
            name = node.args[0].name  # type: ignore[attr-defined]
            if name in bound:
                self.loose = True
            else:
                self.owned.add(name)
        else:
            self._look(node)
            self._all(node.iter_child_nodes(), bound)

    def _all(self, children: Iterable[nodes.Node], bound: frozenset[str]) -> None:
        for child in children:
            self.visit(child, bound)

    def _look(self, node: nodes.Node) -> None:
        """`body` anywhere but called on a name: the body of anything may be read.

        Templates cannot read `entry.body` (`render.ThemeEnvironment` hides it):
        `body(…)` is the one way to a body."""
        if isinstance(node, nodes.Name) and node.name == "body":
            self.loose = True


def _is_body_call(node: nodes.Call) -> bool:
    return (
        isinstance(node.node, nodes.Name)
        and node.node.name == "body"
        and len(node.args) == 1
        and isinstance(node.args[0], nodes.Name)
        and not node.kwargs
        and node.dyn_args is None
        and node.dyn_kwargs is None
    )


def _names(target: nodes.Node) -> frozenset[str]:
    return frozenset(
        n.name
        for n in ([target] if isinstance(target, nodes.Name) else target.find_all(nodes.Name))
    )


class Templates:
    """The digest of each template together with everything it loads."""

    def __init__(self, env: jinja2.Environment, known: dict[Digest, Reading] | None = None) -> None:
        self.env = env
        # what each template source loads and how it reads bodies, by the source's digest:
        # parsing every template is most of the cost of a build that renders nothing
        self.known = known if known is not None else {}
        self._own: dict[str, tuple[Digest, Reading]] = {}
        self._closure: dict[str, Digest] = {}
        self._reached: dict[str, frozenset[str] | None] = {}
        self._whole: dict[str, frozenset[str] | None] = {}

    def _read(self, name: str) -> tuple[Digest, Reading]:
        found = self._own.get(name)
        if found is None:
            loader = self.env.loader
            assert loader is not None
            try:
                source, filename, _ = loader.get_source(self.env, name)
            except Exception:  # missing or unreadable: rendering reports it, with its place
                found = (digest_bytes(b"unreadable:" + name.encode()), UNREADABLE)
            else:
                digest = digest_bytes(f"{filename}\0{source}".encode())
                reading = self.known.get(digest)
                if reading is None:
                    try:
                        reading = read_template(self.env.parse(source))
                    except jinja2.TemplateSyntaxError:
                        reading = UNREADABLE
                    self.known[digest] = reading
                found = (digest, reading)
            self._own[name] = found
        return found

    def _reach(self, name: str) -> frozenset[str] | None:
        """`name` and every template it loads, or None when one is named only at render time."""
        if name in self._reached:
            return self._reached[name]
        todo, seen, every = [name], set(), False
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            used = self._read(current)[1].used
            every = every or None in used
            todo.extend(n for n in used if n is not None)
        self._reached[name] = None if every else frozenset(seen)
        return self._reached[name]

    def digest(self, name: str) -> Digest:
        """`name` and every template it reaches; a dynamic name makes it depend on them all."""
        done = self._closure.get(name)
        if done is not None:
            return done
        reached = self._reach(name)
        seen = reached if reached is not None else {name, *self.env.list_templates()}
        hasher = hashlib.blake2b(digest_size=16)
        for current in sorted(seen):
            hasher.update(current.encode() + b"\0" + self._read(current)[0])
        self._closure[name] = hasher.digest()
        return self._closure[name]

    def whole(self, name: str) -> frozenset[str] | None:
        """The variables of the context whose bodies a page drawn with `name` reads: their
        entries sign by their whole file, the others by what a list shows of them (`Signer`).
        None when the page may read the body of any entry it is given.

        Only `body(entry)` in the page's template or a template it extends, `entry` being
        a variable of the context, is told apart; any other way a template of the page
        reads a body (in a macro, a loop, through an attribute) makes it None.
        """
        if name in self._whole:
            return self._whole[name]
        reached, chain = self._reach(name), self._chain(name)
        found: frozenset[str] | None = None
        if reached is not None and chain is not None:
            readings = [self._read(current)[1] for current in sorted(reached)]
            owned = frozenset().union(*(r.owned for r in readings))
            # a name bound in the page's template or one it extends (by a loop around a
            # block, say) may not be the context's: only bindings inside imported or
            # included templates cannot reach the page's
            bound = frozenset().union(*(self._read(n)[1].assigned for n in chain))
            elsewhere = any(self._read(n)[1].owned for n in reached - chain)
            if not any(r.loose for r in readings) and not elsewhere and not owned & bound:
                found = owned
        self._whole[name] = found
        return found

    def _chain(self, name: str) -> frozenset[str] | None:
        """`name` and the templates it extends, or None when one is named only at render time."""
        chain: set[str] = set()
        current: str | None = name
        while current is not None and current not in chain:
            chain.add(current)
            parents = self._read(current)[1].parents
            if None in parents or len(parents) > 1:
                return None
            current = next(iter(parents), None)
        return frozenset(chain)

    def everything(self) -> Digest:
        """Every template the loader can find, with its source: any template edit moves it."""
        hasher = hashlib.blake2b(digest_size=16)
        for name in sorted(self.env.list_templates()):
            hasher.update(name.encode() + b"\0" + self._read(name)[0])
        return hasher.digest()


class Signer:
    """Signs pages: `(template digest, settings, route, what the page is given)`.

    An entry stands in a signature for what the page can show of it. Given to
    a page that reads its body (`Templates.whole`), it is its file (`entries`:
    path -> digest of the bytes), of which the entry, its body and its summary
    are functions under the settings. Given to a page that only lists it, it
    is its fields but the body, and its summary (`summaries`, the first
    paragraph when it has none of its own): editing an article's body does not
    draw again the month, the topic and the other articles that list it, unless
    its first paragraph changed.
    """

    def __init__(
        self,
        entries: Mapping[str, Digest],
        settings: Digest,
        templates: Templates,
        summaries: Callable[[Entry], str] = attrgetter("summary"),
        cards: Mapping[str, tuple[Digest, Digest]] | None = None,
    ):
        self.settings = settings
        self.templates = templates
        self._files = entries
        self._summaries = summaries
        self._known = cards if cards is not None else {}
        # path -> (settings and file, card digest): the previous build's are reused
        self.cards: dict[str, tuple[Digest, Digest]] = {}
        self._shown = _Digests(lambda e: b"E" + e.path.encode() + b"\0" + entries[e.path])
        self._listed = _Digests(self._card)

    def page(self, route: str, template: str, context: Mapping[str, object]) -> Digest:
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(self.settings + self.templates.digest(template))
        hasher.update(f"{route}\0{template}\0".encode())
        whole = self.templates.whole(template)
        for key in sorted(context):
            hasher.update(key.encode() + b"=")
            digests = self._shown if whole is None or key in whole else self._listed
            digests.feed(hasher, context[key])
        return hasher.digest()

    def _card(self, entry: Entry) -> bytes:
        """What a list shows of `entry`, as a digest: a function of the settings and the file."""
        made_of = self.settings + self._files[entry.path]
        known = self._known.get(entry.path)
        if known is None or known[0] != made_of:
            hasher = hashlib.blake2b(digest_size=16)
            self._shown.fields(hasher, entry, CARD)  # texts, dates, flags: no entry among them
            self._shown.feed(hasher, self._summaries(entry))
            known = (made_of, hasher.digest())
        self.cards[entry.path] = known
        return b"C" + entry.path.encode() + b"\0" + known[1]


# what a page that lists an entry may show of it: every field but the body
CARD = tuple(item.name for item in dataclasses.fields(Entry) if item.name != "body")


class _Digests:
    """The digests of the values pages are given, with `entry` standing for an entry;
    what many pages share is hashed once per build."""

    def __init__(self, entry: Callable[[Entry], bytes]) -> None:
        self._digest_entry = entry
        self._shared: dict[int, Digest] = {}
        self._entries: dict[str, bytes] = {}
        self._tuples: dict[int, tuple[tuple[object, ...], Digest]] = {}
        self._frozen: dict[int, tuple[object, Digest]] = {}
        self._fields: dict[type, tuple[tuple[str, ...], bool]] = {}

    def feed(self, hasher: Hasher, value: object) -> None:
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
                self.fields(hasher, value, names)
        elif isinstance(value, Mapping):
            hasher.update(b"{")
            for key in sorted(value):
                hasher.update(f"{key!r}:".encode())
                self.feed(hasher, value[key])
            hasher.update(b"}")
        else:
            raise TypeError(f"a page is given a {type(value).__name__}, which has no signature")

    def _items(self, hasher: Hasher, value: tuple[object, ...] | list[object]) -> None:
        # lists of entries are most of what pages are given: the common case inline
        update, known = hasher.update, self._entries
        update(b"(")
        for item in value:
            if type(item) is Entry:
                digest = known.get(item.path)
                update(digest if digest is not None else self._entry(item))
            else:
                self.feed(hasher, item)
        update(b")")

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
        """What stands for `entry` in these signatures (`entry` given at creation), once."""
        known = self._entries.get(entry.path)
        if known is None:
            known = self._entries[entry.path] = self._digest_entry(entry)
        return known

    def _text(self, hasher: Hasher, text: str) -> None:
        # length first: no text can pass for two, and no `repr` to make
        hasher.update(b"s%d:" % len(text) + text.encode("utf-8", "surrogatepass"))

    def fields(self, hasher: Hasher, value: object, names: tuple[str, ...]) -> None:
        hasher.update(type(value).__name__.encode() + b"{")
        for name in names:
            hasher.update(name.encode() + b"=")
            self.feed(hasher, getattr(value, name))
        hasher.update(b"}")

    def _frozen_digest(self, value: object, names: tuple[str, ...]) -> Digest:
        """A frozen dataclass's values cannot change: hashed once per build. The object is
        kept, so its `id` is not reused meanwhile."""
        known = self._frozen.get(id(value))
        if known is None:
            hasher = hashlib.blake2b(digest_size=16)
            self.fields(hasher, value, names)
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
                self.feed(hasher, getattr(value, name))
            known = self._shared[id(value)] = hasher.digest()
        return known
