"""Collections of outlets: read from the sources file, resolved when a query is read (never
stored on articles), so an edit to the file applies to what is already indexed."""
from __future__ import annotations

import json

import pytest

from ingest.sources import SourcesError, collections, load_sources
from index import open_index

from conftest import run_cli
from test_index_contract import CORPUS


def sources_file(path, groups: dict[str, list[str]]):
    lines = ["sources:"]
    for name, member_of in groups.items():
        lines += [f"  - name: {name}", f"    feeds: [https://{name}.example/rss.xml]",
                  f"    collections: [{', '.join(member_of)}]"]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_collections_come_from_every_source_enabled_or_not(tmp_path):
    path = sources_file(tmp_path / "s.yaml", {"yonhap": ["korea", "wire"], "dmr": ["tech"]})
    path.write_text(path.read_text() + "  - name: koreaherald\n    feeds: [https://kh.example/rss]\n"
                    "    collections: korea\n    enabled: false\n")
    assert collections(load_sources(path)) == {"korea": ["yonhap", "koreaherald"], "wire": ["yonhap"],
                                               "tech": ["dmr"]}


@pytest.mark.parametrize("value", ["[Korea]", "[korea, 'e u']", "{a: b}", "[[korea]]"])
def test_bad_collection_names_get_a_clear_message(tmp_path, value):
    path = tmp_path / "s.yaml"
    path.write_text(f"sources:\n  - name: yonhap\n    feeds: [https://y.example/rss]\n    collections: {value}\n")
    with pytest.raises(SourcesError, match="source 'yonhap', field collections: .* is not a list of names"):
        load_sources(path)


def test_editing_a_collection_applies_to_articles_already_indexed(tmp_path):
    index = f"sqlite:///{tmp_path}/index.db"
    ix = open_index(index)
    ix.write(CORPUS)
    ix.close()
    before = sources_file(tmp_path / "before.yaml", {"yonhap": ["korea"], "dmr": ["tech"], "koreaherald": ["tech"]})
    after = sources_file(tmp_path / "after.yaml", {"yonhap": ["korea"], "dmr": ["tech"], "koreaherald": ["korea"]})

    def found(sources):
        out = run_cli("search", "collection:korea telegram OR collection:korea lang:ko", "--index", index,
                      "--sources", str(sources), "--format", "json").stdout
        return {h["id"] for h in json.loads(out)}
    assert found(before) == {"a1", "a2"}
    assert found(after) == {"a1", "a2", "a9"}                  # no reindex: the file is read per query


def test_an_unknown_collection_or_a_broken_sources_file_is_bad_usage(tmp_path):
    index = f"sqlite:///{tmp_path}/index.db"
    sources = sources_file(tmp_path / "s.yaml", {"yonhap": ["korea"]})
    result = run_cli("search", "collection:eu", "--index", index, "--sources", str(sources), check=False)
    assert result.returncode == 2 and "unknown collection 'eu'" in result.stderr
    result = run_cli("trend", "collection:korea", "--index", index, "--sources", str(tmp_path / "missing.yaml"),
                     check=False)
    assert result.returncode == 2 and "cannot read sources file" in result.stderr and "Traceback" not in result.stderr
