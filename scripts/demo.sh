#!/usr/bin/env bash
# The demo: installs Arbees into .venv if needed, then replays recorded real games through the simulators
# and the whole fleet (separate processes) on paper. Without REDIS_URL it starts a private redis-server
# (installed from the distribution's packages if missing); without DATABASE_URL the embedded PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/frontend.sh
if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
exec .venv/bin/arbees demo "$@"
