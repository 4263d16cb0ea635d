#!/usr/bin/env bash
# Installs what building and testing mltest needs, and only what is missing: every step checks
# first, so a rerun takes seconds. Works on a fresh Debian machine with rustup, Node and Python.
set -euo pipefail

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

ensure_rust_component rustfmt
ensure_rust_component clippy
ensure_wasm_target
say "ready"
