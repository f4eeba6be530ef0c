#!/usr/bin/env bash
# Static security checks of the deployment: checkov on infra/terraform and on the Dockerfile, in one run.
# checkov lives in its own virtual environment (.venv-checkov) so its pinned dependencies never meet the
# project's. Extra arguments go to checkov (e.g. `-o json`, `--compact`). Exit 1 on any failed check;
# suppressions are `#checkov:skip=CKV_...:reason` comments beside the resource. `--install` only installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-checkov
python=${PYTHON:-python3}
if [[ ! -x "$venv/bin/checkov" ]]; then
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check checkov
fi
if [[ "${1:-}" == "--install" ]]; then exit 0; fi
# `-d infra/terraform -f Dockerfile` scans only the directory: every file is named instead.
exec "$venv/bin/checkov" --framework terraform dockerfile --quiet \
    -f Dockerfile $(printf -- '-f %s ' infra/terraform/*.tf) "$@"
