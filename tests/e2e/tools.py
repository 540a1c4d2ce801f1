"""Helpers of the theme's end-to-end tests: the Nu Html Checker, test projects of the seed."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_seed_project, run_cli

VNU_IN_NODE_MODULES = Path("node_modules/vnu-jar/build/dist/vnu.jar")


def find_vnu_jar() -> Path | None:
    """The Nu Html Checker jar: `$BRIEFGEN_VNU_JAR`, else `node_modules/vnu-jar` under the
    repository, its parent or `/tmp/vnu` (`npm install --prefix /tmp/vnu vnu-jar`)."""
    named = os.environ.get("BRIEFGEN_VNU_JAR")
    if named:
        return Path(named) if Path(named).is_file() else None
    for prefix in (ROOT, ROOT.parent, Path("/tmp/vnu")):
        jar = prefix / VNU_IN_NODE_MODULES
        if jar.is_file():
            return jar
    return None


def require_vnu() -> tuple[str, Path]:
    """`(java, jar)`, or skip the test (a failure under `BRIEFGEN_REQUIRE_BROWSER=1`)."""
    java = shutil.which("java")
    jar = find_vnu_jar()
    if java and jar:
        return java, jar
    missing = " and ".join(
        name for name, found in (("java", java), ("the vnu.jar of npm's vnu-jar", jar)) if not found
    )
    reason = f"HTML validation needs {missing} (or BRIEFGEN_VNU_JAR)"
    if os.environ.get("BRIEFGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BRIEFGEN_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def require_seed_content() -> None:
    if not any((ROOT / "content").rglob("*.md")):
        pytest.fail("the seed briefing has no entries in content/")


# Entries that stress the theme: long unbreakable words and URLs, a table, code, an image,
# an entry in another language than the site's, two entries of one story, no topic.
STRESS_ENTRIES = {
    "content/stress/long.md": """---
title: "Une dépêche au titre interminable https://example.org/un/chemin/tres/long/qui/ne/doit/jamais/deborder/de/l-ecran"
date: 2023-09-14T23:30:00+02:00
source:
  name: "Le Journal Extraordinairement Long De La Presse Internationale Francophone"
  url: "https://example.org/articles/un-tres-long-chemin-sans-aucune-coupure-possible-1234567890"
author: ["Marie Dupont", "Jean Martin"]
lang: fr
topics: [Diplomatie]
tags: [Anticonstitutionnellementextraordinairementlongmotquinefinitjamais]
story: stress-story
summary: "Un résumé avec https://example.org/un/chemin/tres/long/qui/ne/doit/jamais/deborder/de/l-ecran/vraiment."
---
Un lien https://example.org/un/chemin/tres/long/qui/ne/doit/jamais/deborder/de/l-ecran/du/telephone/vraiment
et un mot Anticonstitutionnellementextraordinairementlongmotquinefinitjamaisvraimentjamais.

![Carte du cosmodrome de Vostochny](/carte.png)

## Un intertitre

| Colonne A | Colonne B | Colonne C | Colonne D | Colonne E | Colonne F | Colonne G |
|---|---|---|---|---|---|---|
| valeur longue 1 | valeur longue 2 | valeur longue 3 | valeur longue 4 | valeur 5 | valeur 6 | 7 |

```
une ligne de code très très longue qui ne doit pas élargir la page mais défiler dans son propre bloc
```

> Une citation.

Une note[^1].

[^1]: La note.
""",
    "content/stress/english.md": """---
title: "Russia and North Korea weigh military cooperation"
date: 2023-09-14T08:15:00-04:00
source:
  name: "Wire Service"
  url: "https://example.com/news/1"
lang: en
story: stress-story
summary: "An entry in English, in a French briefing, with its own UTC offset."
---
An entry in English.
""",
}


def tiny_png() -> bytes:
    """A valid 1×1 PNG, for an image in an entry."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xa3\x16\x1a\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def build_project(
    project: Path, out: Path, *, stress: bool = False, extra: dict[str, str] | None = None
) -> Path:
    """The seed briefing (with the stress entries if asked, and `extra` files) in `project`,
    built into `out`."""
    require_seed_content()
    copy_seed_project(project)
    for name, text in (extra or {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    if stress:
        for name, text in STRESS_ENTRIES.items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (project / "static").mkdir(exist_ok=True)
        (project / "static" / "carte.png").write_bytes(tiny_png())
        # long lists split into pages, so that the pager is checked too
        config = project / "briefgen.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "paginate: 2\n", encoding="utf-8")
    result = run_cli("build", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return out
