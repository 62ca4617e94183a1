"""Shared fixtures: index backends (SQLite always; Elasticsearch when a node answers) and the
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
# the Elasticsearch 9 node (`make es9-start`): no nori, so Korean goes the CJK-bigram way there
ES9_URL = os.environ.get("POLICYWATCH_ES9_URL", "http://127.0.0.1:9260")
IN_CI = os.environ.get("CI", "").lower() == "true"


def es_available(url: str = ES_URL) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status == 200
    except OSError:
        return False


def require_es(url: str = ES_URL, start: str = "make es-start", variable: str = "POLICYWATCH_ES_URL"):
    if es_available(url):
        return
    message = (f"no Elasticsearch node at {url}: run `{start}`, or point {variable} "
               "at a running cluster (http://user:pass@host:9200)")
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


# the Elasticsearch nodes: base URL, how to start one, the variable that points elsewhere
ES_NODES = {"elasticsearch": (ES_URL, "make es-start", "POLICYWATCH_ES_URL"),
            "elasticsearch9": (ES9_URL, "make es9-start", "POLICYWATCH_ES9_URL")}
# as the params of a fixture: a test that takes one runs on each node
ES_PARAMS = [pytest.param("elasticsearch", marks=pytest.mark.es),
             pytest.param("elasticsearch9", marks=(pytest.mark.es, pytest.mark.es9))]


def es_node(kind: str) -> str:
    """The base URL of the node of this kind ("elasticsearch" or "elasticsearch9"); skips the test
    with the reason when none answers (fails it in CI)."""
    url, start, variable = ES_NODES[kind]
    require_es(url, start, variable)
    return url.rstrip("/")


@pytest.fixture(params=["sqlite", *ES_PARAMS])
def index_url(request, tmp_path):
    """An empty index URL for each backend; Elasticsearch collections get a unique alias."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/index.db"
        return
    url = es_node(request.param)
    name = f"pw-test-{uuid.uuid4().hex[:10]}"
    yield f"{url.rstrip('/')}/{name}"
    from index import open_index
    index = open_index(f"{url.rstrip('/')}/{name}")
    index.drop()
    index.close()


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
