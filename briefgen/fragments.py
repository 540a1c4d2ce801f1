"""`{% cache key, … %}…{% endcache %}`: a piece of a template rendered once per build.

An article appears on its day, month, topic, outlet, tag and story pages and
in the lists of other articles: the theme's `entry_item` draws the same card
a dozen times per build. Like Hugo's `partialCached`, a fragment wrapped in
`{% cache %}` is rendered the first time its key is met and reused after
that, within one build. The key must name everything the fragment reads
apart from what is the same for the whole build (the configuration, the
globals, the bodies and the coverage): for an entry's card, the entry's path
and the macro's arguments. Macros imported without context see no page
variable, which is what makes them safe to cache.

The fragments live in a dict the build empties before rendering
(`forget`), in each process that renders.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

# at most this many fragments are kept: an entry's card is about 1.5 KB, so some 30 MB
LIMIT = 20_000


class FragmentCache(Extension):
    """The `{% cache %}` tag."""

    tags = {"cache"}  # noqa: RUF012 (Jinja reads it on the class)

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[Hashable, Markup | str] = {}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        if parser.stream.current.test("block_end"):
            parser.fail("the cache tag needs a key: {% cache 'card', entry.path %}", lineno)
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Any, ...], caller: Callable[[], Markup | str]) -> Markup | str:
        try:
            return self.fragments[key]
        except KeyError:
            pass
        except TypeError:  # a key that cannot be hashed: rendered each time, as without cache
            return caller()
        made = caller()
        if len(self.fragments) < LIMIT:
            self.fragments[key] = made
        return made


def forget(env: jinja2.Environment) -> None:
    """Empty the fragments of `env`: called before each build renders."""
    for extension in env.extensions.values():
        if isinstance(extension, FragmentCache):
            extension.fragments.clear()
