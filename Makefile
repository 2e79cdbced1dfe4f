# Set-up and the two everyday commands: `make demo` (main job on the 2024 demo data) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UT     ?= ut

.PHONY: demo test test-rask lint golden skjema bench setup libreoffice clean

demo: $(STAMP) libreoffice
	$(BIN)/kalk-excel demo --ut $(UT)

test: $(STAMP) libreoffice
	$(BIN)/python -m pytest -q

# The fast loop: every test that does not start LibreOffice (tests/conftest.py marks those).
test-rask: $(STAMP)
	$(BIN)/python -m pytest -q -m "not libreoffice"

# ruff (pyflakes, pycodestyle errors, isort, bugbear) and mypy, configured in pyproject.toml; CI runs it first.
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# Rewrite the golden layout files (tests/golden/) after a deliberate layout change; review the diff.
golden: $(STAMP)
	$(BIN)/python -m kalk_excel.golden --aar 2024

skjema: $(STAMP)
	$(BIN)/python build_workbooks.py --aar 2024 --ut $(UT)/skjema

setup: $(STAMP) libreoffice

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

# LibreOffice is the headless spreadsheet engine (recalculation); python3-uno lets a test drive it like a user;
# poppler-utils (pdftotext) lets the print test measure the text on each printed page; Carlito is the
# metric-compatible stand-in for the workbooks' Calibri, so LibreOffice paginates as Excel does. From Debian's packages.
libreoffice:
	@{ command -v soffice >/dev/null 2>&1 && dpkg -s python3-uno >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && fc-list | grep -q Carlito; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libreoffice-calc-nogui python3-uno poppler-utils fonts-crosextra-carlito; }

clean:
	rm -rf $(VENV) $(UT) .pytest_cache
