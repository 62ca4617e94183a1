"""Shared fixtures: index backends (SQLite always; Elasticsearch and OpenSearch when a node answers) and the
sample newsroom served over real HTTP."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ES_URL = os.environ.get("POLICYWATCH_ES_URL", "http://127.0.0.1:9200")
# `make test` starts a stock OpenSearch node here (scripts/os-start) and sets the variable
OS_URL = os.environ.get("POLICYWATCH_OS_URL", "http://127.0.0.1:9250")
# the Elasticsearch 9 node (`make es9-start`): no nori, so Korean goes the CJK-bigram way there
ES9_URL = os.environ.get("POLICYWATCH_ES9_URL", "http://127.0.0.1:9260")
IN_CI = os.environ.get("CI", "").lower() == "true"

# the cluster backends: base URL, how to start a node, the variable that points elsewhere, and
# what its GET / calls its distribution
CLUSTERS = {"elasticsearch": (ES_URL, "make es-start", "POLICYWATCH_ES_URL", "elasticsearch"),
            "elasticsearch9": (ES9_URL, "make es9-start", "POLICYWATCH_ES9_URL", "elasticsearch"),
            "opensearch": (OS_URL, "make os-start", "POLICYWATCH_OS_URL", "opensearch")}
# the Elasticsearch kinds, as the params of a fixture (the tests of our own node's _reindex & co.)
ES_PARAMS = [pytest.param("elasticsearch", marks=pytest.mark.es),
             pytest.param("elasticsearch9", marks=(pytest.mark.es, pytest.mark.es9))]
# every backend, as the params of a fixture: a test that takes one runs on each
BACKENDS = ["sqlite", *ES_PARAMS, pytest.param("opensearch", marks=pytest.mark.opensearch)]


def _distribution(url: str) -> str | None:
    """"elasticsearch" or "opensearch" for the node answering at url, None when none answers."""
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            version = json.load(r).get("version") or {}
    except (OSError, ValueError):
        return None
    return version.get("distribution") or "elasticsearch"


def es_available(url: str = ES_URL) -> bool:
    return _distribution(url) is not None


def require_cluster(kind: str) -> str:
    """The base URL of a node of this kind (a key of CLUSTERS); skips the test with the reason when
    none answers (fails it in CI, where `make test` starts each kind)."""
    url, start, variable, distribution = CLUSTERS[kind]
    found = _distribution(url)
    if found == distribution:
        return url.rstrip("/")
    name = "OpenSearch" if distribution == "opensearch" else "Elasticsearch"
    message = (f"no {name} node at {url}: run `{start}`, or point {variable} at a running cluster "
               "(http://user:pass@host:port)" if found is None else f"the node at {url} is {found}, not {kind}")
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_es():
    require_cluster("elasticsearch")


es_node = require_cluster            # the Elasticsearch kinds' tests (test_index_maintenance) say it so


def collection(kind: str, prefix: str = "pw-test") -> str:
    """A fresh collection URL on the node of this kind (skips when there is none)."""
    return f"{require_cluster(kind)}/{prefix}-{uuid.uuid4().hex[:10]}"


def drop(url: str) -> None:
    from index import open_index
    index = open_index(url)
    index.drop()
    index.close()


@pytest.fixture(params=BACKENDS)
def index_url(request, tmp_path):
    """An empty index URL for each backend; cluster collections get a unique alias."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/index.db"
        return
    url = collection(request.param)
    yield url
    drop(url)


# Crawl locks of the test run's own: a developer's scheduler crawling "yonhap" in this checkout
# must not make the tests' crawls of the sample "yonhap" skip.
LOCK_DIR = tempfile.mkdtemp(prefix="policywatch-test-locks-")


def run_cli(*args: str, check: bool = True, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The real `policywatch` command in a subprocess (a crawl owns its process's reactor)."""
    result = subprocess.run([sys.executable, "-m", "policywatch.cli", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout,
                            env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"policywatch {' '.join(args)} exited {result.returncode}\n"
                             f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def free_port() -> int:
    """A local TCP port nothing listens on now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAST_CRAWL = ("--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_BACKOFF_BASE=0.1")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The sample newsroom, crawled once (with NLP) into a SQLite index shared by the e2e tests."""
    from newsroom import corpus, sources_yaml, start
    tmp = tmp_path_factory.mktemp("newsroom")
    newsroom = start()
    sources = tmp / "sources.yaml"
    sources.write_text(sources_yaml(newsroom.urls))
    index = f"sqlite:///{tmp}/index.db"
    first = run_cli("crawl", "--sources", str(sources), "--index", index, "--format", "json", *FAST_CRAWL)
    yield {"newsroom": newsroom, "sources": sources, "index": index, "first": json.loads(first.stdout),
           "truth": corpus.articles(urls=newsroom.urls), "special": corpus.special_pages(urls=newsroom.urls)}
    newsroom.stop()


@pytest.fixture(scope="session")
def stored(site):
    """The crawled articles by URL path."""
    from urllib.parse import urlsplit
    from index import open_index, parse
    ix = open_index(site["index"])
    articles = {urlsplit(a.url).path: a for a in ix.export(parse(""))}
    ix.close()
    return articles
