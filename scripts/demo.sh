#!/usr/bin/env bash
# The demo: installs Arbees into .venv if needed, then plays a scripted game through the whole fleet on
# paper (embedded PostgreSQL and in-process Redis unless DATABASE_URL / REDIS_URL are set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/arbees demo "$@"
