# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/setup.sh checks before it installs, so reruns take seconds).

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
EXAMPLE := static/suites/iris-data-quality.json

.PHONY: run test setup fmt-check clippy unit wasm release bench compare

## Build the CLI and run a bundled example suite. (The in-browser playground is served by
## this target once the page lands; until then it runs the same engine from the terminal.)
run: setup
	$(CARGO) build --release --bin mltest
	@echo "The playground page is not built yet: running the bundled example with the mltest CLI."
	./target/release/mltest run $(EXAMPLE)

## Every check: format, lints, native tests, the wasm build of the engine, the release build.
test: setup fmt-check clippy unit wasm release
	@echo "make test: all checks passed"

setup:
	@scripts/setup.sh

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
