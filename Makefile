# 党建工作平台 — the single entry point for building, testing and running. CI (.ci/run) calls these targets.
SWIFT ?= swift
PYTHON ?= .venv/bin/python

.PHONY: build test e2e run demo release fmt clean

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

release:
	$(SWIFT) build -c release

clean:
	rm -rf .build data/demo.sqlite*
