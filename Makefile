# A fresh machine needs only Python 3.11: `make demo` and `make test` install everything else.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Real datasets live beside the repository (../shared/data) where available; tests never download.
SHARED_DATA := $(abspath ../shared/data)
export GANLIB_DATA_DIR ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),)

.PHONY: install demo test lint format bench clean

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

test: lint
	$(PY) -m pytest -q tests
	GANLIB_QUICK=1 $(PY) -m pytest -q --nbval-lax notebooks

lint: install
	$(PY) -m ruff check ganlib tests
	$(PY) -m ruff format --check ganlib tests

format: install
	$(PY) -m ruff check --fix ganlib tests
	$(PY) -m ruff format ganlib tests

# Training speed against a hand-written TF step and PyTorch eager (about an hour on 2 CPU cores;
# see bench/README.md). Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--presets small".
BENCH_ARGS ?=
bench: install
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/train_speed.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
