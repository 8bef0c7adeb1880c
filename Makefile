# Russia-China military cooperation: a Jupyter Book course.
# Two commands matter:  make book   and   make test.  Each sets itself up.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000
SUBMISSIONS ?= submissions
OUT    ?= grades.csv
# NO_SANDBOX=1 grades without bubblewrap (every row then says so): see exercises/README.md
NO_SANDBOX ?=
# Class editions (instructors/assessment.md): CLASS=name builds/grades that class's edition;
# ROSTER=roster.csv one edition per student; VERDICTS=1 checks that say correct / not correct
# (default for a class: hints only); SECRET=path the instructor's secret file (default
# $$COURSE_EDITION_SECRET_FILE, else ~/.config/course-editions/secret, created on first use).
CLASS ?=
ROSTER ?=
VERDICTS ?=
SECRET ?=
CLASS_ARGS = $(if $(CLASS),--class "$(CLASS)") $(if $(ROSTER),--roster "$(ROSTER)")
EDITION_ARGS = $(CLASS_ARGS) $(if $(VERDICTS),--verdicts) $(if $(SECRET),--secret "$(SECRET)")
# Pages and tests run offline: nothing may reach the network at build time.
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: help setup book lite serve test lab exercises grade lock clean data data-page execute

help:
	@echo "make book    build the HTML book and its in-browser JupyterLite site (sets up .venv first)"
	@echo "make test    run the whole test suite (builds what it needs)"
	@echo "make execute re-execute chapters whose stored outputs are out of date"
	@echo "make data    rebuild the tables in data/ from data/raw/, datapackage.json and the data page"
	@echo "make serve   serve the built book on http://127.0.0.1:$(PORT)"
	@echo "make lab     open the course in JupyterLab"
	@echo "make exercises   generate student notebooks and autograder zips (the public edition)"
	@echo "make exercises CLASS=name [ROSTER=roster.csv] [VERDICTS=1] [SECRET=path]   a class's private edition"
	@echo "                 (and one per student): exercises/classes/name/, never published"
	@echo "make grade SUBMISSIONS=dir [OUT=grades.csv] [CLASS=name [ROSTER=roster.csv]]   grade a folder of submissions (needs bubblewrap)"
	@echo "make instructor-kit [CLASS=name [ROSTER=roster.csv]]   answer keys (of that class's edition): dist/"
	@echo "make pdf     the whole book as one PDF: dist/book.pdf [PAPER=letter]"
	@echo "make handouts START=2027-01-12 DAY=Tue [SKIP=2027-03-16,...]   syllabus, guides, worksheets, role-play pack: dist/handouts/"
	@echo "make system-deps   install the Debian packages the browser tests and PDFs need (sudo)"

# --- environment -----------------------------------------------------------
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP)

# Two locks: the full one (requirements.txt, everything make needs) and the
# learners' runtime (requirements/runtime.txt), constrained to the same versions.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in -o requirements.txt --python-version 3.11
	$(BIN)/uv pip compile requirements/runtime.in -c requirements.txt -o requirements/runtime.txt --python-version 3.11

# --- book ------------------------------------------------------------------
# The public edition (what the book links to) always; a class's edition too with CLASS=.
exercises: $(STAMP)
	$(BIN)/python -m course_grading assign
	$(if $(CLASS)$(ROSTER)$(VERDICTS),$(BIN)/python -m course_grading assign $(EDITION_ARGS))

# The chapter entries (chapters/NN_slug.yml) regenerate _toc.yml, the objectives page and
# the study table, and are checked against everything they name (quiet when all is well).
# The book, then the chapters' reveal.js decks published with it (_build/html/slides/).
book: $(STAMP) exercises
	@$(BIN)/python -m course_book.chapters
	@$(BIN)/python -m course_book.notebooks --stale
	$(BIN)/jupyter-book build . -W --keep-going
	@$(BIN)/python -m course_book.colab _build/colab
	$(BIN)/python -m course_book.slides --out $(HTML)/slides
	$(BIN)/python -m course_book.lite $(if $(PYODIDE_ARCHIVE),--pyodide-archive "$(PYODIDE_ARCHIVE)")
	@echo
	@echo "Book built. Open $(CURDIR)/$(HTML)/index.html  (or: make serve)"

# The course in the browser (JupyterLite, Pyodide): _build/html/lite. make book runs it.
# Its files come from the npm registry and PyPI (no npm needed), pinned in requirements/lite.toml, cached in
# ~/.cache/rucn-course/lite (LITE_CACHE); PYODIDE_ARCHIVE=pyodide-0.27.7.tar.bz2 takes
# the package builds from the official release archive instead.
PYODIDE_ARCHIVE ?=
lite: $(STAMP) exercises
	$(BIN)/python -m course_book.lite $(if $(PYODIDE_ARCHIVE),--pyodide-archive "$(PYODIDE_ARCHIVE)")

