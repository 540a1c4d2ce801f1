"""`briefgen deploy` against a local bare repository standing for GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Test Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
}
SITE = {
    "index.html": "<!DOCTYPE html><title>Briefing</title>\n",
    "articles/cooperation-militaire/index.html": "<!DOCTYPE html><title>A</title>\n",
    "assets/style.css": "body { margin: 0 }\n",
    "404.html": "<!DOCTYPE html><title>404</title>\n",
    ".nojekyll": "",
    "CNAME": "briefing.example.org\n",
}


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**clean, **IDENTITY, "PYTHONPATH": str(REPO)}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env(), capture_output=True, text=True, check=True
    ).stdout


def briefgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_site(site: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A briefing project under git, with a bare `origin`, a built site, and work in progress."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "--quiet", "-b", "main")
    (root / "briefgen.yaml").write_text('title: "Briefing"\n', encoding="utf-8")
    (root / ".gitignore").write_text("/site/\n", encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "a.md").write_text("---\ntitle: A\n---\nv1\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "Start")
    git(root, "remote", "add", "origin", str(remote))
    # Work in progress that deploy must not touch: one staged, one unstaged change.
    (root / "content" / "a.md").write_text("---\ntitle: A\n---\nv2\n", encoding="utf-8")
    (root / "content" / "b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    git(root, "add", "content/b.md")
    (root / "content" / "b.md").write_text("---\ntitle: B\n---\nedited\n", encoding="utf-8")
    write_site(root / "site", SITE)
    return root


def user_state(root: Path) -> tuple[str, ...]:
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "symbolic-ref", "HEAD"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        git(root, "ls-files", "--stage"),
        git(root, "diff", "--cached"),
        git(root, "diff"),
        git(root, "for-each-ref", "refs/heads"),
    )


def remote_files(root: Path, ref: str) -> dict[str, str]:
    remote = root.parent / "remote.git"
    names = git(remote, "ls-tree", "-r", "-z", "--name-only", ref).split("\0")
    return {name: show(remote, f"{ref}:{name}") for name in names if name}


def show(cwd: Path, spec: str) -> str:
    """A file of a commit as text; a binary one (the search index is gzipped) with U+FFFD."""
    done = subprocess.run(
        ["git", "show", spec], cwd=cwd, env=env(), capture_output=True, check=True
    )
    return done.stdout.decode("utf-8", "replace")


def commits(root: Path, ref: str = "gh-pages") -> list[list[str]]:
    """[commit, parents…] of each commit on the remote branch, newest first."""
    log = git(root.parent / "remote.git", "rev-list", "--parents", ref)
    return [line.split() for line in log.splitlines()]


def test_deploy_publishes_exactly_the_site_and_leaves_the_checkout_alone(project: Path) -> None:
    before = user_state(project)
    done = briefgen(project, "deploy")
    assert done.returncode == 0, done.stderr
    assert remote_files(project, "gh-pages") == SITE
    [[first]] = commits(project)
    assert done.stderr == f"Deployed 6 files to origin gh-pages: commit {first[:12]} (new branch)\n"
    head = git(project, "rev-parse", "--short", "HEAD").strip()
    message = git(project.parent / "remote.git", "log", "-1", "--format=%B", "gh-pages")
    assert message == f"Deploy the briefing from main@{head}\n\nDeployed-by: briefgen\n\n"
    assert user_state(project) == before

    # A second deploy: one more commit on top of the first, with the new site only.
    (project / "site" / "assets" / "style.css").unlink()
    write_site(project / "site", {"index.html": "<!DOCTYPE html><title>Updated</title>\n"})
    done = briefgen(project, "deploy", "--message", "Second edition")
    assert done.returncode == 0, done.stderr
    [[second, parent], [first_again]] = commits(project)
    assert (parent, first_again) == (first, first)
    expected = {k: v for k, v in SITE.items() if k != "assets/style.css"}
    expected["index.html"] = "<!DOCTYPE html><title>Updated</title>\n"
    assert remote_files(project, "gh-pages") == expected
    assert remote_files(project, first) == SITE
    assert git(project.parent / "remote.git", "log", "-1", "--format=%B", "gh-pages") == (
        "Second edition\n\nDeployed-by: briefgen\n\n"
    )
    assert done.stderr == (
        f"Deployed 5 files to origin gh-pages: commit {second[:12]} on top of {first[:12]}\n"
    )
    assert user_state(project) == before
    # The source branch on the remote was never pushed.
    assert git(project.parent / "remote.git", "for-each-ref", "--format=%(refname)") == (
        "refs/heads/gh-pages\n"
    )


def test_deploy_to_another_branch_and_remote(project: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.git"
    git(tmp_path, "init", "--quiet", "--bare", str(mirror))
    git(project, "remote", "add", "mirror", str(mirror))
    done = briefgen(project, "deploy", "--remote", "mirror", "--branch", "pages")
    assert done.returncode == 0, done.stderr
    assert git(mirror, "for-each-ref", "--format=%(refname)") == "refs/heads/pages\n"
    assert git(project.parent / "remote.git", "for-each-ref") == ""


def push_hand_made_pages(project: Path, tmp_path: Path) -> str:
    """A gh-pages branch pushed by someone else, without briefgen: its tip."""
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(project.parent / "remote.git"), str(other))
    git(other, "checkout", "--quiet", "--orphan", "gh-pages")
    git(other, "rm", "-r", "--quiet", "--cached", ".", "--ignore-unmatch")
    (other / "old.html").write_text("old", encoding="utf-8")
    git(other, "add", "old.html")
    git(other, "commit", "--quiet", "-m", "Hand-made pages")
    git(other, "push", "--quiet", "origin", "gh-pages")
    return git(other, "rev-parse", "HEAD").strip()


def test_refuses_a_branch_not_made_by_deploy(project: Path, tmp_path: Path) -> None:
    old_tip = push_hand_made_pages(project, tmp_path)
    before = user_state(project)
    done = briefgen(project, "deploy")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"origin: error: branch gh-pages was not made by briefgen deploy (its tip {old_tip[:12]} "
        "has no 'Deployed-by: briefgen' trailer): deploying would replace its files with the "
        "site (--force to deploy anyway)\n"
    )
    assert commits(project) == [[old_tip]]
    assert user_state(project) == before


def test_force_deploys_on_top_of_history_made_elsewhere(project: Path, tmp_path: Path) -> None:
    """Forced, the hand-made tip is the parent: history is kept, the push is a fast-forward."""
    old_tip = push_hand_made_pages(project, tmp_path)
    done = briefgen(project, "deploy", "--force")
    assert done.returncode == 0, done.stderr
    [[new, parent], [old]] = commits(project)
    assert parent == old == old_tip
    assert remote_files(project, "gh-pages") == SITE
    # From then on the branch is briefgen's: no --force needed.
    write_site(project / "site", {"index.html": "<!DOCTYPE html><title>Updated</title>\n"})
    done = briefgen(project, "deploy")
    assert done.returncode == 0, done.stderr
    assert [c[1:] for c in commits(project)] == [[new], [old_tip], []]


def test_refuses_to_replace_the_source_branch_on_the_remote(project: Path) -> None:
    """The review's repro: `origin` has the project's source on main; deploy --branch main."""
    remote = project.parent / "remote.git"
    git(project, "push", "--quiet", "origin", "main")
    source = git(remote, "rev-parse", "main").strip()
    git(project, "checkout", "--quiet", "-b", "work")  # main is not checked out
    done = briefgen(project, "deploy", "--branch", "main")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"origin: error: branch main was not made by briefgen deploy (its tip {source[:12]} "
        "has no 'Deployed-by: briefgen' trailer): deploying would replace its files with the "
        "site (--force to deploy anyway)\n"
    )
    assert git(remote, "rev-parse", "main").strip() == source
    assert git(remote, "for-each-ref", "--format=%(refname)") == "refs/heads/main\n"
    # --force is the way to do it on purpose: on top of the source, which stays in history.
    done = briefgen(project, "deploy", "--branch", "main", "--force")
    assert done.returncode == 0, done.stderr
    [[_deployed, parent], *_history] = commits(project, "main")
    assert parent == source
    assert remote_files(project, "main") == SITE


@pytest.mark.parametrize("pushed", [False, True])
def test_refuses_the_branch_checked_out_in_the_project(project: Path, pushed: bool) -> None:
    remote = project.parent / "remote.git"
    if pushed:
        git(project, "push", "--quiet", "origin", "main")
    refs = git(remote, "for-each-ref")
    before = user_state(project)
    done = briefgen(project, "deploy", "--branch", "main")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "--branch: error: main is the branch checked out in the project: deploying to it "
        "would replace the project's files with the site (--force to deploy anyway)\n"
    )
    assert git(remote, "for-each-ref") == refs
    assert user_state(project) == before


def test_force_deploys_to_the_branch_checked_out(project: Path) -> None:
    before = user_state(project)
    done = briefgen(project, "deploy", "--branch", "main", "--force")
    assert done.returncode == 0, done.stderr
    assert remote_files(project, "main") == SITE
    assert user_state(project) == before


def test_redeploying_an_unchanged_site_pushes_nothing(project: Path) -> None:
    assert briefgen(project, "deploy").returncode == 0
    [[first]] = commits(project)
    done = briefgen(project, "deploy", "--message", "Again")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "gh-pages is already up to date: nothing to deploy\n"
    assert commits(project) == [[first]]
    # A change is deployed again.
    (project / "site" / "CNAME").unlink()
    done = briefgen(project, "deploy")
    assert done.returncode == 0, done.stderr
    assert [c[1:] for c in commits(project)] == [[first], []]


@pytest.mark.parametrize(
    "message",
    [
        "Edition 2\n\n---\nNotes below a divider line",
        "Edition 2\n\nReviewed-by: Desk <desk@example.org>",
        "Edition 2\n\nDeployed-by: briefgen",
    ],
)
def test_every_message_carries_the_trailer_once(project: Path, message: str) -> None:
    done = briefgen(project, "deploy", "--message", message)
    assert done.returncode == 0, done.stderr
    text = git(project.parent / "remote.git", "log", "-1", "--format=%B", "gh-pages")
    assert text.startswith(message.removesuffix("Deployed-by: briefgen"))
    assert text.count("Deployed-by: briefgen") == 1
    # The next deploy finds it: the branch is briefgen's.
    write_site(project / "site", {"index.html": "<!DOCTYPE html><title>Updated</title>\n"})
    done = briefgen(project, "deploy")
    assert done.returncode == 0, done.stderr


def test_deploy_works_from_a_subfolder_of_the_project(project: Path) -> None:
    done = briefgen(project / "content", "deploy")
    assert done.returncode == 0, done.stderr
    assert remote_files(project, "gh-pages") == SITE


def test_refuses_outside_a_project(tmp_path: Path) -> None:
    done = briefgen(tmp_path, "deploy")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: no briefgen.yaml in {tmp_path.resolve()} or any folder above it "
        "(expected a briefing project: `briefgen init DIR` makes one)\n"
    )


def test_help_documents_force() -> None:
    done = briefgen(REPO, "deploy", "--help")
    assert done.returncode == 0
    assert "--force" in done.stdout
    assert "Deployed-by: briefgen" in " ".join(done.stdout.split())


def test_refuses_when_the_site_is_not_built(project: Path) -> None:
    for path in sorted((project / "site").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    done = briefgen(project, "deploy")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "site/: error: the site is not built (run `briefgen build` first)\n"
    assert git(project.parent / "remote.git", "for-each-ref") == ""


def test_refuses_when_the_remote_rejects_the_push(project: Path) -> None:
    hook = project.parent / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = user_state(project)
    done = briefgen(project, "deploy")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "origin: error: the push to branch gh-pages was rejected: pre-receive hook declined\n"
    )
    assert user_state(project) == before


def test_refuses_an_unknown_remote(project: Path) -> None:
    done = briefgen(project, "deploy", "--remote", "upstream")
    assert done.returncode == 1
    assert done.stderr == (
        "upstream: error: no such git remote (the remotes are origin; "
        "add one with `git remote add upstream URL`)\n"
    )


def test_refuses_outside_a_git_repository(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write_site(root / "site", SITE)
    (root / "briefgen.yaml").write_text('title: "Briefing"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "deploy"],
        cwd=root,
        env={**env(), "GIT_CEILING_DIRECTORIES": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"{root}: error: not a git repository (deploy pushes to a remote of the project's "
        "repository: run `git init` and `git remote add origin URL`)\n"
    )


@pytest.mark.parametrize("name", ["gh..pages", "--", "-f", "HEAD", "@{-1}", "gh pages", ""])
def test_refuses_an_invalid_branch_name(project: Path, name: str) -> None:
    # With a previous branch, git would expand @{-1} to its name: it is refused all the same.
    git(project, "checkout", "--quiet", "-b", "previous")
    git(project, "checkout", "--quiet", "main")
    done = briefgen(project, "deploy", "--branch", name)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"--branch: error: not a valid branch name: {name!r}\n"
    assert git(project.parent / "remote.git", "for-each-ref") == ""


def build_entry(project: Path) -> None:
    (project / "content" / "a.md").write_text(
        "---\ntitle: A\ndate: 2023-09-14\nsource: {name: S, url: 'https://s.example/a'}\n---\nv\n",
        encoding="utf-8",
    )
    (project / "content" / "b.md").unlink()


def test_refuses_a_site_built_for_this_machine_and_says_how_to_fix_it(project: Path) -> None:
    build_entry(project)
    built = briefgen(project, "build", "--clean")
    assert built.returncode == 0, built.stderr
    done = briefgen(project, "deploy")
    assert done.returncode == 1
    assert done.stderr == (
        "site/: error: the site was built for http://127.0.0.1:8000/, an address of this "
        "machine (the default base_url), so its links, feeds and sitemap would point there: "
        "set `base_url:` in briefgen.yaml to the published address (such as "
        "https://USER.github.io/REPO/) or build with `--base-url URL`, then deploy\n"
    )
    assert git(project.parent / "remote.git", "for-each-ref") == ""


def test_a_site_built_with_its_address_is_deployed_without_the_marker(project: Path) -> None:
    build_entry(project)
    built = briefgen(project, "build", "--clean", "--base-url", "https://desk.github.io/brief/")
    assert built.returncode == 0, built.stderr
    assert (project / "site" / ".briefgen").is_file()
    done = briefgen(project, "deploy")
    assert done.returncode == 0, done.stderr
    published = remote_files(project, "gh-pages")
    assert ".briefgen" not in published
    assert "index.html" in published
    assert "https://desk.github.io/brief/" in published["sitemap.xml"]


def test_a_silent_remote_is_given_up_at_the_deadline(project: Path) -> None:
    """A remote that accepts the connection and never answers: deploy stops at --timeout."""
    import socket
    import time

    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        git(project, "remote", "add", "silent", f"http://127.0.0.1:{port}/briefing.git")
        started = time.monotonic()
        done = briefgen(project, "deploy", "--remote", "silent", "--timeout", "2")
        elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert done.stderr == (
        "git: error: `git ls-remote`: no answer from the remote within 2 s "
        "(is it reachable? --timeout gives it longer)\n"
    )
    assert elapsed < 10
