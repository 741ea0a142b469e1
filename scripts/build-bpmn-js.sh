#!/usr/bin/env bash
# Copies bpmn-js and dmn-js (installed by npm) into web/static/vendor/ (gitignored): the modeler
# and the replay viewer are served by trede itself, never from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
for pkg in bpmn-js dmn-js; do
  if [ ! -d "node_modules/$pkg/dist" ]; then
    echo "build-bpmn-js: node_modules/$pkg missing; run npm install first" >&2
    exit 1
  fi
  out="web/static/vendor/$pkg"
  mkdir -p "$out"
  cp node_modules/$pkg/dist/*.production.min.js "$out/"
  cp -r node_modules/$pkg/dist/assets "$out/"
  cp node_modules/$pkg/LICENSE* "$out/" 2>/dev/null || true
done
