# 党建工作平台 — the single entry point for building, testing and running. CI (.ci/run) calls these targets.
SWIFT ?= swift
PYTHON ?= .venv/bin/python

.PHONY: build test e2e run demo release fmt lint clean

build:
	$(SWIFT) build

## The README's test command: every Swift test (SQLite always; PostgreSQL too when DANGJIAN_TEST_POSTGRES_URL is set).
test:
	$(SWIFT) test

## End-to-end: real browser (Chromium + Selenium), SIGKILL crash harness, backup/restore CLI round trip.
e2e: build
	cd e2e && ../$(PYTHON) -m pytest -q -s

## Run the server on the SQLite default with demo data.
run demo:
	$(SWIFT) run dangjian serve --demo

## Formatting by the checked-in .swift-format (line length 150): `make fmt` rewrites in place, `make lint` checks (CI).
fmt:
	$(SWIFT) format format --in-place --recursive Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

release:
	$(SWIFT) build -c release

clean:
	rm -rf .build data/demo.sqlite*
