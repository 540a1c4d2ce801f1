"""`build()`: the one pipeline, for `briefgen build` and for `briefgen serve`.

read the files (stamps, hashes) -> parse and validate front matter -> the model
-> render the Markdown bodies -> plan the pages -> render the pages that changed
-> index the article pages for search -> write the bytes that changed -> remove
what is gone (one folder swap).

Each stage takes what the one before gives and leaves what it learnt in the
`Cache`: in memory for the preview, in `.briefgen-cache/` for `briefgen build`.
Once the files are read, a digest of every input (`_inputs`) is compared with
the last whole build's: when they match and every output file is as that
build left it, the build is that build again and stops there (`_again`), the
way `make` skips a target whose prerequisites did not change. `briefgen build`
makes that check before it loads the cache, from the last build's `Glance`
(`_glanced`): a build with nothing to do reads stamps and one small file.
Every problem of the input is collected before anything is written; a failed
or killed build leaves the previous site whole.

A new stage is one line here. A stage that derives from the model (grouping
stories, say) goes between `build_site` and `plan_pages` and gets the cache
for free: pages are re-rendered when what they are given changes
(`deps.Signer` signs whatever the plan puts in a page's context). A stage
that works on the rendered site (the search index) goes after the pages and
the plain files are in the writer's hands and before `finish()`: it reads
the writer's records and adds its files, so they swap in with the pages.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import jinja2

from briefgen import i18n, search, urls
from briefgen.bodies import Damaged, body_key, render_bodies, summary_of
from briefgen.cache import (
    Cache,
    Glance,
    Last,
    Output,
    load_cache,
    load_glance,
    recover,
    save_cache,
    spare_folder,
)
from briefgen.config import CONFIG_FILE, Config
from briefgen.content import content_digests, read_content
from briefgen.coverage_stage import recognizer_for, site_coverage
from briefgen.deps import Signer, Templates, digest_bytes
from briefgen.diagnostics import BriefgenError, Diagnostic, error, has_errors, sort_diagnostics
from briefgen.index import build_site
from briefgen.marker import MARKER
from briefgen.model import Site
from briefgen.output import Writer
from briefgen.pages import Page, plan_pages
from briefgen.plain import PlainFile, assets, clashes, plain_files
from briefgen.render import render_pages, show, template_dirs, theme_environment
from briefgen.sources import Stamp, stamp
from briefgen.story_index import StoryNote
from briefgen.story_stage import read_notes, stories_stage
from briefgen.write import OutputLock, cannot_write

Progress = Callable[[str], Callable[[int, int], None] | None]
Kind = Literal["reload", "css", "none"]
__all__ = ["MARKER", "BuildResult", "PlainFile", "assets", "build", "plain_files"]


@dataclass
class BuildResult:
    output: Path
    entries: int
    pages: int
    files: int
    seconds: float
    warnings: list[Diagnostic] = field(default_factory=list)
    written: tuple[str, ...] = ()  # output files whose bytes changed
    removed: tuple[str, ...] = ()  # output files that are gone
    rendered: int = 0  # pages rendered (the others were unchanged)
    drafts: int = 0  # drafts among the entries (with drafts=True)

    @property
    def kind(self) -> Kind:
        """What a browser showing the site must do: nothing, swap the CSS, or reload.

        A new search index alone reloads nothing: the search page loads it when
        it is next opened or reloaded.
        """
        changed = [p for p in self.written + self.removed if not p.startswith(search.PREFIX)]
        if not changed:
            return "none"
        return "css" if all(path.endswith(".css") for path in changed) else "reload"


def build(
    config: Config,
    *,
    out: Path | None = None,
    drafts: bool = False,
    strict: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
    cache: Cache | None = None,
    indexing: search.Indexing | None = None,
    in_place: bool = False,
) -> BuildResult:
    """Build the whole site into `out` (default: the configured output folder).

    `cache` is what previous builds learnt (the preview keeps one in memory);
    without it the project's `.briefgen-cache/` is read and written.
    `indexing` builds the search index when the article pages changed: at
    once by default, in the background for the preview. An
    existing output folder is replaced whole, so it must be one that briefgen
    built (it holds the `MARKER` file) or be empty, unless `replace`.
    `in_place` writes the changed files into the output one by one instead
    of swapping in a whole new folder: for the preview's private output only
    (`output.Writer` says why).
    """
    started = time.perf_counter()
    output = (out or config.output_path).resolve()
    check_output(output, config, replace=replace)
    indexing = indexing if indexing is not None else search.Synchronous()
    if cache is None:
        with OutputLock(output):
            glance = load_glance(config.root)
            again = None if glance is None else _glanced(config, output, drafts, strict, glance)
        if again is not None:
            again.seconds = time.perf_counter() - started
            return again
    on_disk = cache is None
    cache, notes = load_cache(config.root) if cache is None else (cache, [])
    try:
        with OutputLock(output):
            try:
                result = _pipeline(
                    config, output, cache, drafts, strict, progress, indexing, in_place
                )
            except Damaged:  # the bodies' store: start again from nothing, once
                notes.append(recover(cache))
                result = _pipeline(
                    config, output, cache, drafts, strict, progress, indexing, in_place
                )
    finally:
        if on_disk:
            save_cache(config.root, cache)
    result.warnings = sort_diagnostics(notes + result.warnings)
    result.seconds = time.perf_counter() - started
    return result


def _pipeline(
    config: Config,
    output: Path,
    cache: Cache,
    drafts: bool,
    strict: bool,
    progress: Progress | None,
    indexing: search.Indexing,
    in_place: bool,
) -> BuildResult:
    """The stages, in order: a table of contents."""
    entries, folder, read = read_content(
        config, cache, drafts=drafts, progress=_bar(progress, "Reading entries")
    )
    warnings = folder + read + _no_catalog(config)
    plain, problems = plain_files(config, cache)
    notes = read_notes(config)  # the editors' pages of stories, and their problems
    env = _environment(cache, config)
    templates = Templates(env, dict(cache.templates))
    files = {path: record.digest for path, record in cache.content.items()}
    inputs = _inputs(config, drafts, files, templates, plain, notes[0])
    last = cache.last
    if last is not None and last.inputs == inputs and _intact(output, cache.output, cache.outputs):
        return _again(last, output, len(cache.outputs), warnings + problems, strict)
    cache.last, cache.dirty = None, cache.dirty or last is not None
    site = build_site(
        entries,
        uncategorised=i18n.uncategorised(config.language),
        unknown_source=i18n.unknown_source(config.language),
    )
    digests = _entry_digests(cache, site)
    site, later = stories_stage(
        site,
        config,
        cache.stories,
        notes,
        digests,
        progress=lambda: _bar(progress, "Grouping stories"),
    )
    cache.dirty = cache.dirty or cache.stories.changed
    bodies = render_bodies(
        site.entries,
        unsafe_html=config.unsafe_html,
        summaries=cache.bodies,
        store=cache.store,
        texts={path: record.text for path, record in cache.content.items()},
        progress=_bar(progress, "Rendering bodies"),
    )
    _forget_bodies(cache, site, config)
    coverage = site_coverage(
        site,
        bodies,
        digests,
        config,
        cache.coverage,
        _bar(progress, "Reading the coverage"),
    )
    cache.dirty = cache.dirty or coverage.learnt
    pages = plan_pages(site, config, coverage)
    problems += clashes(plain, {page.output: page.template for page in pages})
    found = warnings + later + problems
    if has_errors(found, strict=strict):
        raise BriefgenError(sort_diagnostics(found))
    show(env, config, bodies, coverage)
    signer = Signer(
        digests,
        _settings(config, drafts),
        templates,
        lambda entry: summary_of(entry, bodies),
        cache.cards,
    )
    writer = Writer(
        output,
        cache.outputs if cache.output == str(output) else {},
        in_place=in_place,
        spare=None if in_place else spare_folder(config.root, output),
    )
    try:
        rendered = _render(pages, writer, signer, env, config, progress)
        for relative, item in sorted(plain.items()):
            _copy(writer, relative, item)
        days = {urls.output_file(urls.article(entry)): entry.date.date() for entry in site.entries}
        indexed = _search(writer, indexing, days, _bar(progress, "Indexing for search"))
        cache.outputs, cache.output = writer.finish(), str(output)
        indexing.begin()
        cache.dirty = cache.dirty or rendered > 0 or bool(writer.written or writer.removed)
        if signer.cards != cache.cards:
            cache.cards, cache.dirty = signer.cards, True
        if templates.known.keys() != cache.templates.keys():
            cache.templates, cache.dirty = templates.known, True
    except OSError as exc:
        raise BriefgenError([cannot_write(exc, output)]) from None
    finally:
        writer.close()
    draft_count = sum(1 for entry in site.entries if entry.draft)
    if indexed:  # a build waiting for its search index is not whole yet: never taken again
        counts = len(site.entries), len(pages), draft_count
        cache.last = Last(inputs, *counts, warnings=tuple(later), read=tuple(read))
        cache.dirty = True
    return BuildResult(
        output=output,
        entries=len(site.entries),
        pages=len(pages),
        files=len(writer.records),
        seconds=0.0,
        warnings=sort_diagnostics(found),
        written=tuple(writer.written),
        removed=tuple(writer.removed),
        rendered=rendered,
        drafts=draft_count,
    )


def _inputs(
    config: Config,
    drafts: bool,
    content: Mapping[str, bytes],
    templates: Templates,
    plain: Mapping[str, PlainFile],
    notes: Mapping[str, StoryNote],
) -> bytes:
    """A digest of everything a build reads: settings and options, every content file (drafts
    too, by the digest of its bytes), the editors' pages of stories, every template, every
    plain file, and the tools whose version changes the output (spaCy when installed,
    Pagefind)."""
    hasher = hashlib.blake2b(_settings(config, drafts), digest_size=16)
    for path, digest in sorted(content.items()):
        hasher.update(f"{path}\0".encode() + digest)
    hasher.update(repr(sorted(notes.items())).encode())
    hasher.update(templates.everything())
    for relative, item in sorted(plain.items()):
        hasher.update(f"{relative}\0{item.origin}\0".encode() + item.digest)
    nlp = recognizer_for(os.environ) is not None
    hasher.update(f"nlp={nlp}\0{search.pagefind_version()}".encode())
    return hasher.digest()


def _environment(cache: Cache, config: Config) -> jinja2.Environment:
    """The theme's environment for `config`: the one the cache keeps while the settings stay.

    Jinja checks each template's source before using its compiled form
    (`auto_reload`), so an edited template is compiled again; a templates
    folder that appears or goes makes a new environment."""
    key = f"{config!r}\0{template_dirs(config)!r}"
    if cache.environment is None or cache.environment[0] != key:
        cache.environment = (key, theme_environment(config))
    env: jinja2.Environment = cache.environment[1]
    return env


def _intact(output: Path, last_output: str, outputs: Mapping[str, Output | Stamp]) -> bool:
    """Every file of the last build's output (`last_output`) is still as it was left."""
    if last_output != str(output) or not outputs:
        return False
    prefix = f"{output}{os.sep}"
    return all(
        stamp(prefix + path) == (record.stamp if isinstance(record, Output) else record)
        for path, record in outputs.items()
    )


