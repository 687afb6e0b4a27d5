# keyprojects — two commands set everything up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3
PG_URL ?= postgres://postgres@127.0.0.1:5432/keyprojects
TEST_ENV := KEYPROJECTS_DATA_DIR=$(CURDIR)/var/test KEYPROJECTS_FAST_HASHER=1 KEYPROJECTS_TODAY=2024-04-01

.PHONY: demo test install assets system-packages lint typecheck test-sqlite test-postgres bench serve clean

## make demo: install, build assets, migrate the embedded SQLite database, load the demo data, serve on :$(PORT)
demo: install assets
	KEYPROJECTS_DATA_DIR=$(CURDIR)/var $(VENV)/bin/keyprojects demo --port $(PORT)

## make test: ruff, mypy, then the whole suite on SQLite and, when reachable, on PostgreSQL
test: install assets system-packages lint typecheck test-sqlite test-postgres

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

assets: node_modules/.installed src/keyprojects/static/vendor/htmx.min.js
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
src/keyprojects/static/vendor/htmx.min.js: node_modules/.installed scripts/build_assets.sh
	bash scripts/build_assets.sh

# Browser tests need Debian's chromium and a CJK font (without it every Chinese character is a box); the bulletin's
# rendering test needs LibreOffice (DOCX → PDF) and poppler-utils (PDF → text and PNG).
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils
system-packages:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && command -v soffice >/dev/null \
	  && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "installing $(SYSTEM_PACKAGES) (Debian packages)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "Browser and rendering tests need: sudo apt-get install -y $(SYSTEM_PACKAGES)"; exit 1; fi

lint:
	$(VENV)/bin/ruff check src tests bench scripts

typecheck:
	$(VENV)/bin/mypy

test-sqlite:
	$(TEST_ENV) $(VENV)/bin/pytest

# PostgreSQL: CI's machine always has it on 127.0.0.1:5432; start the cluster if it is down and we may.
test-postgres:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ "$$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; sleep 2; fi
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "== suite on PostgreSQL =="; $(TEST_ENV) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"; fi

## make bench: benchmarks, printing figures
# Each benchmark runs on SQLite (a file in var/bench) and, when PostgreSQL answers, again on PostgreSQL.
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/keyprojects_bench
bench: install assets
	@for f in bench/bench_*.py; do \
	  echo "== $$f (SQLite)"; KEYPROJECTS_DATA_DIR=$(CURDIR)/var/bench $(PY) $$f || exit 1; \
	  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	    echo "== $$f (PostgreSQL)"; KEYPROJECTS_DATA_DIR=$(CURDIR)/var/bench DATABASE_URL=$(PG_BENCH_URL) $(PY) $$f || exit 1; fi; \
	done

serve: install assets
	KEYPROJECTS_DATA_DIR=$(CURDIR)/var $(VENV)/bin/keyprojects serve --port $(PORT)

clean:
	rm -rf var/test var/bench test-artifacts

-include mk/*.mk
