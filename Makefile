# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/setup.sh checks before it installs, so reruns take seconds).

CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

# The page's tools: wasm-opt (binaryen from npm) must come before any system copy (TOOLCHAIN.md).
WEB_PATH := $(CURDIR)/www/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
ADDRESS := 127.0.0.1
PORT := 8080

.PHONY: run test setup web-setup page e2e browser-test fmt-check clippy unit wasm release crafted bench compare fuzz sklearn-venv bench-page bench-compare bench-groups bench-drift bench-big cluster cluster-stop evidently-venv python-setup wheel wheel-test gx-venv gx-parity

## Build the playground page (release) and serve it on http://127.0.0.1:8080.
run: web-setup page
	@echo "mltest: serving the page on http://$(ADDRESS):$(PORT) (Ctrl-C to stop)"
	python3 -m http.server --bind $(ADDRESS) $(PORT) --directory dist

## Every check: format, lints, native tests, the in-browser tests, the wasm build of the engine,
## the release build and the inputs crafted against it, the wheel with its pytest plugin, the
## Great Expectations parity, a short fuzz run of the parsers, then the page's release build
## and its end-to-end tests in headless Chromium.
test: setup fmt-check clippy unit browser-test wasm release crafted wheel-test gx-parity fuzz e2e
	@echo "make test: all checks passed"

setup:
	@scripts/setup.sh

web-setup:
	@scripts/setup.sh web

## The page (one engine module for the page and its workers), release build with wasm-opt, into dist/ (Trunk.toml: offline).
page: web-setup
	PATH="$(WEB_PATH)" trunk build --release

## The page in headless Chromium against the CLI's report on the same suites, and the CLI's HTML report opened from disk (www/e2e/*.mjs).
e2e: web-setup page
	$(CARGO) build --release --bin mltest
	node www/e2e/run.mjs && node www/e2e/cancel.mjs && node www/e2e/data.mjs && node www/e2e/share.mjs && node www/e2e/lesson.mjs && node www/e2e/results.mjs && node www/e2e/forms.mjs && node www/e2e/hostile.mjs && node www/e2e/predictions.mjs && node www/e2e/drift.mjs && node www/e2e/bigfile.mjs && node www/e2e/report_html.mjs

## The engine, the page's services and its components in headless Chromium (tests/browser.rs):
## wasm-bindgen-test-runner (from wasm-bindgen-cli) drives Debian's chromedriver with the
## no-network flags of webdriver.json. The runner's 20 s default is too short on a busy machine.
BROWSER_TEST_ENV := PATH="$(HOME)/.cargo/bin:$(PATH)" CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=180
browser-test: web-setup
	$(BROWSER_TEST_ENV) $(CARGO) test --target $(WASM_TARGET) --features page --test browser

fmt-check:
	$(CARGO) fmt --check

## Lints natively, and for wasm32 the page's own code (page, services), which only builds there.
## The page (`page`) and the benchmark (`bench`) are features: the `mltest` command needs neither.
clippy:
	$(CARGO) clippy --all-targets --all-features -- -D warnings
	$(CARGO) clippy --target $(WASM_TARGET) --features page,fetch-static --lib --bin app -- -D warnings

unit:
	$(CARGO) test --all-features

wasm:
	$(CARGO) build --target $(WASM_TARGET) --lib

release:
	$(CARGO) build --release

## The wheel (pyproject.toml): the `mltest` command built by maturin as a binary, as ruff's and
## uv's wheels are, and the pytest plugin (python/mltest_pytest), into target/wheels/ (under
## CARGO_TARGET_DIR when it is set). Its build is `cargo build --release --bin mltest`: after
## `make release` it only packs.
WHEELS := $(or $(CARGO_TARGET_DIR),target)/wheels
PYTHON_TOOLS := .tools/venv-wheel
python-setup:
	@scripts/setup.sh python

wheel: python-setup
	rm -f $(WHEELS)/mltest-*.whl
	$(PYTHON_TOOLS)/bin/maturin build --release --quiet --out $(WHEELS)

## The wheel as a user gets it (python/tests/test_wheel.py): pip installs it and the pinned
## pytest into a fresh venv; its command runs without Rust on PATH, and pytest with the plugin
## runs python/example (exit 1: one suite fails on purpose; 0 on the passing one alone), with
## JUnit XML whose test names are the suites' ids and whose failures hold the tables.
wheel-test: wheel
	MLTEST_WHEELS=$(WHEELS) $(PYTHON_TOOLS)/bin/python -m pytest -p no:cacheprovider python/tests

## Inputs crafted to freeze, abort or mislead the CLI (scripts/crafted.py), each run by the
## release `mltest` under an address-space cap and a time limit: exit 0, 1 or 2, never more.
crafted: release
	python3 scripts/crafted.py --mltest target/release/mltest

