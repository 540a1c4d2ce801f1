"""Split the `---` fence and safe-load YAML, keeping file line numbers.

YAML is always safe-loaded (the C loader when PyYAML has it). Errors and the
keys of the top-level mapping carry lines of the *file*, not of the YAML
block: the front-matter offset is added to YAML's marks.

A file's lines end at CR, LF or CR LF, as editors count them; YAML 1.1 also
ends a line at NEL, LS and PS (U+0085, U+2028, U+2029), so its marks are
mapped back to file lines (`YamlLines`).

Aliases are bounded: before any value is built, the composed nodes are
counted as if every alias were expanded (without expanding them), and a
document that would hold more than `MAX_VALUES` values, or that refers to
itself, is refused. A 447-byte "billion laughs" is one error line, not gigabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefgen.diagnostics import Diagnostic, clip, error

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class SafeLoader(_BaseLoader):
    """The safe loader (C when available), with dates kept as text.

    PyYAML would turn `2023-13-01` into a crash and `2023-09-14 16:50` into a
    naive datetime; the entry's `date` converter parses the text itself and
    says what is wrong with it.
    """


class DeepSafeLoader(yaml.SafeLoader):
    """The pure-Python safe loader, for text that may nest deeply.

    libyaml composes nested collections by recursion in C, and tens of thousands of `[`
    overflow the C stack (a crash, not an exception); Python's composer stops with a
    `RecursionError` instead.
    """


def _timestamp_as_text(loader: Any, node: yaml.Node) -> str:
    return str(node.value)


def _int_or_text(loader: Any, node: yaml.ScalarNode) -> int | str:
    """An integer; one longer than `MAX_DIGITS` stays text (Python refuses to convert it)."""
    if len(str(node.value)) > MAX_DIGITS:
        return str(node.value)
    number: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    return number


MAX_DIGITS = 100
for _loader_class in (SafeLoader, DeepSafeLoader):
    _loader_class.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    _loader_class.add_constructor("tag:yaml.org,2002:int", _int_or_text)
NESTING_MARKS = 1000  # more `[`, `{`, `-` and `?` than this: the Python loader is used


def _loader(text: str) -> SafeLoader | DeepSafeLoader:
    """The C loader, unless the text has enough marks of nesting to overflow its stack."""
    marks = sum(text.count(mark) for mark in "[{-?")
    return DeepSafeLoader(text) if marks > NESTING_MARKS else SafeLoader(text)


FENCE = "---"
FILE_BREAKS = re.compile("\r\n|\r|\n")  # where a file's line ends, as editors count
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # where YAML 1.1 ends one


class YamlLines:
    """YAML's line numbers (0-based, counting NEL, LS and PS as line ends) -> the lines of
    `text` as a file has them (0-based)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        if any(mark in text for mark in "\x85\u2028\u2029"):
            self._starts = [0] + [found.end() for found in YAML_BREAKS.finditer(text)]

    def __call__(self, line: int) -> int:
        starts = self._starts
        if starts is None:
            return line
        end = starts[min(line, len(starts) - 1)]
        return len(FILE_BREAKS.findall(self._text, 0, end))


MAX_VALUES = 100_000  # values in one document once aliases are expanded


def expanded_size(root: yaml.Node, limit: int = MAX_VALUES) -> int | None:
    """How many nodes `root` holds once every alias is expanded, counted without expanding.

    Aliases make the node graph a DAG whose expansion can be exponential in its size; each
    node is counted once, with its children's counts summed. Returns None for a node that
    contains itself; stops counting past `limit` (the result is then over the limit).
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in _children(node)))
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return None
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


@dataclass
class YamlMapping:
    """A top-level YAML mapping with the file line of each key and value."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    # for nested mappings: "source.url" -> line
    nested_lines: dict[str, int] = field(default_factory=dict)

    def line(self, key: str) -> int:
        return self.nested_lines.get(key) or self.key_lines.get(key.split(".")[0], 0)


@dataclass
class Document:
    """A content file split into its front matter and its body."""

    meta: YamlMapping
    body: str
    body_line: int  # file line where the body starts (1-based)


