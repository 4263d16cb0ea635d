# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/setup.sh checks before it installs, so reruns take seconds).

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

# The page's tools: wasm-opt (binaryen from npm) must come before any system copy (TOOLCHAIN.md).
WEB_PATH := $(CURDIR)/www/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
ADDRESS := 127.0.0.1
PORT := 8080

.PHONY: run test setup web-setup page e2e fmt-check clippy unit wasm release bench compare

## Build the playground page (release) and serve it on http://127.0.0.1:8080.
run: web-setup page
	@echo "mltest: serving the page on http://$(ADDRESS):$(PORT) (Ctrl-C to stop)"
	python3 -m http.server --bind $(ADDRESS) $(PORT) --directory dist

## Every check: format, lints, native tests, the wasm build of the engine, the release build,
## then the page's release build and its end-to-end test in headless Chromium.
test: setup fmt-check clippy unit wasm release e2e
	@echo "make test: all checks passed"

setup:
	@scripts/setup.sh

web-setup:
	@scripts/setup.sh web

## The page and its worker, release build with wasm-opt, into dist/ (Trunk.toml: offline).
page: web-setup
	PATH="$(WEB_PATH)" trunk build --release

## The page in headless Chromium against the CLI's report on the same suite (www/e2e/run.mjs).
e2e: web-setup page
	$(CARGO) build --release --bin mltest
	node www/e2e/run.mjs && node www/e2e/cancel.mjs && node www/e2e/data.mjs && node www/e2e/forms.mjs

fmt-check:
	$(CARGO) fmt --check

clippy:
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test

wasm:
	$(CARGO) build --target $(WASM_TARGET) --lib

release:
	$(CARGO) build --release

## Benchmarks of the engine (criterion): load, profile, train and evaluate on 100k rows.
bench: setup
	$(CARGO) bench --bench pipeline

## Every model family against scikit-learn on the same rows (installs scikit-learn in .tools/venv).
VENV := .tools/venv
SKLEARN := scikit-learn==1.9.1 pandas==3.1.1
compare: setup
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import sklearn, pandas" 2>/dev/null || $(VENV)/bin/pip install --quiet $(SKLEARN)
	$(CARGO) build --release --bin mltest
	$(VENV)/bin/python scripts/compare_sklearn.py ./target/release/mltest