def _glanced(
    config: Config, output: Path, drafts: bool, strict: bool, glance: Glance
) -> BuildResult | None:
    """The last whole build again, told from its glance alone (the cache is not loaded);
    None when anything it read or wrote may have changed."""
    found = content_digests(config, glance.content)
    if found is None:
        return None
    digests, folder = found
    plain, problems = plain_files(config, Cache(plain=dict(glance.plain)))
    notes, _problems = read_notes(config)
    templates = Templates(theme_environment(config), dict(glance.templates))
    inputs = _inputs(config, drafts, digests, templates, plain, notes)
    last = glance.last
    if inputs != last.inputs or not _intact(output, glance.output, glance.outputs):
        return None
    warnings = folder + list(last.read) + _no_catalog(config) + problems
    return _again(last, output, len(glance.outputs), warnings, strict)


def _no_catalog(config: Config) -> list[Diagnostic]:
    """The site's language has no UI catalog: said once per build."""
    fallback = i18n.missing_catalog(config.language, CONFIG_FILE)
    return [] if fallback is None else [fallback]


def _again(
    last: Last, output: Path, files: int, found: list[Diagnostic], strict: bool
) -> BuildResult:
    """The last build once more: same inputs, output untouched, so nothing to do."""
    found = found + list(last.warnings)
    if has_errors(found, strict=strict):
        raise BriefgenError(sort_diagnostics(found))
    return BuildResult(
        output=output,
        entries=last.entries,
        pages=last.pages,
        files=files,
        seconds=0.0,
        warnings=sort_diagnostics(found),
        drafts=last.drafts,
    )


