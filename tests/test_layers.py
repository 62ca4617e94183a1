"""The rooms and the order they stand in (issue 25), read from the code itself with ast: every
import of every module, at the top or inside a function.

Pages flow crawler/archive -> extract -> nlp -> index. The stages (extract, nlp, index) each
import only stages before them; the drivers that push pages through them (ingest, then archive
and crawler, which both hand pages to ingest) import the stages they call, so they stand above
them; the front ends stand on everything. A module may import its own folder and the folders of
lower layers, never a higher one nor a sibling of its own layer; no two modules import each other,
however long the circle; and only crawler/ imports Scrapy or Twisted."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Folders in one tuple are siblings: neither may import the other.
LAYERS = [
    ("common", "newsroom"),     # shared helpers; the sample newsroom (demo, tests) imports nothing of ours
    ("extract",),               # page -> article
    ("nlp",),                   # article -> entities, actions, statements
    ("index",),                 # articles stored and searched (holds nlp's result types)
    ("ingest",),                # one page through extract -> nlp -> index: what crawl and archive share
    ("archive",),               # WARC files: import, reprocess
    ("crawler",),               # Scrapy: fetching, writing the archive as it goes
    ("core",),                  # configuration, sources and notes the front ends share
    ("alerts",),
    ("web",),
    ("policywatch",),           # the CLI: its `serve` starts web/
]
RANK = {folder: rank for rank, folders in enumerate(LAYERS) for folder in folders}
SCRAPY = ("scrapy", "twisted")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for folder in RANK for p in sorted((ROOT / folder).rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports: `from x import y` counts x.y when that is a module, else x."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            subs = {f"{target}.{alias.name}" for alias in node.names} & known
            found |= subs or {target}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def test_every_room_is_placed():
    rooms = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert rooms - set(RANK) == set(), "a new top-level package needs its place in LAYERS"


def test_no_room_imports_one_above_it_or_beside_it():
    wrong = []
    for name, deps in graph().items():
        here = name.split(".")[0]
        for dep in deps:
            there = dep.split(".")[0]
            if there in RANK and there != here and RANK[there] >= RANK[here]:
                wrong.append(f"{name} imports {dep}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_no_two_modules_import_each_other():
    # A module importing its own package (`from index import Article`, `from . import work`) and
    # a package's __init__ gathering its modules are how a package is built, not a circle.
    edges = {name: {d for d in deps if not name.startswith(d + ".") and not d.startswith(name + ".")}
             for name, deps in graph().items()}
    circles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for dep in sorted(edges.get(node, ())):
            if dep not in edges:
                continue
            if state.get(dep) == "open":
                circles.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not circles, "modules that import each other:\n" + "\n".join(circles)


def test_only_the_crawler_imports_scrapy():
    wrong = sorted(f"{name} imports {dep}" for name, deps in graph().items() for dep in deps
                   if dep.split(".")[0] in SCRAPY and not name.startswith("crawler"))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("room", sorted(RANK))
def test_each_room_says_what_it_holds_and_may_import(room):
    doc = ast.get_docstring(ast.parse((ROOT / room / "__init__.py").read_text(encoding="utf-8"))) or ""
    lines = doc.splitlines()
    assert len(lines) >= 2 and lines[0].strip(), f"{room}/__init__.py: first line says what it holds"
    assert lines[1].startswith("May import"), f"{room}/__init__.py: second line says what it may import"


def test_the_checks_see_a_wrong_import(tmp_path, monkeypatch):
    """The layer check reads the code: an import upward in a module it scans is reported."""
    fake = tmp_path / "extract"
    fake.mkdir()
    (fake / "__init__.py").write_text('"""x\nMay import common/."""\n')
    (fake / "upward.py").write_text("from index import open_index\n")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "__init__.py").write_text("from extract import upward\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "RANK", {"extract": 1, "index": 3})
    with pytest.raises(AssertionError, match="extract.upward imports index"):
        test_no_room_imports_one_above_it_or_beside_it()
    with pytest.raises(AssertionError, match="modules that import each other"):
        test_no_two_modules_import_each_other()


def _top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in getattr(node, "targets", [])):
                # a package that hands out names lazily (module __getattr__) lists them here
                names |= {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)}
        elif isinstance(node, (ast.If, ast.Try)):       # names defined under a guard count too
            names |= {n.name for n in ast.walk(node) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    return names


def stale_imports(files) -> list[str]:
    """`from ROOM.x import y` lines, in `files`, whose module or name the rooms no longer have
    (bench scripts import lazily, inside functions, so a move breaks them only when they run)."""
    mods = modules()
    rooms = {name.split(".")[0] for name in mods}
    stale = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom) or node.level or node.module.split(".")[0] not in rooms:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if node.module not in mods:
                stale.append(f"{where} {node.module}")
                continue
            defined = _top_level_names(mods[node.module])
            stale += [f"{where} {node.module}.{a.name}" for a in node.names
                      if a.name != "*" and a.name not in defined and f"{node.module}.{a.name}" not in mods]
    return stale


def test_bench_and_test_files_import_what_the_rooms_have():
    files = sorted((ROOT / "bench").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    assert stale_imports(files) == []


def test_a_stale_import_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "__init__.py").write_text("")
    (tmp_path / "extract" / "dates.py").write_text("def day():\n    pass\n")
    (tmp_path / "crawler").mkdir()
    (tmp_path / "crawler" / "__init__.py").write_text("")
    script = tmp_path / "bench.py"
    script.write_text("def f():\n    from crawler import dates\n    from extract.dates import day, night\n")
    assert stale_imports([script]) == ["bench.py:2 crawler.dates", "bench.py:3 extract.dates.night"]
