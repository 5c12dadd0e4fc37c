# Akari — one command to run, one to test. Everything else is set up on the way.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
HVENV       := .venv-handoff
HPY         := $(HVENV)/bin/python
HSTAMP      := $(HVENV)/.installed
RASA        := $(VENV)/bin/rasa
STAMP       := $(VENV)/.installed
MODEL_STAMP := bot/models/.data-hash
DATA_FILES  := config.yml domain.yml $(shell find bot/data -name '*.yml' -not -path '*/risk/*' 2>/dev/null | sort)  # risk/ is the risk score's, not Rasa's
RASA_PORT   ?= 5005
ACTION_PORT ?= 5055
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false

.PHONY: help setup train refit run test test-fast test-js browser evaluate lint validate directory clean shell transcripts

help:
	@echo "make run       set up, train if needed, start the action server and Rasa (REST + HTTP API)"
	@echo "make test      set up, train if needed, run every test"
	@echo "make transcripts  the transcript gallery in docs/transcripts/ (real stack)"
	@echo "make test-fast pure and in-process tests only (no Rasa servers, no browser): under a minute"
	@echo "make train     retrain the model when data or config changed"
	@echo "make refit     refit the risk score and its threshold on the trained model (after every retraining)"
	@echo "make evaluate  evaluate on tests/cases/heldout.yml (report + JSON + confusion matrix)"
	@echo "make lint      ruff + rasa data validate"

# --- environment -----------------------------------------------------------
$(STAMP): requirements/bot.txt
	@bash scripts/find-python310.sh > /dev/null
	@test -x $(PY) || $$(bash scripts/find-python310.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements/bot.txt
	@touch $@

$(HSTAMP): requirements/handoff.txt
	@test -x $(HPY) || $$(bash scripts/find-python-handoff.sh) -m venv $(HVENV)
	$(HPY) -m pip install --quiet -r requirements/handoff.txt
	@touch $@

setup: $(STAMP) $(HSTAMP)

# --- model -----------------------------------------------------------------
# Retrain when the data or config changed (content hash, not timestamps:
# a fresh clone has new mtimes but the same data).
train: $(STAMP)
	@hash=$$(cat $(DATA_FILES) | sha256sum | cut -c1-16); \
	if [ -f $(MODEL_STAMP) ] && [ "$$(cat $(MODEL_STAMP))" = "$$hash" ] && ls bot/models/*.tar.gz >/dev/null 2>&1; then \
	  echo "model is up to date ($$hash)"; \
	else \
	  echo "training model ($$hash)…"; \
	  rm -f bot/models/*.tar.gz; \
	  $(RASA) train --config config.yml --domain domain.yml --data bot/data --out bot/models --fixed-model-name akari --quiet && \
	  echo $$hash > $(MODEL_STAMP); \
	fi

# The risk score is fitted on the trained model's intent rankings (docs/risk.md): after every retraining,
# rebuild its cache, refit it and re-choose the threshold on the dev files and retired lockboxes.
THRESHOLD_CASES := $(addprefix tests/cases/real/,dev.yml dev2.yml dev3.yml lockbox.yml lockbox2.yml) tests/cases/dev.yml
refit: train
	rm -f bot/data/risk/rankings.json results/risk_case_rankings.json
	$(PY) scripts/fit_risk.py build
	$(PY) scripts/fit_risk.py cache bot/data/risk/examples.yml
	$(PY) scripts/fit_risk.py cache $(THRESHOLD_CASES) tests/cases/blind.yml tests/cases/heldout.yml --out results/risk_case_rankings.json
	$(PY) scripts/fit_risk.py fit
	$(PY) scripts/fit_risk.py threshold $(THRESHOLD_CASES)

# --- run -------------------------------------------------------------------
run: train $(HSTAMP)
	@bash scripts/run.sh

# --- checks ----------------------------------------------------------------
lint: $(STAMP)
	$(VENV)/bin/ruff check bot handoff tests scripts bench
	$(RASA) data validate --config config.yml --domain domain.yml --data bot/data

validate: $(STAMP)
	$(RASA) data validate --config config.yml --domain domain.yml --data bot/data

directory: $(STAMP)
	$(PY) -m bot.support.build ../shared/resources-tokyo.yml

evaluate: train
	$(PY) -m bot.evaluate tests/cases/heldout.yml --json results/heldout.json --plot results/heldout-confusion.png

test: train $(HSTAMP) browser
	$(VENV)/bin/ruff check bot handoff tests scripts bench
	$(RASA) data validate --config config.yml --domain domain.yml --data bot/data
	$(RASA) test core --stories tests/stories --model bot/models --endpoints endpoints.yml --out results/core --fail-on-prediction-errors
	$(MAKE) --no-print-directory test-js
	$(PY) -m pytest tests/bot
	$(HPY) -m pytest tests/handoff

# Pure and in-process tests: no trained model, no Rasa servers, no browser (a Redis is started if none answers).
test-fast: $(STAMP) $(HSTAMP)
	$(VENV)/bin/ruff check bot handoff tests scripts bench
	$(MAKE) --no-print-directory test-js
	$(PY) -m pytest tests/bot -m "not servers" -q
	$(HPY) -m pytest tests/handoff -m "not servers" -q

test-js:
	node --test tests/js/

# The transcript gallery: every scenario through the real stack, written turn by turn to docs/transcripts/.
transcripts: train $(HSTAMP)
	AKARI_TRANSCRIPTS=$(CURDIR)/docs/transcripts $(HPY) -m pytest tests/handoff/test_transcripts.py -q
	$(HPY) scripts/transcripts_index.py docs/transcripts tests/handoff/scenarios/scenarios.yml

# Debian's chromium and CJK fonts for the browser tests, installed when missing.
browser:
	@bash scripts/ensure-browser.sh > /dev/null

clean:
	rm -rf results bot/models/*.tar.gz $(MODEL_STAMP)

# Chat in the terminal (starts its own action server).
shell: train
	@SANIC_HOST=127.0.0.1 $(RASA) run actions --actions bot.actions --port $(ACTION_PORT) > /dev/null 2>&1 & \
	trap "kill $$!" EXIT; $(RASA) shell --model bot/models --endpoints endpoints.yml
