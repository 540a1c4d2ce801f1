"""The bodies' HTML lives in `.briefgen-cache/bodies.sqlite`, read only by pages rendered again.

The real CLI builds a project; each test compares the cached build's site
with a clean build's, byte for byte, after damaging or using the store.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.config import load_config
from briefgen.render import theme_dir
from briefgen.serve import Preview
from tests.conftest import run_cli


def entry(title: str, day: str, body: str) -> str:
    return (
        f"---\ntitle: {title}\ndate: {day}\nsource: {{name: AFP, url: 'https://afp.example/{title}'}}"
        f"\ntopics: [Espace]\n---\n{body}\n"
    )


FILES: dict[str, str | bytes] = {
    "briefgen.yaml": 'title: "Desk"\nlanguage: fr\n',
    "content/a.md": entry("Alpha", "2023-09-14", "Le corps *alpha*.\n\nSuite unique."),
    "content/b.md": entry("Beta", "2023-09-13", "Le corps **beta**.\n\nSuite unique."),
    "content/c.md": entry("Gamma", "2023-09-12", "Le corps gamma.\n\nSuite unique."),
}
STORE = ".briefgen-cache/bodies.sqlite"


@pytest.fixture
def project(make_project: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_project(dict(FILES))


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(project: Path) -> str:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stderr


def clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    run_cli("build", "-q", "--out", str(out), cwd=project, env={"XDG_CACHE_HOME": str(tmp_path)})
    return tree(out)


def edit_article_template(project: Path, mark: str) -> None:
    """Every article page must be rendered again, its body read back from the store."""
    template = project / "templates" / "article.html"
    template.parent.mkdir(exist_ok=True)
    text = (theme_dir() / "article.html").read_text(encoding="utf-8")
    template.write_text(text.replace("</article>", f"</article><!-- {mark} -->", 1))


def test_the_cache_holds_no_body_and_lazy_bodies_give_the_same_bytes(
    project: Path, tmp_path: Path
) -> None:
    build(project)
    pickle = (project / ".briefgen-cache" / "build.cache").read_bytes()
    # neither the Markdown nor the HTML of a stored body (the stories keep its words,
    # not its text); its first paragraph is kept
    assert b"Suite unique." not in pickle and b"<em>alpha</em>" not in pickle
    assert b"*alpha*" not in pickle and b"Le corps gamma." in pickle
    with sqlite3.connect(project / STORE) as db:
        stored = [bytes(row[0]) for row in db.execute("SELECT html FROM bodies")]
    assert sorted(stored) == sorted(
        [
            b"<p>Le corps <em>alpha</em>.</p>\n<p>Suite unique.</p>\n",
            b"<p>Le corps <strong>beta</strong>.</p>\n<p>Suite unique.</p>\n",
            b"<p>Le corps gamma.</p>\n<p>Suite unique.</p>\n",
        ]
    )
    edit_article_template(project, "one")
    (project / "content" / "b.md").write_text(entry("Beta", "2023-09-13", "Neuf, unique."))
    assert "cache" not in build(project)
    assert tree(project / "site") == clean_build(project, tmp_path)
    assert "Neuf, unique." in (project / "site/articles/b/index.html").read_text()


def test_a_store_that_is_not_a_database_is_ignored_with_one_warning(
    project: Path, tmp_path: Path
) -> None:
    build(project)
    (project / STORE).write_bytes(b"not a database" * 100)
    edit_article_template(project, "two")
    stderr = build(project)
    warning = (
        ".briefgen-cache/bodies.sqlite: warning: cache ignored: truncated or corrupt; "
        "building from scratch"
    )
    assert stderr.splitlines().count(warning) == 1
    assert "cache" not in build(project)  # the store was made again
    assert tree(project / "site") == clean_build(project, tmp_path)


def test_a_body_changed_in_the_store_never_reaches_the_site(project: Path, tmp_path: Path) -> None:
    build(project)
    with sqlite3.connect(project / STORE) as db:
        db.execute("UPDATE bodies SET html = ?", (b"<script>alert(1)</script>",))
    edit_article_template(project, "three")
    stderr = build(project)
    warning = (
        ".briefgen-cache/bodies.sqlite: warning: cache ignored: truncated, corrupt, or written "
        "by someone else; building from scratch"
    )
    assert stderr.splitlines().count(warning) == 1
    site = tree(project / "site")
    assert site == clean_build(project, tmp_path)
    assert not any(b"alert(1)" in data for data in site.values())


def test_serve_starts_from_the_cache_and_the_site_of_the_last_build(project: Path) -> None:
    build(project)
    preview = Preview(load_config(project), port=0)
    try:
        first = preview.start()
        result = first.outcome.result
        assert result is not None, first.outcome.errors
        assert result.rendered == 0 and result.written == ()
        assert tree(preview.output) == tree(project / "site")
        (project / "content" / "a.md").write_text(entry("Alpha", "2023-09-14", "Vu en direct."))
        again = preview._rebuild({project / "content" / "a.md"}).outcome.result
        assert again is not None and "articles/a/index.html" in again.written
        assert "Vu en direct." in (preview.output / "articles/a/index.html").read_text()
    finally:
        preview.close()
    assert "Vu en direct." not in (project / "site/articles/a/index.html").read_text()
