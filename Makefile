# A fresh machine needs only Python 3.11: `make demo` and `make test` install everything else.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Datasets are looked up in $GANLIB_DATA_DIR, then data/ (the committed samples), then ganlib's
# cache, then downloaded (ganlib/data/locate.py). Where the real copies sit beside the repository
# (../shared/data), the tests use them; without them, the tests that need a full set are skipped.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)),)
export GANLIB_DATA_DIR ?= $(SHARED_DATA)
endif

.PHONY: install demo test test-full-data lint format sync bench clean browser

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The main job: train the sharma Fashion-MNIST DCGAN on the 3,000 committed sample images.
demo: install
	$(PY) -m ganlib train sharma_fashion_mnist --dataset fashion_mnist_sample --epochs 5 \
		--run-dir runs/demo --overwrite

# The caches a test could fill (ganlib's, Keras', TFDS', matplotlib's) live in a temporary folder
# removed afterwards: nothing is written outside the repository, nothing found from earlier runs.
test: lint browser
	@caches=$$(mktemp -d) && \
	export GANLIB_CACHE_DIR=$$caches/ganlib KERAS_HOME=$$caches/keras \
		TFDS_DATA_DIR=$$caches/tensorflow_datasets MPLCONFIGDIR=$$caches/matplotlib && \
	$(PY) -m pytest -q -rs tests && \
	GANLIB_QUICK=1 $(PY) -m pytest -q --nbval-lax notebooks/*.ipynb; \
	status=$$?; rm -rf "$$caches"; exit $$status

# Only the tests that need a full dataset (the ones `make test` skips without one), which must then
# all run: CI's second pass, beside ../shared.
test-full-data: install
	@caches=$$(mktemp -d) && \
	export GANLIB_CACHE_DIR=$$caches/ganlib KERAS_HOME=$$caches/keras \
		TFDS_DATA_DIR=$$caches/tensorflow_datasets MPLCONFIGDIR=$$caches/matplotlib && \
	$(PY) -m pytest -q -rs -m full_data tests | tee $$caches/out; \
	status=$${PIPESTATUS[0]}; skipped=$$(grep -c "^SKIPPED" $$caches/out); rm -rf "$$caches"; \
	if [ $$status = 0 ] && [ $$skipped != 0 ]; then \
		echo "error: $$skipped full-data tests skipped: is GANLIB_DATA_DIR (or ../shared/data) complete?"; \
		exit 1; fi; exit $$status

# Debian's chromium, which tests/test_browser.py opens the epoch browser page in (Playwright's own
# browser download is not used). Only root can install it; otherwise, or if the install fails,
# this says how and the test skips, so that `make test` still runs everything else.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update && apt-get install -y --no-install-recommends chromium) || \
			echo "make browser: could not install chromium; tests/test_browser.py's browser test will skip."; \
		else \
			echo "make browser: chromium is missing; install it with 'sudo make browser' (or 'sudo apt-get install chromium') for tests/test_browser.py's browser test, which skips without it."; \
		fi; }

lint: install
	$(PY) -m ruff check ganlib tests notebooks bench tools
	$(PY) -m ruff format --check ganlib tests

format: install
	$(PY) -m ruff check --fix ganlib tests notebooks bench tools
	$(PY) -m ruff format ganlib tests

# Each notebook's source is notebooks/NAME.py (jupytext percent format), paired with NAME.ipynb,
# which keeps the outputs. After editing a .py, this brings its .ipynb up to date (outputs kept).
sync: install
	for source in $(filter-out notebooks/conftest.py,$(wildcard notebooks/*.py)); do \
		$(PY) -m jupytext --to ipynb --update --quiet $$source; done

# Training speed against a hand-written TF step and PyTorch eager (about an hour on 2 CPU cores;
# see bench/README.md). Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--presets small".
BENCH_ARGS ?=
bench: install
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/train_speed.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
