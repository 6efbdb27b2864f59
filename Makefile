# The two commands of the README. Both build .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3

.PHONY: demo test venv lint clean

demo:
	$(PYTHON) scripts/bootstrap.py
	.venv/bin/awas demo

# ARGS go to pytest, e.g. make test ARGS=--clock=2026-12-31T17:30:00+00:00 (see the README).
test:
	$(PYTHON) scripts/run_tests.py $(ARGS)

venv:
	$(PYTHON) scripts/bootstrap.py --test

clean:
	rm -rf .venv var test-artifacts
