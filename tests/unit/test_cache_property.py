"""Property: after any sequence of edits, a build with the cache writes what a clean build writes.

A hypothesis state machine edits a small project (entries added, edited in
body or front matter, renamed, deleted; templates, one a list that shows
bodies or not, and a static file added, edited, deleted; the configuration
edited) and after each step builds it
twice: with the project's on-disk cache into `site/`, and from nothing into
another folder. The two outputs must be the same bytes, and fail the same way.
The search index is cut in parts of two articles, so that edits add, change
and remove parts.
Edits come faster than the file system's clock ticks, so stamps alone would
not see them: the cache must notice anyway.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from briefgen import search
from briefgen.build import build
from briefgen.cache import Cache
from briefgen.config import read_config
from briefgen.diagnostics import BriefgenError

WORDS = st.sampled_from(["Kim", "Poutine", "Espace", "Défense", "C++", "été", "<b>x</b>", ""])
DAYS = st.sampled_from(["2023-09-14", "2023-09-13T10:00:00+02:00", "2023-08-30", "2022-12-01"])
TEMPLATES = [
    "{% extends 'base.html' %}{% block main %}<p>404 {{ config.title }}</p>{% endblock %}\n",
    "{% extends 'base.html' %}{% block main %}<p>lost</p>{% endblock %}\n",
]
# a day's page that shows its articles' bodies, or their titles only
DAY = "{% extends 'base.html' %}{% block main %}{% for entry in day.entries %}"
DAY_TEMPLATES = [
    DAY + "{{ body(entry).html }}{% endfor %}{% endblock %}\n",
    DAY + "<p>{{ entry.title }}</p>{% endfor %}{% endblock %}\n",
]


def entry(title: str, day: str, topic: str, body: str) -> str:
    topics = f"[{topic!r}]" if topic else "[]"
    return (
        f"---\ntitle: {title!r}\ndate: {day}\nsource: {{name: AFP, url: 'https://a.example/x'}}\n"
        f"topics: {topics}\n---\n{body}\n"
    )


def tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class Edits(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="briefgen-prop-"))
        self.previous_key_home = os.environ.get("XDG_CACHE_HOME")
        self.part_limit, search.PART_LIMIT = search.PART_LIMIT, 2  # the index in parts too
        os.environ["XDG_CACHE_HOME"] = str(self.tmp / "home")
        self.project = self.tmp / "project"
        (self.project / "content").mkdir(parents=True)
        (self.project / "briefgen.yaml").write_text('title: "Desk"\nlanguage: fr\n')
        self.names: list[str] = []
        self.counter = 0

    def teardown(self) -> None:
        search.PART_LIMIT = self.part_limit
        if self.previous_key_home is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = self.previous_key_home
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _path(self, name: str) -> Path:
        return self.project / "content" / f"{name}.md"

    @rule(title=WORDS, day=DAYS, topic=WORDS, body=WORDS)
    def add_entry(self, title: str, day: str, topic: str, body: str) -> None:
        self.counter += 1
        name = f"e{self.counter}"
        self._path(name).write_text(entry(title or name, day, topic, body or "Text."))
        self.names.append(name)

    @precondition(lambda self: self.names)
    @rule(data=st.data(), lead=st.sampled_from(["", "Kim."]), body=WORDS)
    def edit_body(self, data: st.DataObject, lead: str, body: str) -> None:
        """The first paragraph (which lists show when there is no summary) or the second."""
        path = self._path(data.draw(st.sampled_from(self.names)))
        head, _, _rest = path.read_text().rpartition("---\n")
        path.write_text(f"{head}---\n{lead}\n\n{body} paragraph.\n")

    @precondition(lambda self: self.names)
    @rule(data=st.data(), title=WORDS, day=DAYS, topic=WORDS)
    def edit_front_matter(self, data: st.DataObject, title: str, day: str, topic: str) -> None:
        path = self._path(data.draw(st.sampled_from(self.names)))
        body = path.read_text().rpartition("---\n")[2]
        path.write_text(entry(title or "T", day, topic, body.strip() or "Text."))

    @precondition(lambda self: self.names)
    @rule(data=st.data())
    def rename_entry(self, data: st.DataObject) -> None:
        old = data.draw(st.sampled_from(self.names))
        self.counter += 1
        new = f"e{self.counter}"
        self._path(old).rename(self._path(new))
        self.names[self.names.index(old)] = new

    @precondition(lambda self: self.names)
    @rule(data=st.data())
    def delete_entry(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(self.names))
        self._path(name).unlink()
        self.names.remove(name)

    @rule(text=st.sampled_from([*TEMPLATES, None]))
    def template(self, text: str | None) -> None:
        self._template("404.html", text)

    @rule(text=st.sampled_from([*DAY_TEMPLATES, None]))
    def day_template(self, text: str | None) -> None:
        self._template("day.html", text)

    def _template(self, name: str, text: str | None) -> None:
        path = self.project / "templates" / name
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)

    @rule(text=st.sampled_from(["a", "b", "body { color: red }", None]))
    def static_file(self, text: str | None) -> None:
        path = self.project / "static" / "css" / "extra.css"
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    @rule(title=st.sampled_from(["Desk", "Revue"]), paginate=st.sampled_from([1, 2, 50]))
    def edit_config(self, title: str, paginate: int) -> None:
        (self.project / "briefgen.yaml").write_text(
            f'title: "{title}"\nlanguage: fr\npaginate: {paginate}\n'
        )

    @invariant()
    def cached_build_is_a_clean_build(self) -> None:
        config, problems = read_config(self.project)
        assert config is not None and not any(d.is_error for d in problems)
        clean = self.tmp / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        outcomes = []
        for out, cache in ((self.project / "site", None), (clean, Cache())):
            try:
                build(config, out=out, cache=cache)
                outcomes.append(None)
            except BriefgenError as exc:
                outcomes.append([str(d) for d in exc.diagnostics])
        assert outcomes[0] == outcomes[1]
        if outcomes[0] is None:
            assert tree(self.project / "site") == tree(clean)


Edits.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCachedBuilds = Edits.TestCase
