"""A sources file with a wrong type or value anywhere is refused before crawling: one line naming
the source and the field, exit 2 (issue 11, item 8)."""
from __future__ import annotations

import pytest

from conftest import run_cli
from ingest.sources import SourcesError, load_sources

GOOD = {"name": "'outlet'", "feeds": "['https://news.example.org/feed.xml']"}
CASES = {
    "name: 123": ({"name": "123"}, "field name"),
    "feeds: [123]": ({"feeds": "[123]"}, "field feeds"),
    "max_listing_pages: many": ({"max_listing_pages": "many"}, "field max_listing_pages"),
    "a file:// start URL": ({"start_urls": "['file:///etc/passwd']"}, "field start_urls"),
    "timezone: Mars/Base": ({"timezone": "Mars/Base"}, "field timezone"),
    "schedule: every tuesday": ({"schedule": "every tuesday"}, "field schedule"),
    "enabled: maybe": ({"enabled": "maybe"}, "field enabled"),
}


def write(tmp_path, fields: dict) -> str:
    entry = {**GOOD, **fields}
    lines = ["sources:"] + [f"  {'- ' if i == 0 else '  '}{k}: {v}" for i, (k, v) in enumerate(entry.items())]
    path = tmp_path / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_good_entry_loads(tmp_path):
    [source] = load_sources(write(tmp_path, {"timezone": "Asia/Seoul", "schedule": "'*/30 * * * *'",
                                             "max_listing_pages": "0"}))
    assert source.name == "outlet" and source.timezone == "Asia/Seoul" and source.max_listing_pages == 0


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_field_is_refused_naming_the_source_and_field(tmp_path, case):
    fields, where = CASES[case]
    with pytest.raises(SourcesError, match=where):
        load_sources(write(tmp_path, fields))


@pytest.mark.parametrize("case", ["name: 123", "a file:// start URL", "timezone: Mars/Base", "schedule: every tuesday"])
def test_the_crawl_command_says_it_in_one_line_and_exits_2(tmp_path, case):
    fields, where = CASES[case]
    r = run_cli("crawl", "--sources", write(tmp_path, fields), "--index", f"sqlite:///{tmp_path}/i.db", check=False)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and where in r.stderr, r.stderr
    assert not (tmp_path / "i.db").exists()


def test_a_binary_file_is_not_a_sources_file(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    r = run_cli("crawl", "--sources", str(path), "--index", f"sqlite:///{tmp_path}/i.db", check=False)
    assert r.returncode == 2 and r.stderr.strip() == f"policywatch: {path} is not a text file (a sources file is UTF-8 YAML)"
