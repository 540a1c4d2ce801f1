"""Rebuild only what changed: the engine behind `briefgen serve`.

`initial()` builds everything into an output folder and returns a `State`;
`rebuild(state, changed)` takes the paths that changed on disk and returns the
next state with the outputs it wrote and removed. Nothing here watches files,
serves HTTP or prints: it is pure apart from reading the project and writing
the output folder, so it can be tested on its own.

What is redone for a change:

- a content file: only that file is read again (any other whose size or
  modification time moved too, so a missed event costs nothing); the model
  and the plan of pages are rebuilt (cheap) and a page is rendered again when
  it is new, its template changed, it shows a changed file (`Page.sources`)
  or its context is not equal to the one it was last rendered with (a list
  whose entries changed, a day whose neighbours changed);
- a template: every page; a file of `templates/assets/` or `static/`: those
  files are copied (a CSS-only change is reported as `css`);
- `briefgen.yaml`: everything, read again with the new settings.

A build with errors writes nothing and keeps what it learnt; the next rebuild
starts from there, so the site comes back whole once the files are fixed.
Outputs are written only when their bytes change (`write_file`, atomic) and
removed when their route disappears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import jinja2

from briefgen.build import plain_files
from briefgen.config import CONFIG_FILE, Config, read_config
from briefgen.diagnostics import BriefgenError, Diagnostic, error, sort_diagnostics
from briefgen.index import build_site
from briefgen.loader import content_files, duplicate_slugs, load_entry
from briefgen.markdown import make_parser
from briefgen.model import Entry
from briefgen.pages import Page, plan_pages
from briefgen.parallel import ordered_map
from briefgen.render import make_environment, render_pages
from briefgen.story_stage import StoryCache, stories_stage
from briefgen.write import write_file

Kind = Literal["reload", "css", "none", "failed"]
# (size, modification time in ns) of a content file when it was read
Stamp = tuple[int, int]


@dataclass(frozen=True)
class Rendered:
    """What an output page was last rendered from; `template == ""` means stale."""

    template: str
    context: Mapping[str, Any]
    sources: frozenset[str]
    digest: bytes


STALE = Rendered("", {}, frozenset(), b"")


@dataclass(frozen=True)
class Loaded:
    """One content file as last read."""

    stamp: Stamp
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class State:
    """What is on disk in `output` and what it was made from."""

    config: Config
    output: Path
    drafts: bool = False
    files: Mapping[Path, Loaded] = field(default_factory=dict)
    pages: Mapping[str, Rendered] = field(default_factory=dict)
    plain: Mapping[str, bytes] = field(default_factory=dict)  # copied files -> digest
    # changes not yet rendered (kept across failed rebuilds)
    pending: frozenset[str] = frozenset()
    all_pages: bool = True  # every page must be rendered (first build, templates changed)
    all_plain: bool = True  # every copied file must be checked
    reconfigure: bool = False  # briefgen.yaml must be read again
    env: jinja2.Environment | None = None
    stories: StoryCache = field(default_factory=StoryCache)  # grows as entries are grouped


@dataclass(frozen=True)
class Outcome:
    state: State
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # every error, and the warnings of files read
    rendered: int = 0  # pages rendered (written or found unchanged)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def kind(self) -> Kind:
        if self.errors:
            return "failed"
        changed = self.written + self.removed
        if not changed:
            return "none"
        if all(path.endswith(".css") for path in changed):
            return "css"
        return "reload"


def initial(config: Config, output: Path, *, drafts: bool = False) -> Outcome:
    """Build everything into `output` (which may hold a previous build)."""
    return rebuild(State(config=config, output=output.resolve(), drafts=drafts), ())


def rebuild(state: State, changed: Iterable[Path]) -> Outcome:
    """Bring `state.output` up to date with the project after `changed` paths moved."""
    state = _classify(state, [Path(p).absolute() for p in changed])
    if state.reconfigure:
        config, problems = read_config(state.config.root)
        if config is None or any(d.is_error for d in problems):
            return Outcome(state, diagnostics=tuple(sort_diagnostics(problems)))
        state = replace(
            state,
            config=config,
            files={},
            all_pages=True,
            all_plain=True,
            reconfigure=False,
            env=None,
        )
    state, read = _read_content(state)
    entries = [
        loaded.entry
        for loaded in state.files.values()  # in the order of `content_files`
        if loaded.entry is not None and (state.drafts or not loaded.entry.draft)
    ]
    problems = [
        d
        for loaded in state.files.values()
        for d in loaded.diagnostics
        if d.is_error or d.path in read
    ]
    problems += duplicate_slugs(entries)
    if any(d.is_error for d in problems):
        return Outcome(state, diagnostics=tuple(sort_diagnostics(problems)))
    config = state.config
    site = build_site(entries, language=config.language)
    site, story_problems = stories_stage(site, config, state.stories)
    problems += story_problems
    if any(d.is_error for d in problems):
        return Outcome(state, diagnostics=tuple(sort_diagnostics(problems)))
    pages = plan_pages(site, config)
    outputs = [page.output for page in pages]
    plain, sources, clash = _plain_files(config, state.all_plain, state.plain, pages, outputs)
    if clash:
        return Outcome(state, diagnostics=tuple(sort_diagnostics(problems + clash)))
    env = state.env or make_environment(config)
    state = replace(state, env=env)
    state, written, rendered, failure = _render(state, pages, outputs, env)
    if failure:
        return Outcome(
            state, tuple(written), diagnostics=tuple(sort_diagnostics(problems + failure))
        )
    state, copied, removed = _finish(state, set(outputs), plain, sources)
    return Outcome(
        state, tuple(written + copied), tuple(removed), tuple(sort_diagnostics(problems)), rendered
    )


def _classify(state: State, changed: list[Path]) -> State:
    config = state.config
    content, templates = config.content_path.absolute(), config.templates_path.absolute()
    assets, static = templates / "assets", config.static_path.absolute()
    pending, all_pages, all_plain = set(state.pending), state.all_pages, state.all_plain
    reconfigure = state.reconfigure
    for path in changed:
        if path == config.root.absolute() / CONFIG_FILE:
            reconfigure = True
        elif path.is_relative_to(content):
            pending.add(config.shown(path))
        elif path.is_relative_to(assets) or path.is_relative_to(static):
            all_plain = True
        elif path.is_relative_to(templates):  # a template, or a folder that holds assets
            all_pages = True
            all_plain = all_plain or assets.is_relative_to(path)
    return replace(
        state,
        pending=frozenset(pending),
        all_pages=all_pages,
        all_plain=all_plain,
        reconfigure=reconfigure,
        env=None if all_pages else state.env,
    )


def _read_content(state: State) -> tuple[State, set[str]]:
    """Read again the content files that changed; drop those that are gone."""
    config = state.config
    if state.files and not state.pending:
        return state, set()
    md = make_parser(unsafe_html=config.unsafe_html)
    edited = [config.root / shown for shown in state.pending]
    if state.files and all(path in state.files and path.is_file() for path in edited):
        # only known files were edited: no need to walk the whole content folder
        files: dict[Path, Loaded] = dict(state.files)
        for path in edited:
            entry, problems = load_entry(path, config, md)
            files[path] = Loaded(_stamp(path), entry, tuple(problems))
        return replace(state, files=files), set(state.pending)
    files = {}
    stale: list[tuple[Path, Stamp]] = []
    for path in content_files(config.content_path):
        stamp = _stamp(path)
        old = state.files.get(path)
        if old is None or old.stamp != stamp or config.shown(path) in state.pending:
            stale.append((path, stamp))
        else:
            files[path] = old
    # the first build reads every file: on every core when nothing else is running
    loaded = ordered_map(lambda item: load_entry(item[0], config, md), stale)
    for (path, stamp), (entry, problems) in zip(stale, loaded, strict=True):
        files[path] = Loaded(stamp, entry, tuple(problems))
    files = dict(sorted(files.items()))  # in the order of `content_files`
    read = {config.shown(path) for path, _stamp in stale}
    gone = {config.shown(p) for p in state.files.keys() - files.keys()}
    return replace(state, files=files, pending=state.pending | read | gone), read


def _stamp(path: Path) -> Stamp:
    try:
        info = path.stat()
    except OSError:  # gone meanwhile: read again next time
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def _render(
    state: State, pages: list[Page], outputs: list[str], env: jinja2.Environment
) -> tuple[State, list[str], int, list[Diagnostic]]:
    """Render the pages that may have changed; write those whose bytes did."""
    records = dict(state.pages)
    todo: list[Page] = []
    seen: dict[str, Page] = {}
    for page, output in zip(pages, outputs, strict=True):
        first = seen.setdefault(output, page)
        if first is not page:
            twice = f"the output file {output} is written twice: by {first.template} and by"
            problem = error(page.template, 0, f"{twice} {page.template}", code="duplicate-output")
            return state, [], 0, [problem]
        old = records.get(output)
        if (
            state.all_pages
            or old is None
            or old.template != page.template
            or not page.sources.isdisjoint(state.pending)
            or old.context != page.context
        ):
            todo.append(page)
            records[output] = STALE
    written: list[str] = []
    failure: list[Diagnostic] = []
    try:
        for (output, data, _origin), page in zip(
            render_pages(todo, env, state.config), todo, strict=False
        ):
            digest = hashlib.blake2b(data, digest_size=16).digest()
            old = state.pages.get(output)
            target = state.output / output
            if old is None or old.digest != digest or not target.exists():
                write_file(target, data)
                written.append(output)
            records[output] = Rendered(page.template, page.context, page.sources, digest)
    except BriefgenError as exc:
        # what was written is recorded; the rest stays stale for the next rebuild
        failure = exc.diagnostics
        return replace(state, pages=records), written, len(todo), failure
    state = replace(state, pages=records, all_pages=False, pending=frozenset())
    return state, written, len(todo), failure


def _plain_files(
    config: Config, check: bool, known: Mapping[str, bytes], pages: list[Page], paths: list[str]
) -> tuple[dict[str, bytes], dict[str, Path | bytes], list[Diagnostic]]:
    """The files copied as they are (`build.plain_files`): their digests and contents."""
    if not check:
        return dict(known), {}, []
    files, clash = plain_files(
        config, {path: page.template for page, path in zip(pages, paths, strict=True)}
    )
    digests: dict[str, bytes] = {}
    sources: dict[str, Path | bytes] = {}
    for relative, item in files.items():
        try:
            data = item.read()
        except OSError:  # removed while we looked
            continue
        sources[relative] = data
        digests[relative] = hashlib.blake2b(data, digest_size=16).digest()
    return digests, sources, clash


def _finish(
    state: State, routes: set[str], plain: dict[str, bytes], sources: Mapping[str, Path | bytes]
) -> tuple[State, list[str], list[str]]:
    """Copy the plain files that changed; remove the outputs that are gone."""
    copied: list[str] = []
    for relative, digest in sorted(plain.items()):
        target = state.output / relative
        data = sources.get(relative)
        if data is not None and (state.plain.get(relative) != digest or not target.exists()):
            write_file(target, data if isinstance(data, bytes) else data.read_bytes())
            copied.append(relative)
    records = {output: rendered for output, rendered in state.pages.items() if output in routes}
    gone = sorted((state.pages.keys() - routes) | (state.plain.keys() - plain.keys()))
    for relative in gone:
        _remove(state.output, relative)
    return replace(state, pages=records, plain=plain, all_plain=False), copied, gone


def _remove(root: Path, relative: str) -> None:
    """Delete an output file and the folders it leaves empty."""
    target = root / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent
