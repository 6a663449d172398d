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

# Two pytest workers (pytest-xdist), one per core of the CI machine: the suite in about 8 minutes
# instead of 12; each worker starts its own Prefect test harness once. PYTEST_WORKERS=0: serial.
PYTEST_WORKERS ?= 2
test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

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
	$(BIN)/python -m pytest -m "not slow" -n $(PYTEST_WORKERS)

# Benchmarks are not tests: they print timings and assert nothing about them. One table at the
# end (bench/table.py); BENCH_ARGS=--quick for smaller sizes, --only STEP... for some of them.
BENCH_ARGS ?=
bench: install
	$(BIN)/python bench/table.py $(BENCH_ARGS)

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
