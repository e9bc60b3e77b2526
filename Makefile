# The ISP suite: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: run test stop lint bench setup

## install Debian packages + the venv (idempotent), start the local PostgreSQL
setup:
	@scripts/setup.sh
	@scripts/pg.sh start

## demo database with every isp_* addon; Odoo on 127.0.0.1:8069; prints logins
run: setup
	@$(PY) scripts/run.py

## every addon's tests + tests/ + lint; last line "N passed, N failed"
test:
	@was_running=0; scripts/pg.sh status >/dev/null 2>&1 && was_running=1; \
	scripts/setup.sh && scripts/pg.sh start || exit 1; \
	$(PY) scripts/runtests.py $(ARGS); rc=$$?; \
	if [ $$was_running = 0 ]; then scripts/pg.sh stop >/dev/null; fi; \
	exit $$rc

## stop Odoo, FreeRADIUS and PostgreSQL started by this project
stop:
	@scripts/stop.sh

lint: setup
	@scripts/lint.sh

bench: setup
	@$(PY) bench/run.py
