"""Property tests and a bounded fuzzing run of the front-matter loader.

Whatever a content file holds, loading it gives diagnostics or an entry, never another
exception; every message is short; a loaded entry's pages stay inside the output.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import urls
from briefgen.config import Config
from briefgen.frontmatter import split
from briefgen.loader import KEYS, load_entry
from briefgen.printable import UNPRINTABLE
from briefgen.slugs import is_reserved

MESSAGE_LIMIT = 400
# what YAML and Markdown give meaning to, and characters they refuse
SYNTAX = "&*[]{}:-?!|>'\"\n #%@`,.\\~=<\t\x00\x1b\x7f\u2028\ufeffaZ09é🔥"


@contextmanager
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content").mkdir()
        yield root


def check_load(root: Path, text: str) -> None:
    """Load `text` as content/case.md and check what must hold of any result."""
    path = root / "content" / "case.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    config = Config(root=root, timezone="Europe/Paris")
    entry, problems = load_entry(path, config)
    # lines end at CR, LF or CR LF only, though YAML also ends them at NEL, LS and PS
    lines = len(re.findall("\r\n|\r|\n", text)) + 2
    for problem in problems:
        assert len(str(problem)) < MESSAGE_LIMIT, str(problem)
        assert 0 <= problem.line <= lines, str(problem)
        assert "\n" not in str(problem), str(problem)
    if entry is None:
        assert any(p.is_error for p in problems)
        return
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", entry.slug) and not is_reserved(entry.slug)
    texts = [entry.title, entry.summary, entry.body_html, entry.source_name, entry.source_url]
    for text in [*texts, *entry.authors, *entry.topics, *entry.tags, entry.lang]:
        assert not UNPRINTABLE.search(text), text
    output = root / "site"
    page = (output / urls.output_file(urls.article(entry))).resolve()
    assert page.is_relative_to(output.resolve())


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["2023-09-14", "2023-09-14T16:50:56+02:00", "0001-01-01", "9999-12-31T23:59Z"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
keys = st.sampled_from([*KEYS, "source", "unknown", "Title", ""])


def yaml_value(value: object) -> str:
    """A flow-style YAML text of `value` (JSON is YAML), possibly odd but always meant."""
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=8), st.text(max_size=200))
def test_any_mapping_of_values_loads_or_says_why(meta: dict[str, object], body: str) -> None:
    lines = [f"{yaml_value(key)}: {yaml_value(value)}" for key, value in meta.items()]
    with project() as root:
        check_load(root, "---\n" + "\n".join(lines) + "\n---\n" + body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=SYNTAX, max_size=300))
def test_fuzz_yaml_syntax_in_front_matter(front: str) -> None:
    with project() as root:
        check_load(root, "---\n" + front + "\n---\nBody.\n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_any_text_as_a_file(text: str) -> None:
    document, problems = split(text, "a.md")
    assert document is not None or any(p.is_error for p in problems)
    with project() as root:
        check_load(root, text)


anchored = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(min_value=1, max_value=12)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=100, deadline=None)
@given(anchored, st.sampled_from(["draft", "lang", "slug", "story", "title", "topics"]))
def test_aliases_of_any_shape_stay_bounded(plan: list[tuple[str, int]], field: str) -> None:
    """Anchors that repeat earlier ones up to 12 times: small or exponential, never slow."""
    lines = ['a: &a ["lol"]']
    last = "a"
    for index, (name, times) in enumerate(plan):
        anchor = f"{name}{index}"
        lines.append(f"{anchor}: &{anchor} [{', '.join([f'*{last}'] * times)}]")
        last = anchor
    lines.append(f"{field}: *{last}")
    with project() as root:
        check_load(root, "---\n" + "\n".join(lines) + "\n---\n")
