# The two commands of the README. Both build .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3

.PHONY: demo test venv lint clean

demo:
	$(PYTHON) scripts/bootstrap.py
	.venv/bin/awas demo

test:
	$(PYTHON) scripts/run_tests.py

venv:
	$(PYTHON) scripts/bootstrap.py --test

clean:
	rm -rf .venv var test-artifacts
