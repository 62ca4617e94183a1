"""docs/existing-cluster.md as written: its local OpenSearch block runs against the stock node
(POLICYWATCH_OS_URL), its table names exactly what the backend creates, and its credential rules
hold (an API key is refused by OpenSearch with one line)."""
from __future__ import annotations

import re
import shlex

import pytest

from conftest import FAST_CRAWL, ROOT, collection, drop, require_cluster, run_cli
from index.elastic.client import Client
from index.elastic.leases import Leases
from index.elastic.state import CrawlState

DOC = (ROOT / "docs" / "existing-cluster.md").read_text(encoding="utf-8")
LOCAL = "http://127.0.0.1:9250/policywatch-articles"


def doc_block() -> list[list[str]]:
    """The `policywatch …` lines of the block the doc says this file runs."""
    block = DOC.split("tests/test_existing_cluster_doc.py runs this block", 1)[1].split("```sh\n", 1)[1].split("```")[0]
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("policywatch ")]


def test_the_doc_lists_every_index_the_backend_creates():
    client = Client(["http://127.0.0.1:1"])          # never contacted
    made = CrawlState(client, "NAME", scan=None).indices() + [Leases(client, "NAME").index]
    listed = set(re.findall(r"`(NAME[.-][a-z0-9]+)`", DOC))
    assert set(made) <= listed, f"not in the doc: {set(made) - listed}"
    assert {"NAME-v1", "NAME-v2"} <= listed and "composable index template" in DOC


@pytest.mark.opensearch
def test_the_local_opensearch_block_runs_as_written(site, tmp_path):
    url = collection("opensearch", "pw-test-doc")
    lines = doc_block()
    assert [line[0] for line in lines] == ["crawl", "search", "trend", "reindex", "copy", "stats"]
    try:
        for args in lines:
            args = [a.replace(LOCAL, url).replace("sqlite:///data/", f"sqlite:///{tmp_path}/")
                    .replace("crawler/sources.yaml", str(site["sources"])) for a in args]
            done = run_cli(*args, *(FAST_CRAWL if args[0] == "crawl" else ()))
            if args[0] == "search":
                assert "matching articles" in done.stderr
            if args[0] == "stats":
                assert "38" in done.stdout
        assert (tmp_path / "from-opensearch.db").is_file()
    finally:
        drop(url)


@pytest.mark.opensearch
def test_an_api_key_against_opensearch_is_one_line_and_exit_2():
    url = f"{require_cluster('opensearch')}/pw-test-never-made"
    done = run_cli("search", "telegram", "--index", url, "--es-api-key", "KEY", check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "policywatch: OpenSearch has no API keys: drop --es-api-key (POLICYWATCH_ES_API_KEY) and put "
        "user:password in the index URL"]
