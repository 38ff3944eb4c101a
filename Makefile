# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint audit translations clean

$(VENV)/.installed-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(BIN)/pip install -q -e '.[test]'
	touch $@

## Set up, load the demo centre into SQLite under var/, serve on http://127.0.0.1:8000.
run: $(VENV)/.installed-run
	$(BIN)/xuanpin init
	$(BIN)/xuanpin demo --if-empty
	$(BIN)/xuanpin serve

## Set up with the test extras, lint, and run every test.
test: $(VENV)/.installed-test lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Look up every installed package in PyPI's advisory database (needs pypi.org).
audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --skip-editable --progress-spinner off

## Extract messages, merge them into the zh-CN catalogue, and compile it.
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o var/messages.pot store_api kiosk shelf_labels
	$(BIN)/pybabel update -i var/messages.pot -d store_api/translations -l zh_Hans_CN --no-fuzzy-matching
	$(BIN)/pybabel compile -d store_api/translations

clean:
	rm -rf $(VENV) var build dist *.egg-info
