#!/usr/bin/env bash
# Builds the dashboard (frontend/ → frontend/dist, served by the API) with the machine's Node.js and npm.
# Installs the locked packages (npm ci) when package-lock.json changed, rebuilds when a source changed.
# With --test it also runs the frontend's own checks (OpenAPI types in sync, typecheck, vitest).
# Without npm it says so and exits 0 unless --require is given (the API then serves no dashboard).
set -euo pipefail
cd "$(dirname "$0")/../frontend"

test=0 require=0
for arg in "$@"; do
  case "$arg" in
    --test) test=1 require=1 ;;
    --require) require=1 ;;
    *) echo "frontend: unknown option $arg" >&2; exit 2 ;;
  esac
done

if ! command -v npm >/dev/null; then
  if [ "$require" = 1 ]; then
    echo "frontend: npm is required (install Node.js 20+ and npm)" >&2
    exit 1
  fi
  echo "frontend: npm not found; the dashboard will not be built (install Node.js 20+ to see it)" >&2
  exit 0
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "$test" = 1 ]; then
  npm test --silent
fi
newest_source="$(find src index.html package-lock.json vite.config.ts openapi.json -newer dist/index.html 2>/dev/null | head -1 || true)"
if [ ! -f dist/index.html ] || [ -n "$newest_source" ]; then
  npm run build --silent >/dev/null
fi
