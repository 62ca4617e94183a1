# PolicyWatch — the two commands a new user needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast serve es-start es-stop es9-start es9-stop os-start os-stop es-cluster es-cluster-stop chromium bench bench-real clean

install: $(STAMP)

# requirements.txt pins every package (a full freeze), so pip need not resolve: --no-deps, then
# `pip check` proves the set is whole. (pip 23's resolver crashes on lxml[html_clean] asked for
# under two spellings by trafilatura's and newspaper4k's dependencies.)
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/pip check
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The demo's newsroom listens on 127.0.0.1:$(DEMO_PORT) and the next port: fixed, so a second
# `make demo` finds the same articles. `make serve` starts it too, for the "original" links.
DEMO_PORT ?= 8765
# `make serve PORT=8080`: where the web UI listens.
PORT ?= 8000

demo: install
	$(BIN)/python -m policywatch.demo --port $(DEMO_PORT)

serve: install
	$(BIN)/python -m policywatch.demo --port $(DEMO_PORT) serve --port $(PORT)

# Every test, Elasticsearch 8 and 9, OpenSearch and browser ones included: scripts/test-run starts
# the node, the three-node cluster (node-loss and replica tests), the Elasticsearch 9 node and the
# stock OpenSearch node, runs pytest, and stops the nodes it started (a node you had started
# before is left running).
test: install chromium
	POLICYWATCH_ES_URL=$${POLICYWATCH_ES_URL:-http://127.0.0.1:9200} \
	  POLICYWATCH_ES9_URL=$${POLICYWATCH_ES9_URL:-http://127.0.0.1:9260} \
	  POLICYWATCH_OS_URL=$${POLICYWATCH_OS_URL:-http://127.0.0.1:9250} \
	  bash scripts/test-run $(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -q -m "not es and not opensearch and not browser"

es-start:
	bash scripts/es-start

es-stop:
	bash scripts/es-stop

# A stock OpenSearch 2.19 node on 127.0.0.1:9250 (OS_PORT), from Maven Central, none of our code in it.
os-start:
	bash scripts/os-start

os-stop:
	bash scripts/os-stop
# Elasticsearch 9.x on 9260, built into .es9/ (JDK 21+; no nori: the node of the CJK-bigram Korean path)
es9-start:
	ES_FLAVOR=9 bash scripts/es-start

es9-stop:
	ES_FLAVOR=9 bash scripts/es-stop

# Three nodes of one cluster on 9201-9203 (the same build as es-start).
es-cluster:
	bash scripts/es-cluster

es-cluster-stop:
	bash scripts/es-cluster stop

# Debian's chromium for the browser tests (Playwright's own browser download cannot work here),
# and a Korean font: without one Hangul renders as boxes (tests/test_web_browser.py looks).
chromium:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "could not install chromium: run 'sudo apt-get install chromium'"; exit 1; }; }
	@test -n "$$(fc-list :lang=ko 2>/dev/null)" || { echo "installing a Korean font (fonts-noto-cjk)…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
	  || { echo "could not install a Korean font: run 'sudo apt-get install fonts-noto-cjk'"; exit 1; }; }

# Every figure in docs/figures.md (Elasticsearch must be up: make es-start).
bench: install
	$(BIN)/python bench/extraction_eval.py
	$(BIN)/python bench/nlp_eval.py
	$(BIN)/python bench/korean_eval.py
	$(BIN)/python bench/crawl_rate.py --articles 1000
	$(BIN)/python bench/paths_rate.py
	$(BIN)/python bench/incremental.py --articles 1000
	$(BIN)/python bench/crawl_memory.py
	$(BIN)/python bench/index_bench.py --articles 50000

# Real pages in one run (issue 27): date signals beside htmldate and trafilatura, body F1 and lost
# pages per corpus beside the libraries, then the throughput of every ingest path.
bench-real: install
	$(BIN)/python bench/date_signals.py
	$(BIN)/python bench/extraction_eval.py --real
	$(BIN)/python bench/paths_rate.py

clean:
	rm -rf $(VENV) data .es .es9 .os build *.egg-info
