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


def test_several_files_give_what_each_gives_alone_in_their_order(tmp_path):
    """Several pages run on the crawl's worker processes; each page's result, entities included,
    is the one a run on that page alone gives, printed in the command line's order."""
    pages = sorted(FIXTURES.glob("*.html"))[:4]
    files = []
    for p in pages:
        (tmp_path / p.name).write_bytes(p.read_bytes())
        files.append(str(tmp_path / p.name))
    together = [json.loads(line) for line in run_cli("extract", *files, "--format", "jsonl").stdout.splitlines()]
    assert [r.pop("file") for r in together] == files
    alone = [json.loads(run_cli("extract", f, "--format", "json").stdout) for f in files[:2]]
    assert together[:2] == alone
    assert any(r["entities"] for r in together)


def test_a_page_that_fails_is_one_counted_line_and_the_others_still_print(tmp_path):
    from conftest import free_port
    pages = sorted(FIXTURES.glob("*.html"))[:2]
    files = [str(p) for p in pages]
    gone = f"http://127.0.0.1:{free_port()}/story.html"          # nothing listens there
    result = run_cli("extract", files[0], gone, files[1], "--format", "jsonl", "--no-nlp", check=False)
    assert result.returncode == 1
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == files
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("policywatch: ") and "127.0.0.1" in line and "Traceback" not in result.stderr
