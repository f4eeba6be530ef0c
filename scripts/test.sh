#!/usr/bin/env bash
# The tests: installs Arbees into .venv if needed, makes sure Redis and PostgreSQL are up, then runs
# lint, type checks and the whole test suite against the real servers. Extra arguments go to pytest.
# It also installs Chromium (browser tests), builds and tests the dashboard (frontend/, npm ci) and installs
# checkov into its own .venv-checkov (the deployment's static checks).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/services.sh
scripts/browser.sh
scripts/frontend.sh --test
scripts/checkov.sh --install
.venv/bin/ruff check services shared markets tests bench
.venv/bin/mypy services shared markets
exec .venv/bin/python -m pytest "$@"
