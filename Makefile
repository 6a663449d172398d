# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test test-fast test-browser bench eval-fit lock clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/scout demo

test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# The HTML report in headless Chromium (tests/browser), installing Debian's chromium and its
# chromedriver first when they are missing; `make test` runs them too when they are installed.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test-browser: install
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		$(SUDO) apt-get install -y chromium chromium-driver || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver; }; fi
	$(BIN)/python -m pytest -m browser -rs tests/browser

# Everything but the tests that start Prefect, a subprocess or a browser (marked slow in tests/conftest.py).
test-fast: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not slow" -n 2

# Benchmarks are not tests: they print timings and assert nothing about them.
BENCH_ARGS ?= --creators 100000 --posts 3000000
bench: install
	$(BIN)/python bench/bench_transforms.py $(BENCH_ARGS)
	$(BIN)/python bench/bench_classify.py
	$(BIN)/python bench/bench_rescore.py
	$(BIN)/python bench/bench_match.py
	$(BIN)/python bench/bench_match_input.py
	$(BIN)/python bench/bench_discover.py

# Evaluations on the labelled dev data beside the checkout (../shared/datasets, read at run time).
eval-fit: install
	$(BIN)/python bench/eval_fit.py

# Regenerate constraints.txt from a clean resolve of pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet "pip>=24" && .lockenv/bin/python -m pip install --quiet ".[test]"
	.lockenv/bin/python -m pip freeze --exclude creator-scout | grep -v '^-e' > constraints.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build *.egg-info
