#!/usr/bin/env bash
# Copies the front-end assets installed by npm into web/static/vendor/ (gitignored), so the app
# serves the NL Design System CSS itself: never from a CDN. Run after `npm install`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@utrecht/component-library-css ]; then
  echo "build-assets: node_modules missing; run npm install first" >&2
  exit 1
fi
out=web/static/vendor/utrecht
mkdir -p "$out"
cp node_modules/@utrecht/component-library-css/dist/index.css "$out/component-library.css"
cp node_modules/@utrecht/design-tokens/dist/index.css "$out/design-tokens.css"
cp node_modules/@utrecht/component-library-css/LICENSE* "$out/" 2>/dev/null || true
