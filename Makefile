# INVERT: every set-up step lives here, so a fresh machine needs only `make demo` or `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
INVERT := $(VENV)/bin/invert
DEMO_DIR ?= demo-case
# Debian packages: PyICU is compiled against ICU (normality and rigour need it); WeasyPrint
# lays out PDF evidence packs with Pango and HarfBuzz; the Noto fonts and poppler (pdftotext)
# are for the PDF and its tests; Chromium is the browser the web workspace's browser tests drive
# (Playwright's own browser download is not used); Java runs the Spark engine. Node and npm come
# with the machine's nodejs.
DEBIAN_PACKAGES := libicu-dev pkg-config g++ libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  fonts-noto-core poppler-utils chromium openjdk-17-jre-headless

.PHONY: screenshots help setup system-packages demo test test-spark lint check bench bench-ingest bench-simulate bench-analyze bench-resolve bench-network bench-ads bench-evaluate bench-web bench-spark lock clean

help:
	@echo "make demo          install everything, build a demo workspace, print what it holds"
	@echo "make test          install everything and run the test suite"
	@echo "make test-spark    the Spark engine's contract tests (make test runs them too)"
	@echo "make lint          ruff"
	@echo "make bench         the whole pipeline (simulate to analyze) at sizes S, M and L"
	@echo "make bench-ingest  ingestion benchmark (20M CSV rows, 1M camt.053 entries)"
	@echo "make bench-simulate  simulator benchmark (sizes S, M and L)"
	@echo "make bench-analyze  indicator and scoring benchmark (sizes S, M and L)"
	@echo "make bench-resolve  entity-resolution benchmark (sizes M and L)"
	@echo "make bench-network  network and money-flow benchmark (sizes S, M and L)"
	@echo "make bench-ads      ads read and scored at 200k, clustered at 1M; cluster and ad quality"
	@echo "make bench-evaluate  detection quality at size M over seeds and profiles"
	@echo "make bench-spark    the heaviest indicators on Spark (local) against DuckDB, at M"
	@echo "make bench-web      20 users browsing the web workspace of an M case (after bench-evaluate)"

# Installs the Debian packages when running as root (CI, containers) or with passwordless sudo;
# elsewhere it only checks that they are present and says what to install.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "Please install the Debian packages: $$missing" >&2; exit 1; fi; \
	fi

$(VENV)/.installed: pyproject.toml requirements.lock | system-packages
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install -q uv
	$(UV) pip install -q --python $(PY) -r requirements.lock
	$(UV) pip install -q --python $(PY) --no-deps -e .
	touch $@

# The web workspace's browser libraries (Cytoscape.js, htmx), pinned in package-lock.json and
# served from node_modules; reinstalled when the lock is newer than the last install.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Re-resolve the pinned dependency set after editing pyproject.toml.
lock:
	test -x $(UV) || (python3 -m venv $(VENV) && $(PY) -m pip install -q uv)
	$(UV) pip compile -q pyproject.toml --extra dev -o requirements.lock

demo: setup
	rm -rf $(DEMO_DIR) $(DEMO_DIR)-region
	$(INVERT) simulate --size S --seed 1 --out $(DEMO_DIR)-region
	$(INVERT) init $(DEMO_DIR)
	$(INVERT) ingest $(DEMO_DIR) $(DEMO_DIR)-region
	$(INVERT) sources $(DEMO_DIR)
	$(INVERT) quarantine $(DEMO_DIR)
	$(INVERT) resolve run $(DEMO_DIR)
	$(INVERT) ads run $(DEMO_DIR)
	$(INVERT) network build $(DEMO_DIR)
	$(INVERT) analyze $(DEMO_DIR)
	$(INVERT) money $(DEMO_DIR) profit --top 5
	$(INVERT) leads $(DEMO_DIR) --subject company --top 10
	$(INVERT) leads $(DEMO_DIR) --subject person --top 10
	$(INVERT) leads $(DEMO_DIR) --subject child --top 5
	$(INVERT) leads $(DEMO_DIR) --subject ad --top 5
	$(INVERT) ads posters $(DEMO_DIR) --top 5
	$(INVERT) targets $(DEMO_DIR) --top 10
	$(INVERT) network communities $(DEMO_DIR) --top 5 --min-companies 2
	$(INVERT) evaluate $(DEMO_DIR) --truth $(DEMO_DIR)-region/truth
	@echo "Web workspace: http://127.0.0.1:8000 (the first login is printed below; Ctrl-C stops it)"
	$(INVERT) serve $(DEMO_DIR)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -m "not spark"
	$(MAKE) --no-print-directory test-spark

# The Spark engine against DuckDB: needs Java, starts Spark in local mode (a few minutes).
test-spark: setup
	$(VENV)/bin/pytest -q -m spark

lint: setup
	$(VENV)/bin/ruff check .

check: lint test

# Every stage of the demo at S, M and L; SIZES=S,M for a shorter run (L takes 20+ minutes).
bench: setup
	$(PY) bench/pipeline.py $(if $(SIZES),--sizes $(SIZES))

bench-ingest: setup
	$(PY) bench/ingest.py

# Needs the M case that `make bench` leaves (or CASE=PATH to another analysed case).
bench-spark: setup
	$(PY) bench/spark.py $(if $(CASE),--case $(CASE))

bench-simulate: setup
	$(PY) bench/simulate.py

bench-analyze: setup
	$(PY) bench/analyze.py

bench-resolve: setup
	$(PY) bench/resolve.py

bench-network: setup
	$(PY) bench/network.py

bench-ads: setup
	$(PY) bench/ads.py

bench-evaluate: setup
	$(PY) bench/evaluate.py

# Needs the analysed M case that bench-evaluate leaves (or CASE=PATH to another one).
bench-web: setup
	$(PY) bench/web.py $(if $(CASE),--case $(CASE))

clean:
	rm -rf $(DEMO_DIR) $(DEMO_DIR)-region .pytest_cache .ruff_cache .hypothesis bench/out

# The README's pictures of the web workspace, taken by the browser tests.
screenshots: setup
	INVERT_SCREENSHOTS=1 $(PY) -m pytest -q tests/web/test_browser.py