## Benchmarks of the engine (criterion): load, profile, train and evaluate on 100k rows.
bench: setup
	$(CARGO) bench --features bench --bench pipeline

## Every model family against scikit-learn on the same rows (installs scikit-learn in .tools/venv),
## drift against Evidently and `import gx`/`export gx` against Great Expectations (their own venvs).
VENV := .tools/venv
SKLEARN := scikit-learn==1.9.1 pandas==3.1.1 fairlearn==0.15.0
compare: setup sklearn-venv evidently-venv gx-venv
	$(CARGO) build --release --bin mltest
	$(VENV)/bin/python scripts/compare_sklearn.py ./target/release/mltest
	$(VENV)/bin/python -W ignore scripts/compare_fairness.py ./target/release/mltest
	$(EVIDENTLY_VENV)/bin/python scripts/compare_drift.py ./target/release/mltest
	$(GX_VENV)/bin/python scripts/compare_gx.py ./target/release/mltest

## Fuzz the three parsers of untrusted input, the Great Expectations importer and whole runs of the bundled suites (fuzz/):
## FUZZ_SECONDS each, from the fixtures, the bundled data and fuzz/seeds/ (the hostile inputs
## small enough to mutate: colliding ids, a diagonal CSV, duplicate keys, deep nesting) as seeds. `make test` runs 20 s each from a fixed random seed, so a run that passed once does
## not fail later by chance; a longer hunt from a fresh seed each time:
## `make fuzz FUZZ_SECONDS=600 FUZZ_SEED=0`. cargo-fuzz's nightly flags are allowed on the
## stable toolchain with RUSTC_BOOTSTRAP (one toolchain only).
FUZZ_SECONDS ?= 20
FUZZ_SEED ?= 1
FUZZ := RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run -O --fuzz-dir fuzz
# Inputs are a few KB: an allocation of hundreds of MB is a blow-up the fuzzer must report.
FUZZ_FOR := -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -rss_limit_mb=1024 -malloc_limit_mb=512
fuzz: setup
	@scripts/setup.sh fuzz
	@mkdir -p fuzz/corpus/csv_loader fuzz/corpus/suite_parser fuzz/corpus/link_decoder fuzz/corpus/suite_run fuzz/corpus/gx_import
	$(FUZZ) csv_loader fuzz/corpus/csv_loader tests/data/suites/csv fuzz/seeds/csv_loader -- $(FUZZ_FOR)
	$(FUZZ) suite_parser fuzz/corpus/suite_parser static/suites tests/data/suites fuzz/seeds/suite_parser -- $(FUZZ_FOR)
	$(FUZZ) link_decoder fuzz/corpus/link_decoder tests/data/links fuzz/seeds/link_decoder -- $(FUZZ_FOR)
	$(FUZZ) suite_run fuzz/corpus/suite_run static/data fuzz/seeds/suite_run -- $(FUZZ_FOR)
	$(FUZZ) gx_import fuzz/corpus/gx_import tests/data/gx fuzz/seeds/gx_import -- $(FUZZ_FOR)

## Evidently 0.7.23 does not import with pandas 3: its own venv, for the drift statistics.
EVIDENTLY_VENV := .tools/venv-evidently
EVIDENTLY := evidently==0.7.23 pandas==2.3.3 scipy==1.17.1 numpy==2.4.6
evidently-venv:
	@test -x $(EVIDENTLY_VENV)/bin/python || python3 -m venv $(EVIDENTLY_VENV)
	@$(EVIDENTLY_VENV)/bin/python -c "import evidently" 2>/dev/null || $(EVIDENTLY_VENV)/bin/pip install --quiet $(EVIDENTLY)

## Great Expectations 1.24.1 (with pandas 3.1.1) in its own venv, for `mltest import gx` and
## `mltest export gx` (scripts/compare_gx.py). About 45 s to install on a fresh machine.
GX_VENV := .tools/venv-gx
GX := great_expectations==1.24.1 pandas==3.1.1 numpy==2.4.6 scipy==1.17.1 pydantic==2.14.4
gx-venv:
	@test -x $(GX_VENV)/bin/python || python3 -m venv $(GX_VENV)
	@$(GX_VENV)/bin/python -c "import great_expectations" 2>/dev/null || $(GX_VENV)/bin/pip install --quiet $(GX)

## `mltest import gx` and `export gx` against Great Expectations itself, both ways, on the
## bundled data: GX and mltest must give each mapped expectation the same verdict and the same
## unexpected rows (scripts/compare_gx.py). About 15 s once the venv and the release build are there.
gx-parity: gx-venv
	$(CARGO) build --release --bin mltest
	$(GX_VENV)/bin/python scripts/compare_gx.py ./target/release/mltest

sklearn-venv:
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@$(VENV)/bin/python -c "import sklearn, pandas, fairlearn" 2>/dev/null || $(VENV)/bin/pip install --quiet $(SKLEARN)