def load_mapping(
    text: str, path: str, *, first_line: int = 1
) -> tuple[YamlMapping | None, list[Diagnostic]]:
    """Safe-load `text` as a mapping; `first_line` is the file line of its first line."""
    loader = _loader(text)
    lines = YamlLines(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping(), []
        if not isinstance(node, yaml.MappingNode):
            line = lines(node.start_mark.line) + first_line
            return None, [
                error(path, line, "expected a mapping of `key: value` lines", code="yaml")
            ]
        size = expanded_size(node) if "*" in text else 0  # no alias, no expansion
        if size is None or size > MAX_VALUES:
            problem = (
                "an alias refers to the value that contains it"
                if size is None
                else f"aliases expand to more than {MAX_VALUES:,} values"
            )
            message = f"invalid YAML: {problem} (expected plain values; `*name` aliases sparingly)"
            return None, [
                error(path, lines(node.start_mark.line) + first_line, message, code="yaml")
            ]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, path, first_line, lines, len(text))]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = len(FILE_BREAKS.findall(text, 0, exc.position)) + first_line
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or " ")
        message = f"invalid YAML: {clip(exc.reason)} (U+{code:04X} on this line)"
        return None, [error(path, line, message, code="yaml")]
    except yaml.YAMLError as exc:
        return None, [error(path, first_line, f"invalid YAML: {clip(str(exc))}", code="yaml")]
    except RecursionError:
        message = "invalid YAML: values nested too deeply (expected a few levels of lists)"
        return None, [error(path, first_line, message, code="yaml")]
    except (ValueError, TypeError) as exc:
        message = f"invalid YAML value: {clip(str(exc))}"
        return None, [error(path, first_line, message, code="yaml")]
    finally:
        loader.dispose()
    mapping = YamlMapping(data=data if isinstance(data, dict) else {})
    problems: list[Diagnostic] = []
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = lines(key_node.start_mark.line) + first_line
        _record(mapping.key_lines, key, line, path, problems)
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, _sub_value in value_node.value:
                dotted = f"{key}.{sub_key.value}"
                _record(
                    mapping.nested_lines,
                    dotted,
                    lines(sub_key.start_mark.line) + first_line,
                    path,
                    problems,
                )
    return mapping, problems


def _record(
    lines: dict[str, int], key: str, line: int, path: str, problems: list[Diagnostic]
) -> None:
    """Note the line of a key; a key given twice is an error (YAML would keep the last)."""
    first = lines.setdefault(key, line)
    if first != line:
        problems.append(
            error(
                path,
                line,
                f"duplicate key (first given on line {first}; expected each key once)",
                field=key,
                code="duplicate-key",
            )
        )


def _yaml_error(
    exc: yaml.MarkedYAMLError, path: str, first_line: int, lines: YamlLines, length: int
) -> Diagnostic:
    """PyYAML's problem where it is; a construct left open at the end, where it starts."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if exc.context and exc.context_mark is not None:
        start = lines(exc.context_mark.line) + first_line
        if mark is not None and mark.index >= length:
            mark = exc.context_mark  # the end is always the closing fence: point at the start
        where = "" if mark is exc.context_mark else f" that starts on line {start}"
        problem = f"{problem} ({exc.context}{where})"
    line = lines(mark.line) + first_line if mark else first_line
    col = mark.column + 1 if mark else 0
    return error(path, line, f"invalid YAML: {clip(problem)}", code="yaml", col=col)


def _file_lines(text: str) -> list[str]:
    """`text.splitlines(keepends=True)`, but a line ends at CR, LF or CR LF only, not at
    NEL, LS, PS, form feed... which `str.splitlines` also takes for line ends."""
    lines, start = [], 0
    for found in FILE_BREAKS.finditer(text):
        lines.append(text[start : found.end()])
        start = found.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def split(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Split a Markdown file into front matter and body.

    A file must open with a `---` line; the front matter ends at the next
    `---` (or `...`) line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _file_lines(text)
    if not lines or lines[0].rstrip() != FENCE:
        return None, [
            error(path, 1, "expected front matter opening with a `---` line", code="frontmatter")
        ]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        return None, [
            error(
                path,
                len(lines),
                "front matter is not closed (expected a `---` line after it)",
                code="frontmatter",
            )
        ]
    yaml_text = "".join(lines[1:index])
    meta, diagnostics = load_mapping(yaml_text, path, first_line=2)
    if meta is None:
        return None, diagnostics
    body = "".join(lines[index + 1 :])
    return Document(meta=meta, body=body, body_line=index + 2), diagnostics
