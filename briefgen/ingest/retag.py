"""`briefgen retag`: the current topic, tag and outlet rules of briefgen.yaml applied to
the entries already in content/ (rules added after an import reach old entries)."""

from __future__ import annotations

from briefgen.config import Config
from briefgen.diagnostics import error
from briefgen.ingest.entry import render_entry
from briefgen.ingest.importer import ImportReport, Input, report_row, rules_for
from briefgen.ingest.refresh import article_values, digest, retag
from briefgen.ingest.store import read_entry, replace_file


def retag_entries(config: Config, *, dry_run: bool = False) -> ImportReport:
    """`briefgen retag`: the current topic, tag and outlet rules applied to every entry
    of content/ (new matches added, nothing the entry has removed)."""
    report = ImportReport()
    rules = rules_for(config)
    root = config.content_path
    paths = sorted(root.rglob("*.md")) if root.is_dir() else []
    for path in paths:
        relative = path.relative_to(config.root).as_posix()
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        found = read_entry(path, config)
        if found is None:
            continue  # `briefgen build` reports what is wrong with it
        old_text, old, extra = found
        new = retag(old, rules)
        if new == old:
            continue
        record = dict(extra.record)
        before, after = article_values(old), article_values(new)
        for name in ("topics", "tags", "source.name"):  # still as imported: follow the rules
            if record.get(name) == digest(before[name]):
                record[name] = digest(after[name])
        line = "# imported:" + "".join(f" {k}={v}" for k, v in record.items()) if record else ""
        text = render_entry(new, story=extra.story, draft=extra.draft, slug=extra.slug, record=line)
        if text == old_text:
            continue
        if not dry_run:
            try:
                replace_file(path, text)
            except OSError as exc:
                message = f"cannot write: {exc.strerror or exc}"
                report.diagnostics.append(error(relative, 0, message, code="retag"))
                continue
        report.texts[relative] = text
        report.rows.append(report_row(Input(relative), new, "retagged", relative))
    return report