## BENCHMARKS.md's comparison, in one run: generated data (10k, 100k, 1M rows) timed step by
## step by mltest native, pandas + scikit-learn, and in headless Chromium mltest wasm beside
## PapaParse + ml.js; then the drift benchmark (bench-drift, BENCH_DRIFT_ROWS); then the
## app's first verdict on iris from a cold load. Prints the tables, writes
## target/bench/results.jsonl and target/bench/table.md. About 14 minutes on 2 cores, most of
## it the JS peers' slowest steps, each capped at BENCH_TIMEOUT_S, and Evidently's reports.
BENCH_ROWS ?= 10000,100000,1000000
BENCH_DRIFT_ROWS ?= 1000000
BENCH_REPS ?= 5
BENCH_TIMEOUT_S ?= 60
bench-compare: page bench-page sklearn-venv evidently-venv bench-groups
	node www/bench/run.mjs --rows $(BENCH_ROWS) --drift-rows $(BENCH_DRIFT_ROWS) --reps $(BENCH_REPS) --timeout-s $(BENCH_TIMEOUT_S)

## The drift benchmark alone (BENCHMARKS.md): one `drift` test on every column of a reference
## file (BENCH_DRIFT_ROWS generated rows) and a current one with x0 moved and x1 scaled, by
## mltest native and in the page, against Evidently's DataDriftPreset report on the same
## files, after checking that both find the same drift (verdict, share, columns, statistics).
## `make bench-drift BENCH_DRIFT_ROWS=10000` is a quick run. Like any `--only` run, it
## replaces target/bench/results.jsonl and table.md with its own records.
bench-drift: bench-page evidently-venv
	node www/bench/run.mjs --only drift --drift-rows $(BENCH_DRIFT_ROWS) --reps $(BENCH_REPS) --timeout-s $(BENCH_TIMEOUT_S)

## The big-file benchmark (BENCHMARKS.md, PRODUCT.md §14): the 14 data kinds (benches/big-suite.json)
## on BIG_ROWS generated rows of every column type (10M: 0.86 GB of CSV) and the same as Parquet,
## through mltest's DataFusion engine (and a local Ballista cluster of `mltest-cluster`
## processes), against one bare DataFusion scan of the file, the memory
## engine on 1M rows, pandas and Great Expectations (scripts/bench_big.py). The command is built
## with the `cli` profile (speed, no LTO: ~20 min cold).
BIG_ROWS ?= 10000000
CLI_BIN := $(or $(CARGO_TARGET_DIR),target)/cli
bench-big: setup sklearn-venv gx-venv
	$(CARGO) build --profile cli --features bench,ballista --bin mltest --bin mltest-bench --bin mltest-cluster
	python3 scripts/bench_big.py --mltest $(CLI_BIN)/mltest --bench $(CLI_BIN)/mltest-bench \
		--cluster $(CLI_BIN)/mltest-cluster --rows $(BIG_ROWS)

## A local Ballista cluster (PRODUCT.md §14): `mltest-cluster`'s scheduler on 127.0.0.1:50050 and
## an executor beside it, in the background (scripts/cluster.sh; logs and process ids in
## target/cluster/), for `mltest run --engine ballista`; `make cluster-stop` stops them. Built
## with the `ballista` feature in the debug profile, which `make test` has already compiled;
## CLUSTER_PROFILE=cli builds them for speed (~30 min cold), as `make bench-big` does.
CLUSTER_PROFILE ?= dev
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
CLUSTER_BIN := $(TARGET_DIR)/$(if $(filter dev,$(CLUSTER_PROFILE)),debug,$(CLUSTER_PROFILE))
cluster: setup
	$(CARGO) build --profile $(CLUSTER_PROFILE) --features ballista --bin mltest-cluster --bin mltest
	scripts/cluster.sh start $(CLUSTER_BIN) $(TARGET_DIR)/cluster

cluster-stop:
	scripts/cluster.sh stop $(TARGET_DIR)/cluster

## Slices, fairness and calibration of a model brought as predictions on 1M generated rows:
## mltest against fairlearn's MetricFrame and scikit-learn, same file, same numbers.
bench-groups: sklearn-venv
	$(CARGO) build --release --bin mltest
	$(VENV)/bin/python -W ignore scripts/bench_groups.py ./target/release/mltest

## The benchmark page (www/bench) into target/bench-page, served under /bench-page/ beside
## target/bench-data; its script bundles PapaParse and ml.js from www/node_modules.
bench-page: web-setup
	$(CARGO) build --release --features bench --bin mltest-bench
	PATH="$(WEB_PATH)" trunk build www/bench/index.html --release --dist target/bench-page --public-url /bench-page/
	www/node_modules/.bin/esbuild www/bench/bench.js --bundle --format=esm --minify --log-level=warning \
		--outfile=target/bench-page/bench.js
