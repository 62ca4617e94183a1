"""`policywatch extract FILE... --urls MAP.tsv --format jsonl`: many saved pages in one run, each
with the URL it came from, so evaluating a thousand pages pays the start-up once."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"


def test_many_files_in_one_run_with_their_urls(tmp_path):
    pages = sorted(FIXTURES.glob("*.html"))[:3]
    truths = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in pages]
    url_map = tmp_path / "urls.tsv"
    url_map.write_text("# file<TAB>url\n" + "".join(f"{p.name}\t{t['url']}\n" for p, t in zip(pages[:2], truths)),
                       encoding="utf-8")
    for p in pages:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    files = [str(tmp_path / p.name) for p in pages]
    out = run_cli("extract", *files, "--urls", str(url_map), "--format", "jsonl", "--no-nlp").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in rows] == files
    assert [r["url"] for r in rows[:2]] == [t["url"] for t in truths[:2]]
    assert rows[2]["url"] == (tmp_path / pages[2].name).as_uri()        # not in the map
    assert [r["title"] for r in rows] == [t["title"] for t in truths]


def test_bad_url_map_is_a_one_line_usage_error(tmp_path):
    page = sorted(FIXTURES.glob("*.html"))[0]
    bad = tmp_path / "urls.tsv"
    bad.write_text(f"{page} not-a-url\n", encoding="utf-8")
    result = run_cli("extract", str(page), "--urls", str(bad), "--format", "jsonl", check=False)
    assert result.returncode == 2 and "line 1" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    missing = run_cli("extract", str(page), str(tmp_path / "nope.html"), check=False)
    assert missing.returncode == 2 and "nope.html" in missing.stderr and "Traceback" not in missing.stderr
    both = run_cli("extract", str(page), str(page), "--url", "https://x.example/a", check=False)
    assert both.returncode == 2 and "--url" in both.stderr
