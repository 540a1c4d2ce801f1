"""GitHub Pages: the Actions workflow that `briefgen init` writes, and `briefgen deploy`.

`deploy()` publishes a built site to a branch of a git remote without touching
the user's checkout: the site folder is staged through a temporary index file
(`GIT_INDEX_FILE`) with the site as work tree, committed with `git commit-tree`
on top of the remote branch's current tip, and pushed as
`<commit>:refs/heads/<branch>`. HEAD, the index and the working tree of the
project are never read or written. Library code: problems are raised as
`BriefgenError`, nothing is printed.

Every deploy commit carries the trailer `Deployed-by: briefgen`. A remote branch
whose tip lacks it holds something else (often the project's own source), so
deploying onto it, like deploying to the branch checked out in the project, is
refused unless forced: the site would replace its files.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import BriefgenError, error, quote
from briefgen.marker import MARKER, built_base_url, is_local

DEFAULT_BRANCH = "gh-pages"
TIMEOUT = 30.0  # seconds a git command that talks to the remote may take, all told
TRAILER_KEY = "Deployed-by"
TRAILER_VALUE = "briefgen"
_TRAILERS = f"%(trailers:key={TRAILER_KEY},valueonly)"
# Variables that would point git at another repository, index or work tree.
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)

_WORKFLOW = """\
# Builds the briefing with briefgen and publishes it on GitHub Pages.
# In the repository: Settings > Pages > Build and deployment > Source: "GitHub Actions".
# briefgen is installed from requirements.txt beside briefgen.yaml, which pins its version
# and finds it in vendor/ (the wheel `briefgen init` wrote) or on the package index.
name: Publish the briefing on GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; let a running one finish.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python_version}"
          cache: pip
          cache-dependency-path: |
            requirements*.txt
            .github/workflows/pages.yml
      - name: Install briefgen
        run: |
          if [ -f requirements.txt ]; then
            pip install -r requirements.txt
          else
            pip install briefgen
          fi
      - id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        run: briefgen build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - name: Check links and assets
        run: briefgen check --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: {output_dir}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def pages_workflow(python_version: str = "3.12", *, output_dir: str = "site") -> str:
    """The text of `.github/workflows/pages.yml`: build with briefgen, deploy to Pages."""
    return _WORKFLOW.format(python_version=python_version, output_dir=output_dir)


@dataclass(frozen=True)
class DeployResult:
    """What `deploy()` pushed."""

    remote: str
    branch: str
    commit: str  # the branch's tip after the deploy
    parent: str | None  # the branch's previous tip; None when the branch is new
    files: int
    changed: bool = True  # False: the site is the tip's tree already, nothing was pushed


def deploy(
    site_dir: Path,
    repo_dir: Path,
    *,
    remote: str = "origin",
    branch: str = DEFAULT_BRANCH,
    message: str | None = None,
    display: str | None = None,
    force: bool = False,
    timeout: float = TIMEOUT,
) -> DeployResult:
    """Publish the files of `site_dir` as one new commit on `branch` of `remote`.

    The commit's parent is the remote branch's current tip (fetched first), so
    history is kept and the push is a fast-forward. Nothing is committed when
    the site equals that tip's tree. Without `force`, the branch checked out in
    the project and a remote branch not made by `deploy` are refused. `display`
    is how the site folder is named in messages (default: its name). Each git
    command that talks to the remote is ended after `timeout` seconds. A site
    built for this machine (its marker records a local base URL) is refused.
    """
    shown = (display or site_dir.name).rstrip("/") + "/"
    if not (site_dir / "index.html").is_file():
        raise _problem(shown, "the site is not built (run `briefgen build` first)")
    built_for = built_base_url(site_dir)
    if built_for is not None and is_local(built_for):
        raise _problem(
            shown,
            f"the site was built for {built_for}, an address of this machine (the default "
            "base_url), so its links, feeds and sitemap would point there: set `base_url:` in "
            "briefgen.yaml to the published address (such as https://USER.github.io/REPO/) or "
            "build with `--base-url URL`, then deploy",
        )
    git = _Git(repo_dir, timeout)
    git_dir = git.git_dir()
    git.check_branch_name(branch)
    if not force:
        git.refuse_checked_out(branch)
    git.check_remote(remote)
    parent = git.fetch_tip(remote, branch)
    if parent is not None and not force:
        git.refuse_foreign_tip(remote, branch, parent)
    with tempfile.TemporaryDirectory(prefix="briefgen-deploy-") as scratch:
        tree, files = git.stage(site_dir.resolve(), git_dir, Path(scratch) / "index")
        if parent is not None and tree == git.tree_of(parent):
            return DeployResult(remote, branch, parent, parent, files, changed=False)
        git.check_identity()
        text = message if message and message.strip() else _default_message(git)
        commit = git.commit(tree, parent, text, Path(scratch) / "message")
    git.push(remote, commit, branch)
    return DeployResult(remote=remote, branch=branch, commit=commit, parent=parent, files=files)


