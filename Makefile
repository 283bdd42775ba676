# Deux commandes pour un nouvel arrivant : `make run` (l'application) et `make test` (toute la suite).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installe

.PHONY: run run-multi test lint format bench referentiel chromium postgresql initialiser geocoder clean audit-accessibilite

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## Démarre l'application (crée la base DuckDB depuis data/acteurs.csv au premier lancement).
run: $(STAMP)
	$(PY) -m cartographie initialiser
	$(VENV)/bin/streamlit run app.py

## Plusieurs processus sur une base PostgreSQL derrière nginx (sessions collantes) :
## make run-multi PROCESSUS=2 PORT=8501 ; CARTOGRAPHIE_BASE=postgresql://… ou grappe locale var/postgresql.
PROCESSUS ?= 2
PORT ?= 8501
run-multi: $(STAMP) postgresql
	$(PY) scripts/lancer_plusieurs.py --processus $(PROCESSUS) --port $(PORT)

## Lance toute la suite : lint puis pytest (stockage et métier sur DuckDB puis sur un serveur
## PostgreSQL jetable). Les tests hors navigateur sur TRAVAUX processus, puis les tests dans
## Chromium un par un (en parallèle, la machine chargée les ferait échouer par délai).
TRAVAUX ?= 2
test: $(STAMP) chromium postgresql
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -m "not navigateur" -n $(TRAVAUX)
	$(PY) -m pytest -m navigateur

## Audit d'accessibilité (axe-core dans Chromium, pages publiques et DDFE, ordinateur et
## téléphone) : met à jour data/audit_accessibilite.json, cité par la page « Accessibilité ».
audit-accessibilite: $(STAMP) chromium
	AUDIT_ACCESSIBILITE_ECRIRE=1 $(PY) -m pytest -q tests/test_accessibilite.py

initialiser: $(STAMP)
	$(PY) -m cartographie initialiser

## Regéocode les fiches moins précises que l'adresse (BAN si CARTOGRAPHIE_GEOCODAGE_EN_LIGNE=oui).
geocoder: $(STAMP)
	$(PY) -m cartographie geocoder

chromium:
	bash scripts/installer_chromium.sh

postgresql:
	bash scripts/installer_postgresql.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Reconstruit data/isere_communes.geojson depuis ../shared/data/sources.
referentiel: $(STAMP)
	$(PY) scripts/construire_referentiel.py
	$(PY) scripts/construire_couche_communes.py

## Benchmarks (à la demande, hors suite de tests).
bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf var/ .pytest_cache .ruff_cache test-artifacts
