# Two commands do all set-up on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB := output/plans.duckdb
DEBIAN_PACKAGES := fonts-dejavu-core poppler-utils tesseract-ocr tesseract-ocr-swe chromium
CORPUS_STAMP := corpus/pdf/.built
CORPUS_INPUTS := $(wildcard corpus/builder/*.py corpus/sources/*.txt)
# Generated reports with gold, rendered once and committed (`make generated` renders them again, with
# reportlab, Chromium and LibreOffice): a development range and a range held apart.
GENERATED_RANGES := dev held

.PHONY: run test eval bench corpus generated system clean help

help:
	@echo "make run    - install, build the corpus, extract it into $(DB), print the summary"
	@echo "make test   - install, build the corpus, run the tests"
	@echo "make eval   - compare the warehouse with corpus/gold/, and score the generated reports and scanned copies"
	@echo "make bench  - measure pages per second against pdfplumber's own parse"

system:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:" $$missing "(install them with apt-get as root)"; fi; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) --no-print-directory system
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

$(CORPUS_STAMP): $(STAMP) $(CORPUS_INPUTS)
	$(PY) -m corpus.builder
	touch $(CORPUS_STAMP)

corpus: $(CORPUS_STAMP)

generated: $(STAMP)
	@command -v soffice >/dev/null || { echo "make generated needs LibreOffice: apt-get install libreoffice-writer-nogui"; exit 1; }
	$(PY) -m corpus.generator

run: $(CORPUS_STAMP)
	$(VENV)/bin/plans extract corpus/pdf --db $(DB)

test: $(CORPUS_STAMP)
	$(PY) -m pytest

eval: run
	$(VENV)/bin/plans eval --db $(DB) --gold corpus/gold
	@for range in $(GENERATED_RANGES); do \
	  $(VENV)/bin/plans extract corpus/generated/$$range/pdf --db output/generated-$$range.duckdb > /dev/null || exit 1; \
	  echo; echo "==== generated reports, $$range range (corpus/generated/$$range)"; \
	  $(VENV)/bin/plans eval --db output/generated-$$range.duckdb --gold corpus/generated/$$range/gold \
	    | sed -n '/^Totals/,/^Statuses/p' || exit 1; \
	  $(PY) -m corpus.generator.summary output/generated-$$range.duckdb corpus/generated/$$range/gold || exit 1; \
	done
	$(PY) -m corpus.generator.scan > /dev/null
	@for set in corpus dev held; do \
	  rm -f output/scans-$$set.duckdb; \
	  $(VENV)/bin/plans extract output/scans/$$set/pdf --db output/scans-$$set.duckdb > /dev/null || exit 1; \
	  echo; echo "==== scanned copies, $$set set (output/scans/$$set: 200 dpi, skewed, blurred, JPEG; every fourth grey)"; \
	  $(VENV)/bin/plans eval --db output/scans-$$set.duckdb --gold output/scans/$$set/gold \
	    | sed -n '/^Totals/,/^Statuses/p' || exit 1; \
	done
	$(PY) -m extract.evaluation.repair --ocr

bench: $(CORPUS_STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) corpus/pdf $(DB)
