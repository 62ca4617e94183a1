"""The command line on bad or careless input (issue 11, items 3, 7, 8, 14, 15): a missing or
damaged index is one line and exit 1, never a new empty database; out-of-range numbers and dates
are one line and exit 2; empty answers carry a one-line note on stderr; CSV cells are readable."""
from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from conftest import run_cli
from web_corpus import write_index

MISSING_LINE = "(run policywatch crawl, or make demo)"


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-limits')}/index.db"
    write_index(url)
    return url


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- a missing or damaged index (item 3) -----------------------------------------------------------------
@pytest.mark.parametrize("command", [["search", "telegram"], ["export"], ["timeline", "Telegram"], ["entities"],
                                     ["stats"], ["history", "abc"], ["status"]])
def test_a_missing_index_is_reported_and_never_created(tmp_path, command):
    path = tmp_path / "nothere" / "missing.db"
    r = run_cli(*command, "--index", f"sqlite:///{path}", check=False)
    assert r.returncode == 1
    assert one_line(r) == f"policywatch: no index at {path} {MISSING_LINE}"
    assert not path.parent.exists()


def test_serve_refuses_to_start_on_a_missing_index(tmp_path):
    path = tmp_path / "missing.db"
    r = run_cli("serve", "--index", f"sqlite:///{path}", "--port", "1", "--state", str(tmp_path / "web.db"),
                check=False, timeout=60)
    assert r.returncode == 1 and one_line(r) == f"policywatch: no index at {path} {MISSING_LINE}"


@pytest.mark.es
def test_a_missing_elasticsearch_alias_is_reported_and_never_created():
    from conftest import ES_URL, require_es
    require_es()
    url = f"{ES_URL.rstrip('/')}/pw-test-never-made"
    r = run_cli("search", "telegram", "--index", url, check=False)
    assert r.returncode == 1 and MISSING_LINE in one_line(r)
    from index import open_index
    with pytest.raises(Exception, match="no index at"):
        open_index(url, create=False)


def test_a_damaged_database_is_one_line(tmp_path):
    url = f"sqlite:///{tmp_path}/index.db"
    write_index(url)
    path = tmp_path / "index.db"
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert data[:16] == b"SQLite format 3\x00"
    for offset in range(2 * page_size, len(data), 7):       # the header page intact, every page after it garbled
        data[offset] = (data[offset] * 31 + 17) % 256
    path.write_bytes(bytes(data))
    r = run_cli("search", "telegram", "--index", url, check=False)
    assert r.returncode == 1
    assert "damaged" in one_line(r) and "Traceback" not in r.stderr


# -- out-of-range input (items 7 and 8) --------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["search", "telegram", "--to", "9999-12-31"], "from 1900 to 2200"),
    (["search", "telegram", "--from", "1850-01-01"], "from 1900 to 2200"),
    (["search", "telegram", "--offset", "999999999999999999999"], "--offset"),
    (["search", "telegram", "--limit", "-5"], "--limit"),
    (["entities", "--limit", "0"], "--limit"),
    (["serve", "--port", "99999"], "--port"),
    (["search", "(" * 300 + "telegram" + ")" * 300], "bad query: nested too deeply"),
    (["search", "NOT " * 40 + "telegram"], "bad query: nested too deeply"),
    (["export", "NOT " * 40 + "telegram"], "bad query: nested too deeply"),
    (["search", "telegram", "--from", "2024-10-01", "--to", "2024-09-01"], "reversed range"),
    (["timeline", "Telegram", "--from", "2024-10-01", "--to", "2024-09-01"], "reversed range"),
])
def test_bad_usage_is_one_line_and_exit_2(index, args, message):
    r = run_cli(*args, "--index", index, check=False)
    assert r.returncode == 2
    assert message in one_line(r)


def test_many_flat_nots_and_deep_but_allowed_nesting_still_search(index):
    flat = "telegram " + " ".join(f"NOT word{i}" for i in range(40))
    assert run_cli("search", flat, "--index", index).returncode == 0
    nested = "(" * 19 + "telegram" + ")" * 19
    assert run_cli("search", nested, "--index", index).returncode == 0


# -- notes for empty answers (item 15) ---------------------------------------------------------------------
def test_unknown_source_gets_a_note_naming_the_known_ones(index):
    r = run_cli("search", "source:nosuch", "--index", index)
    assert "policywatch: note: no source named nosuch (known: " in r.stderr and "yonhap" in r.stderr


def test_lower_case_operators_get_a_note(index):
    r = run_cli("search", "telegram or deepfake", "--index", index)
    assert "policywatch: note: 'or' is searched as a word; operators are upper case (OR)" in r.stderr


def test_unknown_entity_timeline_names_the_nearest_known_ones(index):
    r = run_cli("timeline", "Telegramm", "--index", index)
    assert "policywatch: note: no articles mention Telegramm; nearest known names: Telegram" in r.stderr
    quiet = run_cli("timeline", "Telegram", "--index", index)
    assert "note:" not in quiet.stderr


# -- CSV cells (item 14) -----------------------------------------------------------------------------------
def test_csv_export_cells_are_readable(index):
    r = run_cli("export", "entity:Telegram action:investigation", "--format", "csv", "--index", index)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows
    for row in rows:
        assert "{" not in row["actions"] and "'" not in row["actions"]
        assert "investigation" in row["actions"].split("; ")
        assert any(cell.startswith("Telegram (PLATFORM, ") and cell.endswith(")")
                   for cell in row["entities"].split("; "))


def test_copy_from_a_missing_index_creates_neither_side(tmp_path):
    source, target = tmp_path / "nothere" / "a.db", tmp_path / "b.db"
    r = run_cli("copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{target}", check=False)
    assert r.returncode == 1 and one_line(r) == f"policywatch: no index at {source} {MISSING_LINE}"
    assert not source.parent.exists() and not target.exists()
