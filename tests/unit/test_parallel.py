from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import parallel
from briefgen.diagnostics import BriefgenError, error
from tests.conftest import run_cli


def square(value: int) -> int:
    if value == 13:
        raise BriefgenError([error("content/13.md", 4, "unlucky", field="date")])
    return value * value


def test_results_come_back_in_order_from_several_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    seen: list[tuple[int, int]] = []
    items = list(range(14, 100))
    assert list(parallel.ordered_map(square, items, lambda d, t: seen.append((d, t)))) == [
        i * i for i in items
    ]
    assert seen[-1] == (86, 86)


def test_an_error_in_a_worker_keeps_its_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    with pytest.raises(BriefgenError) as raised:
        list(parallel.ordered_map(square, list(range(100))))
    assert [str(d) for d in raised.value.diagnostics] == ["content/13.md:4: error: date: unlucky"]


def test_a_parallel_build_writes_the_same_bytes(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "briefgen.yaml").write_text("language: fr\ntimezone: Europe/Paris\n")
    for number in range(parallel.MIN_ITEMS + 50):
        (project / "content" / f"e{number:04d}.md").write_text(
            f"---\ntitle: Article {number}\ndate: 2023-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
            f"T{number % 24:02d}:15:00+02:00\nsource: {{name: Média {number % 7}, "
            f"url: 'https://m.example/{number}'}}\ntopics: [Sujet {number % 5}]\n"
            f"summary: Résumé {number}.\n---\nCorps de l’article {number}.\n",
            encoding="utf-8",
        )
    one = run_cli(
        "build", "-q", "--out", str(tmp_path / "one"), cwd=project, env={"BRIEFGEN_JOBS": "1"}
    )
    two = run_cli(
        "build", "-q", "--out", str(tmp_path / "two"), cwd=project, env={"BRIEFGEN_JOBS": "2"}
    )
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(first) > parallel.MIN_ITEMS
    assert first == second
