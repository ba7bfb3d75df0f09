# Arms Talks. `make run` serves the site as a school would run it; `make test` runs the whole suite.
# PostgreSQL comes from DATABASE_URL when it is set, else an embedded server under var/.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
WORKERS ?= 4
export XDG_RUNTIME_DIR ?= $(CURDIR)/var/run

.PHONY: install setup run dev cluster servers test screenshots lint bench browser lighthouse clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed
	@mkdir -p -m 700 var/run && chmod 700 var/run

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# Migrate, collect static files, load the content (never overwriting edits), demo accounts (DEMO_ACCOUNTS=0: none).
setup: install var/secret_key
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_content
	$(MANAGE) create_demo_accounts

run: setup
	@echo "Arms Talks at http://127.0.0.1:$(PORT)/  (admin at /admin/)"
	DJANGO_SETTINGS_MODULE=arms_talks_site.settings.production \
	SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS="127.0.0.1,localhost" SECURE_SSL=0 \
	TRUSTED_PROXIES=127.0.0.1 $(BIN)/granian --interface wsgi arms_talks_site.wsgi:application \
		--host 127.0.0.1 --port $(PORT) --workers $(WORKERS) --http1-header-read-timeout 10000 --access-log

# nginx on CLUSTER_PORT (8080) in front of two app servers (8081, 8082) on one database and one Redis
# (REDIS_URL, else Debian's redis-server under var/cluster/): arms_talks_site/cluster.py. Ctrl-C stops it all.
CLUSTER_PORT ?= 8080
cluster: setup servers
	$(BIN)/python -m arms_talks_site.cluster --port $(CLUSTER_PORT)

# Debian's nginx and redis-server for `make cluster` and its tests (tests/cluster), installed when missing and root.
servers:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq nginx >/dev/null; } || \
		echo "nginx is missing: install Debian's nginx package to run make cluster and its tests"
	@command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq redis-server >/dev/null; } || \
		echo "redis-server is missing: install Debian's redis-server package (make cluster: or set REDIS_URL)"

dev: setup
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium is missing: install Debian's chromium package to run the browser tests"

# The W3C Nu HTML Checker (vnu.jar) for the HTML validity test: from package-lock.json, only when missing.
node_modules/vnu-jar/build/dist/vnu.jar: package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq npm >/dev/null; }
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq default-jre-headless >/dev/null; } || true
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test: install browser servers node_modules/vnu-jar/build/dist/vnu.jar
	$(MANAGE) check --settings=arms_talks_site.settings.test
	$(MANAGE) makemigrations --check --dry-run --settings=arms_talks_site.settings.test -v0
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(PYTEST_ARGS)

# The README's screenshots in docs/screenshots, remade from the real site (`make test` writes them to a temporary dir).
screenshots: install browser
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_screenshots.py -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

bench: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# Lighthouse accessibility of the public pages, mobile and desktop, against a running site (`make run` elsewhere).
lighthouse: browser
	$(BIN)/python bench/lighthouse.py $(SITE)

clean:
	rm -rf $(VENV) staticfiles