def _render(
    pages: list[Page],
    writer: Writer,
    signer: Signer,
    env: jinja2.Environment,
    config: Config,
    progress: Progress | None,
) -> int:
    """Render the pages whose signature moved; hand every page to the writer as it comes."""
    todo: list[tuple[Page, bytes]] = []
    for page in pages:
        signature = signer.page(page.route, page.template, page.context)
        if writer.unchanged(page.output, signature):
            writer.keep(page.output, f"template {page.template}")
        else:
            todo.append((page, signature))
    chosen = [page for page, _signature in todo]
    for (relative, data, origin), (_page, signature) in zip(
        render_pages(chosen, env, config, _bar(progress, "Rendering pages")),
        todo,
        strict=True,
    ):
        writer.put(relative, data, origin, signature)
    return len(todo)


def _search(
    writer: Writer,
    indexing: search.Indexing,
    days: Mapping[str, date],
    progress: Callable[[int, int], None] | None,
) -> bool:
    """The search index of the article pages, once they are all in the writer's hands.

    The index is made in parts (`search.partition`, by the articles' days
    `days`). A part's key is a digest of its pages' digests (the writer's
    records), so while none of its pages changed its files are kept without
    running Pagefind. Otherwise `indexing` gives the part's new index
    (`briefgen build` indexes at once), or None while it is being built in the
    background (the preview), and then the part's previous files stay until
    it is ready. `pagefind/parts.json` names the parts the output holds. True
    when the output holds the index of every part of its pages.
    """
    records = writer.records
    digests = {path: records[path].digest for path in days if path in records}
    parts = search.plan_parts(
        {path: days[path] for path in digests}, digests, search.pagefind_version()
    )
    previous: dict[str, list[str]] = {}  # part -> its files in the previous output
    for path in writer.previous:
        if path.startswith(search.PREFIX) and path != search.MANIFEST:
            previous.setdefault(path[len(search.PREFIX) :].split("/", 1)[0], []).append(path)
    todo: list[search.Part] = []
    held: list[str] = []  # the parts the output holds
    for part in parts:
        if _keep_all(writer, previous.get(part.name, []), part.key.encode()):
            held.append(part.name)
        else:
            todo.append(part)
    # indexed later, a page is read where it is once the build is done (`Indexing.begin`)
    where = (lambda path: writer.output / path) if indexing.deferred else writer.current
    whole = True
    if progress is not None and todo:
        progress(0, len(todo))
    requests = [(part.key, functools.partial(_located, part.pages, where)) for part in todo]
    for number, (part, index) in enumerate(zip(todo, indexing.index_all(requests), strict=True)):
        if progress is not None:
            progress(number + 1, len(todo))
        if index is None:  # its previous files, if still whole, stay until it is ready
            whole = False
            if _keep_all(writer, previous.get(part.name, []), None):
                held.append(part.name)
            continue
        for relative, data in index.files.items():
            inside = relative.removeprefix(search.PREFIX)
            writer.put(
                f"{search.PREFIX}{part.name}/{inside}", data, search.ORIGIN, part.key.encode()
            )
        if index.files:  # none when its pages were all gone before the preview indexed them
            held.append(part.name)
    if held:
        data = search.manifest(held)
        signature = hashlib.sha256(data).digest()
        if writer.unchanged(search.MANIFEST, signature):
            writer.keep(search.MANIFEST, search.ORIGIN)
        else:
            writer.put(search.MANIFEST, data, search.ORIGIN, signature)
    return whole


