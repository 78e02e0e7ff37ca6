# Learn the Training Loop with PyTorch: every target sets up .venv on first use.
#   make book    build the site into _build/html (cell errors and Sphinx warnings fail it)
#   make test    lint, type-check, unit tests, lesson checks, nbval, build, site checks
#   make serve   preview the built site on http://127.0.0.1:8000
#   make golden  re-execute lessons into tests/golden/ (LESSONS="book/...md" for some)
#   make bench   execution time per lesson, build time and page weight
#   make portability  re-execute lessons under generic CPU kernels; list printed cells that change
#   make clean   remove the build output and caches

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
LESSONS ?=
BUILD_DIR ?= _build
# Deterministic, quiet builds: no user site-packages, matplotlib's inline backend.
export PYTHONNOUSERSITE := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# The Jupyter kernel with the course's pinned numerical environment (src/looplab/numerics.py),
# installed into .venv by tools/kernels.py; nbval, golden and bench execute lessons in it, and the
# site build maps the lessons' python3 kernel to it (_config.yml, nb_kernel_rgx_aliases).
KERNEL := looplab-pinned

.PHONY: book test lint unit nbval site serve golden bench portability link-terms numerics clean setup \
	tex pdf pdf-check

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml src/looplab/numerics.py tools/kernels.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m tools.kernels
	touch $@

# One line: whether the reference outputs (made on x86-64 with AVX2) can hold on this machine.
numerics: $(STAMP)
	@$(BIN)/python -c "from looplab.numerics import platform_note; print(platform_note())"

# jupyter-book writes to <path-output>/_build/html, so BUILD_DIR must end in "_build" and the
# build is given its parent: the site lands in $(BUILD_DIR)/html, where site and serve look.
# tools/execute.py first executes the lessons that have no cached run, one per core, into the
# execution cache the build reads; the build then takes every lesson from that cache.
book: $(STAMP)
	@test "$(notdir $(BUILD_DIR))" = _build || { echo "BUILD_DIR must end in _build"; exit 1; }
	$(BIN)/python -m tools.execute $(BUILD_DIR)/.jupyter_cache
	$(BIN)/jupyter-book build . --path-output $(dir $(BUILD_DIR)) -W -n --keep-going

# The PDF book, $(BUILD_DIR)/latex/book.pdf: the same executed lessons as the site (the same
# execution cache, so a lesson the site build executed is not executed again), through Sphinx's
# LaTeX builder and xelatex. TeX comes from Debian's packages (make tex, on first use: about
# 80 MB to download, 450 MB installed, a minute). A LaTeX error prints the end of book.log.
TEX_PACKAGES := texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	fonts-freefont-otf latexmk poppler-utils
LATEXMK := latexmk -pdf -dvi- -ps- -interaction=batchmode -halt-on-error

tex:
	@if ! command -v xelatex latexmk pdftotext pdfinfo >/dev/null 2>&1 || \
	    ! fc-list | grep -q FreeSerif; then \
	  SUDO=""; if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	fi

pdf: $(STAMP) tex
	@test "$(notdir $(BUILD_DIR))" = _build || { echo "BUILD_DIR must end in _build"; exit 1; }
	$(BIN)/python -m tools.execute $(BUILD_DIR)/.jupyter_cache
	$(BIN)/jupyter-book build . --builder latex --path-output $(dir $(BUILD_DIR)) -W -n --keep-going
	cd $(BUILD_DIR)/latex && { $(LATEXMK) book.tex >/dev/null || { tail -n 40 book.log; exit 1; }; }
	@echo "PDF book: $(BUILD_DIR)/latex/book.pdf"

# Checks of the PDF book (tools/pdf_check.py): page count, every page title, every solution,
# no unresolved reference, no raw MyST markup.
pdf-check: pdf
	$(BIN)/python -m tools.pdf_check $(BUILD_DIR)/latex/book.pdf

lint: $(STAMP)
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy
	$(BIN)/actionlint -shellcheck= .github/workflows/*.yml
	$(BIN)/zizmor --offline --min-severity low .github/workflows

unit: $(STAMP)
	$(BIN)/pytest -m "not site" --ignore=tests/golden -n 2

nbval: $(STAMP)
	$(BIN)/pytest --nbval --nbval-kernel-name=$(KERNEL) --nbval-cell-timeout=300 -p no:randomly \
		-n 2 --dist loadfile tests/golden

# Checks of the built site in a real browser (tests/site). Without a site they would only be
# skipped, so a missing site fails here instead.
site: $(STAMP)
	@test -f $(BUILD_DIR)/html/index.html || { echo "no site in $(BUILD_DIR)/html: run 'make book' first"; exit 1; }
	SITE_HTML=$(BUILD_DIR)/html $(BIN)/pytest -m site --ignore=tests/golden -p no:randomly -n 2

test: numerics lint unit nbval book site

serve: $(STAMP)
	@test -f $(BUILD_DIR)/html/index.html || { echo "no site yet: run 'make book' first"; exit 1; }
	@echo "Serving $(BUILD_DIR)/html on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILD_DIR)/html

golden: $(STAMP)
	$(BIN)/python -m tools.golden $(LESSONS)

bench: $(STAMP)
	$(BIN)/python -m tools.bench

portability: $(STAMP)
	$(BIN)/python -m tools.portability $(LESSONS)

# Link the first use of every glossary term in each lesson (the site checks require it).
link-terms: $(STAMP)
	$(BIN)/python -m tools.link_terms $(LESSONS)

clean:
	rm -rf _build .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
