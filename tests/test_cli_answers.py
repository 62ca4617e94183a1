"""Answers a newcomer can act on (issue 28, items 5-7): several words are one search, an empty
result says why, and a command that writes a file picks its format from the name and says so."""
from __future__ import annotations

import json

from conftest import run_cli


def test_several_words_are_one_search(site):
    both = json.loads(run_cli("search", "telegram", "deepfake", "--index", site["index"], "--format", "json",
                              "--limit", "100").stdout)
    quoted = json.loads(run_cli("search", "telegram deepfake", "--index", site["index"], "--format", "json",
                                "--limit", "100").stdout)
    assert both and [h["id"] for h in both] == [h["id"] for h in quoted]


def test_an_unknown_entity_names_the_nearest_known_ones(site):
    r = run_cli("search", "entity:Telegramm", "--index", site["index"])
    assert "no articles mention Telegramm; nearest known names: Telegram" in r.stderr


def test_an_empty_export_trend_or_case_list_says_why(site, tmp_path):
    r = run_cli("export", "entity:Telegramm", "--index", site["index"], "--output", str(tmp_path / "x.csv"))
    assert "exported 0 articles" in r.stderr and "no articles mention Telegramm; nearest known names: Telegram" in r.stderr
    r = run_cli("trend", "entity:Telegramm", "deepfake", "--index", site["index"])
    assert r.stderr.count("no articles mention") == 1 and "nearest known names: Telegram" in r.stderr
    r = run_cli("cases", "--entity", "Telegramm", "--index", site["index"])
    assert "no cases" in r.stderr and "no articles mention Telegramm; nearest known names: Telegram" in r.stderr
    r = run_cli("export", "entity:Telegram", "--index", site["index"], "--output", str(tmp_path / "y.csv"))
    assert "note" not in r.stderr          # something matched: nothing to explain


def test_an_unknown_language_code_lists_the_known_ones(site):
    r = run_cli("search", "deepfake lang:kr", "--index", site["index"])
    assert "no articles in language 'kr' (known: en;" in r.stderr


def test_an_unknown_collection_lists_the_known_ones(site):
    r = run_cli("search", "collection:asia", "--index", site["index"], "--sources", str(site["sources"]), check=False)
    assert r.returncode == 2 and "unknown collection 'asia' (known: korea, tech, wire" in r.stderr


def test_sources_given_where_it_changes_nothing_is_noted(site):
    for command in (["search", "deepfake"], ["export", "deepfake"], ["entities", "deepfake"], ["trend", "deepfake"]):
        r = run_cli(*command, "--index", site["index"], "--sources", str(site["sources"]))
        assert "changes nothing here" in r.stderr, command
    r = run_cli("search", "deepfake collection:korea", "--index", site["index"], "--sources", str(site["sources"]))
    assert "changes nothing" not in r.stderr


def test_output_takes_its_format_from_the_extension_and_says_where_it_wrote(site, tmp_path):
    tl = tmp_path / "tl.json"
    r = run_cli("timeline", "Telegram", "--index", site["index"], "--output", str(tl))
    rows = json.loads(tl.read_text())
    assert rows and {"date", "articles"} <= set(rows[0])
    assert r.stderr.strip().endswith(f"wrote {len(rows)} rows (json) to {tl}")
    csv_named_json = tmp_path / "forced.json"
    run_cli("timeline", "Telegram", "--index", site["index"], "--output", str(csv_named_json), "--format", "csv")
    assert csv_named_json.read_text().startswith("date,")
    tr = tmp_path / "trend.json"
    r = run_cli("trend", "deepfake", "--index", site["index"], "--output", str(tr))
    assert json.loads(tr.read_text()) and f"to {tr}" in r.stderr
    ex = tmp_path / "all.csv"
    r = run_cli("export", "--index", site["index"], "--output", str(ex))
    assert ex.read_text().startswith("id,") and f"to {ex} (csv)" in r.stderr


def test_output_into_a_missing_folder_is_one_line_and_exit_2(site, tmp_path):
    for command in (["timeline", "Telegram"], ["trend", "deepfake"], ["export"]):
        target = tmp_path / "no-such-dir" / "out.csv"
        r = run_cli(*command, "--index", site["index"], "--output", str(target), check=False)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, (command, r.stderr)
        assert "no-such-dir" in r.stderr and not target.parent.exists()


def test_serve_on_a_busy_port_is_one_line_naming_it(tmp_path):
    import socket
    index = f"sqlite:///{tmp_path}/i.db"
    from index import open_index
    open_index(index, create=True).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = run_cli("serve", "--index", index, "--port", str(port), "--state", str(tmp_path / "web.db"),
                    check=False, timeout=60)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "--port N" in lines[0] and "PORT=N" in lines[0]


def test_make_serve_passes_port_on(tmp_path):
    """`make serve PORT=…` reaches `policywatch serve --port` (make -n: the command, not run)."""
    import subprocess
    from conftest import ROOT
    r = subprocess.run(["make", "-n", "serve", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "serve --port 8123" in r.stdout