def _keep_all(writer: Writer, paths: list[str], signature: bytes | None) -> bool:
    """Keep the previous output files `paths` if there are some and each is unchanged, with
    `signature` (None: the one it was written with); whether they were kept."""
    if not paths or not all(
        writer.unchanged(path, writer.previous[path].signature if signature is None else signature)
        for path in paths
    ):
        return False
    for path in paths:
        writer.keep(path, search.ORIGIN)
    return True


def _located(pages: tuple[str, ...], where: Callable[[str], Path]) -> dict[str, Path]:
    return {path: where(path) for path in pages}


def _copy(writer: Writer, relative: str, item: PlainFile) -> None:
    if writer.unchanged(relative, item.digest):
        writer.keep(relative, item.origin)
    else:
        writer.put(relative, item.read(), item.origin, item.digest)


def _forget_bodies(cache: Cache, site: Site, config: Config) -> None:
    """The cache keeps the bodies the site shows and drops the others."""
    shown = {body_key(cache.content[e.path].text, config.unsafe_html) for e in site.entries}
    if cache.bodies.keys() != shown:
        cache.bodies = {key: cache.bodies[key] for key in shown}
        cache.store.prune(shown)
        cache.dirty = True


def _entry_digests(cache: Cache, site: Site) -> Mapping[str, bytes]:
    return {entry.path: cache.content[entry.path].digest for entry in site.entries}


