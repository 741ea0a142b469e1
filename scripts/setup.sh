#!/usr/bin/env bash
# Sets up everything trede needs on a fresh machine: a virtualenv with the project installed,
# the front-end assets from npm and, for the test suite, Debian's chromium.
# Idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=${1:-}

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.trede-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi
# Bytecode for trede's own modules, as pip writes it for an installed package. Where the
# environment sets PYTHONDONTWRITEBYTECODE (this workplace does), every `trede` command would
# compile ~150 modules again: 0.2 s of each start (issue 16 item 5). Quick when nothing changed.
.venv/bin/python -m compileall -q -j 0 engine processes casework cli web bench >/dev/null

if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
    npm install --no-audit --no-fund --loglevel=error
  fi
  for build in scripts/build-*.sh; do
    [ -f "$build" ] && bash "$build"
  done
fi

if [ "$want_browser" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium is missing and this user cannot install it (run: sudo apt-get install chromium)" >&2
  fi
fi