def _problem(where: str, message: str) -> BriefgenError:
    return BriefgenError([error(where, 0, message, code="deploy")])


def _default_message(git: _Git) -> str:
    source = git.try_run(["rev-parse", "--short", "HEAD"])
    name = git.try_run(["symbolic-ref", "--short", "-q", "HEAD"])
    if source is None:
        return "Deploy the briefing"
    where = f"{name.strip()}@{source.strip()}" if name else source.strip()
    return f"Deploy the briefing from {where}"


class _Git:
    """`git` run in `repo_dir` with a clean environment; failures become `BriefgenError`."""

    def __init__(self, repo_dir: Path, timeout: float = TIMEOUT) -> None:
        self.repo_dir = repo_dir
        self.timeout = timeout
        env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
        env["LC_ALL"] = "C"
        env["GIT_TERMINAL_PROMPT"] = "0"  # a password prompt would wait for ever
        self.env = env

    def _exec(
        self,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        *,
        network: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run git; one that talks to the remote (`network`) is ended at the deadline."""
        command = ["git", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false", *args]
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd or self.repo_dir,
                env={**self.env, **(env or {})},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,  # its helpers (ssh, git-remote-https) end with it
            )
        except FileNotFoundError:
            raise _problem("git", "git is not installed (deploy needs the `git` command)") from None
        try:
            out, err = process.communicate(timeout=self.timeout if network else None)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise _problem(
                "git",
                f"`git {args[0]}`: no answer from the remote within {self.timeout:g} s "
                "(is it reachable? --timeout gives it longer)",
            ) from None
        return subprocess.CompletedProcess(command, process.returncode, out, err)

    def run(
        self, args: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> str:
        done = self._exec(args, env, cwd)
        if done.returncode != 0:
            raise _problem("git", f"`git {args[0]}` failed: {_reason(done.stderr)}")
        return done.stdout

    def try_run(self, args: Sequence[str]) -> str | None:
        done = self._exec(args)
        return done.stdout if done.returncode == 0 else None

    def git_dir(self) -> str:
        where = self.try_run(["rev-parse", "--absolute-git-dir"])
        if where is None:
            raise _problem(
                str(self.repo_dir),
                "not a git repository (deploy pushes to a remote of the project's "
                "repository: run `git init` and `git remote add origin URL`)",
            )
        return where.strip()

    def check_branch_name(self, branch: str) -> None:
        # --branch applies git's rules for branch names (no leading `-`, not `HEAD`…);
        # a name it expands (`@{-1}`) is not taken literally either.
        named = self.try_run(["check-ref-format", "--branch", branch])
        if named is None or named.strip() != branch:
            raise _problem("--branch", f"not a valid branch name: {quote(branch)}")

    def refuse_checked_out(self, branch: str) -> None:
        current = self.try_run(["symbolic-ref", "--quiet", "HEAD"])
        if current is not None and current.strip() == f"refs/heads/{branch}":
            raise _problem(
                "--branch",
                f"{branch} is the branch checked out in the project: deploying to it would "
                "replace the project's files with the site (--force to deploy anyway)",
            )

    def refuse_foreign_tip(self, remote: str, branch: str, tip: str) -> None:
        """Refuse a branch whose tip was not made by `deploy`: it holds something else."""
        values = self.run(["log", "-1", "--no-show-signature", f"--format={_TRAILERS}", tip])
        if TRAILER_VALUE not in (value.strip() for value in values.splitlines()):
            raise _problem(
                remote,
                f"branch {branch} was not made by briefgen deploy (its tip {tip[:12]} has no "
                f"'{TRAILER_KEY}: {TRAILER_VALUE}' trailer): deploying would replace its files "
                "with the site (--force to deploy anyway)",
            )

    def check_remote(self, remote: str) -> None:
        if self.try_run(["remote", "get-url", remote]) is not None:
            return
        known = (self.try_run(["remote"]) or "").split()
        hint = f"the remotes are {', '.join(known)}" if known else "the repository has none"
        raise _problem(
            remote, f"no such git remote ({hint}; add one with `git remote add {remote} URL`)"
        )

    def fetch_tip(self, remote: str, branch: str) -> str | None:
        """The commit at the tip of the remote branch, fetched; None if it does not exist."""
        listing = ["ls-remote", "--exit-code", remote, f"refs/heads/{branch}"]
        done = self._exec(listing, network=True)
        if done.returncode == 2:
            return None
        if done.returncode != 0:
            raise _problem(remote, f"cannot reach the remote: {_reason(done.stderr)}")
        fetch = ["fetch", "--no-tags", "--quiet", remote, f"refs/heads/{branch}"]
        fetched = self._exec(fetch, network=True)
        if fetched.returncode != 0:
            raise _problem(remote, f"cannot fetch branch {branch}: {_reason(fetched.stderr)}")
        tip = done.stdout.split()[0]
        if self.try_run(["cat-file", "-e", f"{tip}^{{commit}}"]) is None:
            raise _problem(remote, f"branch {branch} moved while fetching; try again")
        return tip

    def stage(self, site: Path, git_dir: str, index: Path) -> tuple[str, int]:
        """The tree of the files of `site`, written through a scratch index, and their count."""
        scratch = {"GIT_INDEX_FILE": str(index)}
        tree_git = ["--git-dir", git_dir, "--work-tree", str(site)]
        # the build's marker file stays local: it is not part of the published site
        pathspec = [".", f":(exclude,literal){MARKER}"]
        self.run([*tree_git, "add", "--all", "--force", "--", *pathspec], env=scratch, cwd=site)
        in_repo = {**scratch, "GIT_DIR": git_dir}
        tree = self.run(["write-tree"], env=in_repo).strip()
        listing = self.run(["ls-files", "-z"], env=in_repo)
        return tree, len([name for name in listing.split("\0") if name])

    def tree_of(self, commit: str) -> str:
        return self.run(["rev-parse", "--verify", f"{commit}^{{tree}}"]).strip()

    def commit(self, tree: str, parent: str | None, message: str, scratch: Path) -> str:
        """A commit of `tree` on `parent` whose message ends with the deploy trailer."""
        scratch.write_text(message.rstrip() + "\n", encoding="utf-8")
        trailer = f"{TRAILER_KEY}: {TRAILER_VALUE}"
        # As `git log` reads a commit's trailers: at the very end, a `---` line is text.
        add = ["--no-divider", "--where", "end", "--if-exists", "addIfDifferent"]
        add += ["--trailer", trailer]
        signed = self.run(["interpret-trailers", *add, str(scratch)])
        scratch.write_text(signed, encoding="utf-8")
        parents = ["-p", parent] if parent else []
        return self.run(["commit-tree", tree, *parents, "-F", str(scratch)]).strip()

    def check_identity(self) -> None:
        if self.try_run(["var", "GIT_COMMITTER_IDENT"]) is None:
            raise _problem(
                "git",
                "git does not know who you are: set it with "
                '`git config --global user.name "Your Name"` and '
                "`git config --global user.email you@example.com`",
            )

    def push(self, remote: str, commit: str, branch: str) -> None:
        push = ["push", "--porcelain", remote, f"{commit}:refs/heads/{branch}"]
        done = self._exec(push, network=True)
        if done.returncode != 0:
            why = _push_reason(done.stdout, done.stderr)
            raise _problem(remote, f"the push to branch {branch} was rejected: {why}")


def _kill_group(process: subprocess.Popen[str]) -> None:
    """End a git command and the helpers it started, and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already, or no process groups (Windows)
        process.kill()
    process.communicate()


_REJECTED = re.compile(r"^!\s+\S+\s+\[(?:remote )?rejected\]\s*\((?P<why>.*)\)\s*$")


def _push_reason(stdout: str, stderr: str) -> str:
    """git's one-line reason for a failed push (`pre-receive hook declined`, `fetch first`…)."""
    for line in stdout.splitlines():
        # --porcelain: "!\t<src>:<dst>\t[rejected] (fetch first)"
        fields = line.split("\t")
        if fields[0] == "!" and len(fields) >= 3:
            status = fields[2]
            if "(" in status:
                return status[status.index("(") + 1 :].rstrip(")").strip()
            return status.strip()
    for line in stderr.splitlines():
        match = _REJECTED.match(line.strip())
        if match:
            return match.group("why")
    return _reason(stderr)


def _reason(stderr: str) -> str:
    """The most telling line of git's error output, on one line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for prefix in ("fatal:", "error:"):
        for line in lines:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
    return lines[-1] if lines else "unknown error"