def _settings(config: Config, drafts: bool) -> bytes:
    """Everything every page depends on: the configuration and the build's options."""
    return digest_bytes(f"{config!r}\0drafts={drafts}".encode())


def _bar(progress: Progress | None, label: str) -> Callable[[int, int], None] | None:
    return progress(label) if progress is not None else None


def check_output(output: Path, config: Config, *, replace: bool = False) -> None:
    """Refuse an output folder that holds the project's sources or files briefgen did not write."""
    from_option = output != config.output_path.resolve()

    def refuse(message: str) -> BriefgenError:
        if from_option:
            return BriefgenError([error("--out", 0, message)])
        return BriefgenError([error(CONFIG_FILE, 0, message, field="output_dir")])

    for protected in (config.root, config.content_path, config.templates_path, config.static_path):
        protected = protected.resolve()
        if output == protected or protected.is_relative_to(output):
            raise refuse(
                f"{output} holds the project's {protected.name or protected} "
                "(expected a separate output folder such as site/)"
            )
        if protected != config.root.resolve() and output.is_relative_to(protected):
            raise refuse(
                f"{output} is inside {config.shown(protected)}/ (expected an output "
                "folder outside content, templates and static)"
            )
    if output.exists() and not output.is_dir():
        raise refuse(
            f"{output} is a file, not a folder (expected a folder for the site: "
            "move the file away or choose another output folder)"
        )
    if replace or not output.is_dir() or (output / MARKER).is_file() or not any(output.iterdir()):
        return
    raise refuse(
        f"{output} holds files that briefgen did not write and a build replaces the "
        "whole folder (expected an empty folder or one built by briefgen; --clean "
        "replaces it anyway)"
    )