serve: $(STAMP)
	@test -f $(HTML)/index.html || { echo "No built book in $(HTML): run 'make book' first."; exit 1; }
	@echo "Serving http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

# Re-execute the chapters whose stored outputs are out of date (what the book publishes).
execute: $(STAMP)
	$(BIN)/python -m course_book.notebooks --stale --execute

lab: $(STAMP) exercises
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)"

# Every table in data/ but the hand-kept scenarios and developments, from the raw inputs in
# data/raw/ (their terms: data/raw/README.md), then datapackage.json and the data page.
# A table whose raw file is missing is skipped with a message and keeps its committed version.
# First the map's land outline (course/views/land_110m.json) from bqplot's Natural Earth file.
data: $(STAMP)
	$(BIN)/python data/build/land_topology.py
	$(BIN)/python data/build/make_data.py; status=$$?; \
	  $(BIN)/python -m course_book.datadoc || exit 1; \
	  test $$status -eq 0 || { echo "make data: some tables were not rebuilt (see above)"; exit $$status; }

data-page: $(STAMP)
	$(BIN)/python -m course_book.datadoc

# --- grading ---------------------------------------------------------------
# Each notebook runs in a bubblewrap sandbox (Linux: apt-get install bubblewrap).
grade: $(STAMP) exercises
	$(BIN)/python -m course_grading grade "$(SUBMISSIONS)" --out "$(OUT)" $(if $(NO_SANDBOX),--no-sandbox) $(CLASS_ARGS)

# --- tests -----------------------------------------------------------------
# Unit, data, grading, built-book, browser and JupyterLab tests, plus every
# chapter through nbval against its stored outputs (tests/test_grading.py runs
# the exercise masters through nbval). nbval needs --dist loadfile: the default
# distribution splits one notebook across kernels.
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
test: book
	$(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL) tests chapters

clean:
	rm -rf _build exercises/autograder .pytest_cache

# --- offline bundle and page speed (issue 10) -----------------------------------
.PHONY: bundle pagespeed bench
bundle: book
	$(BIN)/python -m course_book.bundle

# Lighthouse (npm, pinned in benchmarks/package-lock.json) in Debian's Chromium,
# the site served by nginx with gzip (apt-get install nginx-light chromium).
pagespeed: $(STAMP)
	@test -f $(HTML)/index.html || { echo "No built book in $(HTML): run 'make book' first."; exit 1; }
	@test -x benchmarks/node_modules/.bin/lighthouse || npm ci --prefix benchmarks --no-audit --no-fund
	$(BIN)/python benchmarks/pagespeed.py --html $(HTML)

# --- instructors (issue 9) ---------------------------------------------------
.PHONY: instructor-kit slides links handouts pdf system-deps
# Dates for the syllabus (make handouts, make instructor-kit): first session, weekday(s), days off.
START ?=
DAY ?=
SKIP ?=
DATES = --start "$(START)" --day "$(DAY)" --skip "$(SKIP)"
# Answer keys and private handouts, instructors only: dist/instructor-kit.zip (dist/ is gitignored, never published).
instructor-kit: $(STAMP) exercises
	$(BIN)/python -m course_instructor.kit build $(DATES) $(CLASS_ARGS) $(if $(SECRET),--secret "$(SECRET)")

# reveal.js decks from the chapter notebooks, every asset served locally: _build/slides/
# (make book also publishes them with the site, in _build/html/slides/)
slides: $(STAMP)
	$(BIN)/python -m course_book.slides

# Printable handouts, A4 and US Letter PDFs and HTML: dist/handouts/ (private parts included: not for students).
handouts: $(STAMP)
	$(BIN)/python -m course_instructor.handouts $(DATES)

# The whole book as one PDF, from the built HTML: dist/book.pdf (PAPER=a4 or letter).
PAPER ?= a4
pdf: book
	$(BIN)/python -m course_book.pdf --paper "$(PAPER)"

# Debian packages for the browser tests and the PDFs (Chromium, poppler, the fonts); .ci/run installs the same.
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-noto-cjk bubblewrap
system-deps:
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)

# nbgitpuller (JupyterHub), Binder and Colab links:  make links HUB=https://hub.example.edu [BRANCH=classroom]
HUB ?=
BRANCH ?=
links: $(STAMP) exercises
	@test -n "$(HUB)" || { echo "Give your hub's address: make links HUB=https://hub.example.edu"; exit 2; }
	$(BIN)/python -m course_instructor.links --hub "$(HUB)" $(if $(BRANCH),--branch "$(BRANCH)")

# Build, notebook, test, grading and size benchmarks (about 40 minutes; not part of make test).
bench: $(STAMP) exercises
	$(BIN)/python benchmarks/bench.py
