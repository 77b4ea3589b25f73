# Family Hub helper. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
BIN := $(VENV)/bin
RASA := $(abspath $(RASA_VENV))/bin/rasa
# Rasa as the server runs it: its command line with rasa_addons.runtime installed first.
RASA_SERVER := $(abspath $(RASA_VENV))/bin/python -m rasa_addons
FAMILYHUB := $(BIN)/familyhub
LOCALES := locales
LANGS := so tr

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- set-up ---------------------------------------------------------------

.PHONY: install
install: $(VENV)/.installed $(RASA_VENV)/.installed i18n-compile ## Create both virtual environments (fast when nothing changed)

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed for .venv: set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev,postgres]'
	touch $@

# Rasa and its pins, the test tools of rasa_addons, then rasa_addons itself (editable): our code
# that Rasa loads from bot/endpoints.yml and runs as `python -m rasa_addons run`.
$(RASA_VENV)/.installed: requirements/rasa.txt requirements/rasa-test.txt rasa_addons/pyproject.toml
	test -x $(RASA_VENV)/bin/python || "$$(scripts/find-python310)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.txt
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check -c requirements/rasa.txt -r requirements/rasa-test.txt
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e ./rasa_addons
	touch $@

.PHONY: system-deps
system-deps: ## Install the Debian packages we need, when missing: chromium (browser tests), gettext (msgfmt checks the catalogs as Poedit does), ffmpeg (voice notes), espeak-ng (read-aloud), PostgreSQL and Redis (throwaway test servers), systemd-analyze (checks deploy/'s units)
	@missing=""; \
	  test -x /usr/bin/chromium || missing="$$missing chromium"; \
	  test -x /usr/bin/msgfmt || missing="$$missing gettext"; \
	  command -v ffmpeg >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	  command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	  command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -ne 0 ]; then \
	      echo "Debian packages needed:$$missing: run 'sudo make system-deps'."; exit 1; \
	    fi; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	  fi

.PHONY: lock
lock: ## Re-pin every dependency after changing pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	$(BIN)/pip freeze --exclude-editable > requirements/constraints.txt

# --- the assistant ----------------------------------------------------------

.PHONY: train
train: install ## Train the Rasa model (skipped when data and config are unchanged)
	$(FAMILYHUB) train

.PHONY: run
run: install ## Start the whole service: web chat on http://127.0.0.1:8000 (voice notes need `make system-deps`)
	$(FAMILYHUB) run

.PHONY: validate
validate: install ## Check the Rasa data and the services directory
	cd bot && $(RASA) data validate --fail-on-warnings --domain domain --data data --config config.yml
	$(FAMILYHUB) directory validate

.PHONY: test-stories
test-stories: train ## Run the Rasa story tests (bot/tests/test_*.yml)
	cd bot && $(RASA_SERVER) test core --stories tests --fail-on-prediction-errors --model models --out ../var/results/stories

.PHONY: eval
eval: train ## Language identification and the NLU model on held-out messages per language, and the safety net on its dev split (fails below target)
	$(BIN)/python -m bot.evaluation
	$(BIN)/python -m bot.safety_evaluation --split dev

.PHONY: eval-safety-test
eval-safety-test: train ## The safety net on its two test splits; test2 is blind: never tune on it (docs/safety.md)
	$(BIN)/python -m bot.safety_evaluation --split test
	$(BIN)/python -m bot.safety_evaluation --split test2

# --- quality ----------------------------------------------------------------

.PHONY: lint
lint: install ## Ruff lint and format check, and the import layers (docs/internals.md#layers)
	$(BIN)/ruff check bot tests bench rasa_addons
	$(BIN)/ruff format --check bot tests bench rasa_addons
	$(BIN)/lint-imports --no-cache --no-logo

.PHONY: typecheck
typecheck: install ## Mypy on our code
	$(BIN)/mypy

.PHONY: unit
unit: install ## Fast tests only (no Rasa server, no browser)
	$(BIN)/pytest -m "not integration and not browser"

.PHONY: test-rasa-addons
test-rasa-addons: install ## Tests of rasa_addons (our code inside Rasa), in .venv-rasa
	cd rasa_addons && ../$(RASA_VENV)/bin/python -m pytest -q

.PHONY: test
test: install system-deps lint typecheck validate test-rasa-addons test-stories eval ## Every check and every test
	$(BIN)/pytest

.PHONY: audit
audit: install ## Known vulnerabilities in both environments (pip-audit; needs PyPI's advisory data)
	scripts/audit

.PHONY: bench
bench: train ## Print the benchmark figures; deep fuzzing; a 30-minute soak; heavier fault rounds
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/detect.py
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/chat.py
	$(BIN)/python bench/handoff.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/scale.py
	HYPOTHESIS_PROFILE=deep $(BIN)/pytest -q tests/fuzz
	FUZZ_API_EXAMPLES=300 $(BIN)/pytest -q tests/integration/test_fuzz_api.py
	$(BIN)/python bench/soak.py --minutes 30
	$(BIN)/python bench/faults.py

# --- translations -----------------------------------------------------------

.PHONY: i18n-extract
i18n-extract: $(VENV)/.installed ## Extract every user-facing string into locales/messages.pot
	$(BIN)/pybabel extract --no-location --sort-by-file --add-comments=Translators: -F babel.cfg -k translate:2 -k N_ -o $(LOCALES)/messages.pot --project "Family Hub helper" .

.PHONY: i18n-update
i18n-update: i18n-extract ## Merge new strings into the Somali and Turkish catalogs
	for lang in $(LANGS); do \
	  if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
	  else $(BIN)/pybabel init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; fi; \
	done

.PHONY: i18n-compile
i18n-compile: $(VENV)/.installed ## Compile the catalogs (.po to .mo)
	@if ls $(LOCALES)/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel compile --statistics -d $(LOCALES) 2>&1 | tail -n 3; fi

.PHONY: clean
clean: ## Remove models, databases and caches (keeps the virtual environments)
	rm -rf bot/models var .pytest_cache .mypy_cache .ruff_cache
