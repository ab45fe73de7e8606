# Registrar Online: `make run` serves the whole service on http://localhost:8000 with the
# embedded defaults; `make test` installs what the tests need and runs the whole suite.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test venv test-venv assets messages migrate demo lint format bench clean system-packages test-services stop-test-services

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt
	touch $@

# Test photos of faces (tests/face_photos.py): the test folder of this source package, kept as
# downloaded inside the virtual environment, never in the repository.
TEST_FACES := $(VENV)/share/test-faces/face_recognition-1.3.0.tar.gz

$(TEST_FACES): $(VENV)/bin/activate
	$(PIP) download -q --no-deps --no-binary :all: --dest $(dir $@) face-recognition==1.3.0

# The test tools, and the benchmarks' own (locust: a test runs the locustfile so it cannot rot).
$(VENV)/.test-installed: requirements.txt requirements-test.txt requirements-bench.txt $(VENV)/.installed $(TEST_FACES)
	$(PIP) install -q -r requirements-bench.txt
	touch $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.test-installed

system-packages:
	./scripts/install-system-packages.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend from npm, compiled with our brand settings into build/static.
assets: node_modules/.installed
	npm run --silent build

messages: $(VENV)/.installed
	if ls config/locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=build --ignore=var -v 0; fi

migrate: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py migrate --no-input -v 0

# Entries in the generated historic register (certificates index). 1,000,000 took about 5
# minutes the first time on SQLite (5-10 on PostgreSQL) on a busy 2-core machine; later runs
# skip what is loaded. `make run HISTORIC_SIZE=100000` starts in well under a minute.
HISTORIC_SIZE ?= 1000000

demo: migrate
	$(PY) manage.py load_demo_data
	$(PY) manage.py load_booking_demo_data
	$(PY) manage.py load_marriage_demo_data
	$(PY) manage.py load_citizenship_demo_data
	$(PY) manage.py load_inquest_demo_data
	$(PY) manage.py load_reregistration_demo_data
	$(PY) manage.py load_stillbirth_demo_data
	$(PY) manage.py create_signing_key
	$(PY) manage.py load_historic_register --size $(HISTORIC_SIZE)

run: system-packages venv assets messages demo
	./scripts/run-dev.sh

test: export CELERY_TASK_ALWAYS_EAGER = false
test:
	./scripts/install-system-packages.sh test
	$(MAKE) test-venv assets messages
	./scripts/run-tests.sh

lint: test-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: test-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: test-venv
	$(PY) bench/run.py

clean:
	rm -rf build var node_modules .pytest_cache
