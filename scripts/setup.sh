#!/usr/bin/env bash
# Installs what building and testing mltest needs, and only what is missing: every step checks
# first, so a rerun takes seconds. Works on a fresh Debian machine with rustup, Node and Python.
#
#   scripts/setup.sh        the Rust side: rustfmt, clippy, the wasm32 target
#   scripts/setup.sh fuzz   also cargo-fuzz (the fuzz targets in fuzz/)
#   scripts/setup.sh web    also the page's tools: Trunk, the wasm-bindgen CLI (and its test
#                           runner), wasm-opt
#                           (binaryen from npm), Chromium and its driver, playwright-core
#   scripts/setup.sh python also maturin (builds the wheel) and pytest (its test) in
#                           .tools/venv-wheel
set -euo pipefail

# Versions that work together here (../shared/TOOLCHAIN.md): the wasm-bindgen CLI must equal
# the wasm-bindgen crate pinned in Cargo.toml; Trunk 0.22 needs a newer rustc.
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
CARGO_FUZZ_VERSION=0.13.2
# The wheel's builder, and the pytest its plugin is tested with (`make wheel-test` installs
# this pytest beside the wheel too).
MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)

say() { printf 'setup: %s\n' "$*"; }

ensure_rust_component() {
  local component=$1
  if rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    return
  fi
  say "installing the Rust component ${component}"
  rustup component add "${component}"
}

ensure_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
    return
  fi
  say "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# cargo install TOOL at VERSION unless `BINARY --version` already says VERSION.
ensure_cargo_tool() {
  local crate=$1 version=$2 binary=$3 locked=$4
  if command -v "${binary}" >/dev/null 2>&1 && "${binary}" --version 2>/dev/null | grep -q "${version}"; then
    return
  fi
  say "installing ${crate} ${version} (a few minutes, once)"
  # shellcheck disable=SC2086
  cargo install "${crate}" --version "${version}" ${locked}
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return
  fi
  say "installing Chromium and ChromeDriver from Debian"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver
}

ensure_node_modules() {
  # www/package-lock.json pins binaryen (wasm-opt) and playwright-core. A copy of the lock
  # file beside the installed tree says which lock it was installed from.
  local stamp="${ROOT}/www/node_modules/.installed-from-lock.json"
  if cmp -s "${ROOT}/www/package-lock.json" "${stamp}" 2>/dev/null; then
    return
  fi
  say "installing the page's npm packages (binaryen, playwright-core, the benchmark's peers)"
  (cd "${ROOT}/www" && npm ci --no-audit --no-fund --loglevel=error)
  cp "${ROOT}/www/package-lock.json" "${stamp}"
}

ensure_python_tools() {
  local venv="${ROOT}/.tools/venv-wheel"
  if "${venv}/bin/maturin" --version 2>/dev/null | grep -qx "maturin ${MATURIN_VERSION}" \
    && "${venv}/bin/python" -c "import pytest, sys; sys.exit(pytest.__version__ != '${PYTEST_VERSION}')" 2>/dev/null; then
    return
  fi
  say "installing maturin ${MATURIN_VERSION} and pytest ${PYTEST_VERSION} into .tools/venv-wheel"
  [ -x "${venv}/bin/python" ] || python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "maturin==${MATURIN_VERSION}" "pytest==${PYTEST_VERSION}"
}

ensure_rust_component rustfmt
ensure_rust_component clippy
ensure_wasm_target

if [ "${1:-}" = "fuzz" ]; then
  ensure_cargo_tool cargo-fuzz "${CARGO_FUZZ_VERSION}" cargo-fuzz --locked
fi
if [ "${1:-}" = "python" ]; then
  ensure_python_tools
fi
if [ "${1:-}" = "web" ]; then
  ensure_cargo_tool trunk "${TRUNK_VERSION}" trunk --locked
  # Without --locked: a crate in its lock file is not in the registry (TOOLCHAIN.md).
  ensure_cargo_tool wasm-bindgen-cli "${WASM_BINDGEN_VERSION}" wasm-bindgen ""
  # The same crate installs the runner of the in-browser tests (`make browser-test`).
  ensure_cargo_tool wasm-bindgen-cli "${WASM_BINDGEN_VERSION}" wasm-bindgen-test-runner ""
  ensure_chromium
  ensure_node_modules
fi
say "ready"
