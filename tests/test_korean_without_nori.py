"""A cluster without the analysis-nori plugin (issue 23): the collection is made with Korean as
CJK bigrams, one warning says what is lost and how to get it back, stats and status say which
Korean analysis the index has, Hangul words still find Korean articles, and a template the
cluster refuses is one line (exit 2 in the CLI).

Runs on a real node without nori: POLICYWATCH_ES_NO_NORI_URL (e.g. ES_NORI=false ES_PORT=9211
scripts/es-start), else POLICYWATCH_ES_URL when that node has no nori (OpenSearch without the plugin),
else the Elasticsearch 9 node (POLICYWATCH_ES9_URL, `make es9-start`: never has nori); skipped when
none is such a node."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid

import pytest
from elasticsearch import ApiError

from conftest import ES9_URL, ES_URL, OS_URL, run_cli
from index import SearchRequest, open_index, parse
from index.elastic.client import Client
from index.elastic.schema import CJK, NORI, load_template
from test_korean_search import CORPUS

pytestmark = pytest.mark.es


def has_nori(url: str) -> bool | None:
    """True/False for a node that answers, None for no node."""
    probe = urllib.request.Request(f"{url.rstrip('/')}/_analyze", method="POST",
                                   data=json.dumps({"tokenizer": "nori_tokenizer", "text": "한국어"}).encode(),
                                   headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(probe, timeout=5).read()
        return True
    except urllib.error.HTTPError:
        return False
    except OSError:
        return None


@pytest.fixture(scope="module")
def node():
    # the Elasticsearch 9 node (make es9-start) and the stock OpenSearch node (make os-start) have no nori
    candidates = [u for u in (os.environ.get("POLICYWATCH_ES_NO_NORI_URL"), ES_URL, ES9_URL, OS_URL) if u]
    for url in candidates:
        if has_nori(url) is False:
            return url.rstrip("/")
    pytest.skip(f"no node without analysis-nori among {candidates}: start one with "
                "ES_NORI=false ES_PORT=9211 scripts/es-start and set POLICYWATCH_ES_NO_NORI_URL")


@pytest.fixture
def collection(node):
    url = f"{node}/pw-test-{uuid.uuid4().hex[:10]}"
    yield url
    ix = open_index(url)
    ix.drop()
    ix.close()


def ids(ix, q):
    return {h.id for h in ix.search(SearchRequest(parse(q), limit=100)).hits}


def test_korean_is_indexed_as_bigrams_with_one_warning(collection, caplog):
    ix = open_index(collection)
    with caplog.at_level("WARNING"):
        assert ix.write(CORPUS[:2]).new == 2
        assert ix.write(CORPUS[2:]).new == len(CORPUS) - 2
        ix.refresh()
        again = open_index(collection)
        assert again.korean() == CJK
        again.close()
    warnings = [r.getMessage() for r in caplog.records if "analysis-nori" in r.getMessage()]
    assert len(warnings) == 1
    assert "particle" in warnings[0] and "install analysis-nori on every node" in warnings[0] \
        and "policywatch reindex" in warnings[0]
    name = collection.rsplit("/", 1)[1]
    client = Client([collection.rsplit("/", 1)[0]])
    spec = next(iter(client.indices.get(index=name).body.values()))
    assert spec["mappings"]["_meta"]["korean_analysis"] == CJK
    assert spec["mappings"]["properties"]["body_ko"]["analyzer"] == "pw_korean_cjk"
    assert "pw_korean" not in spec["settings"]["index"]["analysis"]["analyzer"]
    client.close()
    assert ix.stats()["korean_analysis"] == "cjk bigrams (analysis-nori not installed)"
    # Hangul words still find Korean articles, in their particle forms; phrases and prefixes too
    assert ids(ix, "딥페이크") == {"k1", "k2", "k3"}              # 딥페이크, 딥페이크가, 딥페이크를
    assert ids(ix, "경찰청") == {"k2", "k4"}                      # inside 경기남부경찰청 too
    assert ids(ix, '"딥페이크 유포"') == {"k1"} and ids(ix, '"삭제 딥페이크"') == set()
    assert ids(ix, "딥페*") == ids(ix, "딥페이*") == {"k1", "k2", "k3"}
    assert ids(ix, "딥페이크를") == {"k2"}                        # what is lost: the particle stays
    assert ids(ix, "telegram") == {"e1"}                          # English as everywhere
    snippet = next(h.snippet for h in ix.search(SearchRequest(parse("딥페이크"), limit=10)).hits if h.id == "k2")
    assert "<mark>딥페이크</mark>가" in snippet
    # a reindex on the same cluster stays on bigrams, still finding them
    assert ix.reindex().new_index == f"{name}-v2"
    moved = open_index(collection)
    assert ids(moved, "딥페이크") == {"k1", "k2", "k3"}
    moved.close()
    ix.close()


def sqlite_with(tmp_path, articles) -> str:
    """A SQLite index holding `articles`, for the CLI to copy from."""
    source = f"sqlite:///{tmp_path}/ko.db"
    ix = open_index(source)
    ix.write(articles)
    ix.close()
    return source


def test_stats_and_status_say_which_korean_analysis(collection, tmp_path):
    source = sqlite_with(tmp_path, CORPUS)
    copied = run_cli("copy", "--from", source, "--to", collection)
    assert len([l for l in copied.stderr.splitlines() if "analysis-nori" in l]) == 1      # one warning
    assert "Traceback" not in copied.stderr
    stats = json.loads(run_cli("stats", "--index", collection).stdout)
    assert stats["korean_analysis"] == "cjk bigrams (analysis-nori not installed)"
    status = run_cli("status", "--index", collection)
    assert "korean analysis: cjk bigrams (analysis-nori not installed)" in status.stderr
    assert json.loads(run_cli("stats", "--index", source).stdout)["korean_analysis"] == "kiwipiepy stems"


def test_a_template_the_cluster_refuses_is_one_line(node, collection):
    """The nori template put on this node is refused; the refusal becomes one line naming the
    missing part, where it comes from and the fix."""
    client = Client([node])
    spec = load_template(NORI)
    spec.update(index_patterns=["pw-refused-*"])
    with pytest.raises(ApiError) as refused:
        client.indices.put_index_template(name=f"pw-refused-{uuid.uuid4().hex[:6]}", **spec)
    client.close()
    ix = open_index(collection)
    line = str(ix.refused(refused.value, "index template"))
    ix.close()
    assert "\n" not in line and line.startswith(collection)
    assert "analysis-nori" in line and "[nori_" in line and "policywatch reindex" in line
    assert "BadRequestError" not in line


def test_a_refused_template_exits_2_in_one_line(node, tmp_path):
    """A real refusal through the CLI: a collection NAME whose template the cluster cannot take
    because another template of the same index pattern and priority exists (a refusal that is
    not about analysis): one line, exit 2, no traceback."""
    name = f"pw-test-{uuid.uuid4().hex[:10]}"
    client = Client([node])
    client.indices.put_index_template(name=f"{name}-rival", index_patterns=[f"{name}-v*"], priority=200 + len(name))
    try:
        result = run_cli("copy", "--from", sqlite_with(tmp_path, CORPUS[:1]), "--to", f"{node}/{name}", check=False)
    finally:
        client.indices.delete_index_template(name=f"{name}-rival")
        client.close()
    assert result.returncode == 2, result.stderr
    errors = [l for l in result.stderr.strip().splitlines() if "analysis-nori" not in l]
    assert len(errors) == 1 and "refused PolicyWatch's index template" in errors[0]
    assert "Traceback" not in result.stderr and "BadRequestError" not in result.stderr
