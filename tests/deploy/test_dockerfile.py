"""The Dockerfile (one image for every service, the dashboard stage) and its entrypoint, read and run here.

No Docker engine on this machine: the file is checked by reading it, and the entrypoint script runs with
a stand-in `arbees` on PATH that prints what it was given.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.deploy.support import ROOT

DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "deploy" / "docker" / "entrypoint.sh"


def _stages() -> dict[str, list[str]]:
    stages: dict[str, list[str]] = {}
    current = ""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", line, flags=re.IGNORECASE)
        if match:
            current = match.group(2)
            stages[current] = [line]
        elif current:
            stages[current].append(line)
    return stages


def test_the_service_image_is_the_default_slim_non_root_stage_with_a_health_check() -> None:
    stages = _stages()
    assert list(stages)[-1] == "runtime", "the last stage (the default target) is the service image"
    runtime = stages["runtime"]
    assert re.match(r"FROM python:3\.\d+\.\d+-slim", runtime[0])
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert any(line.startswith("HEALTHCHECK") and "arbees-healthcheck" in line for line in runtime)
    assert 'ENTRYPOINT ["arbees-entrypoint"]' in runtime
    assert not any(re.search(r"apt-get install|build-essential|gcc", line) for line in runtime), "no build tools"
    assert any("--from=python-build /opt/venv" in line for line in runtime)


def test_the_dashboard_stage_is_node_20_built_and_served_by_unprivileged_nginx() -> None:
    stages = _stages()
    assert stages["frontend-build"][0].startswith("FROM node:20.")
    dashboard = stages["dashboard"]
    assert "nginx-unprivileged" in dashboard[0]
    assert any("--from=frontend-build /src/dist" in line for line in dashboard)
    assert any(line.startswith("HEALTHCHECK") for line in dashboard)
    template = (ROOT / "deploy" / "nginx" / "default.conf.template").read_text()
    assert "location /api/" in template and "proxy_pass http://${API_UPSTREAM}" in template
    assert "proxy_buffering off" in template  # the dashboard's server-sent event stream


def test_no_secret_or_data_set_is_copied_into_a_layer() -> None:
    copies = [line for lines in _stages().values() for line in lines if line.startswith(("COPY", "ADD"))]
    assert not any(line.startswith("ADD") for line in copies)
    for line in copies:
        assert not re.search(r"\.env|\.pem|\.key|data/|\bCOPY \. ", line), line
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "*.pem", "*.key", "data", "tests", ".venv"} <= set(ignored)
    for line in DOCKERFILE.read_text().splitlines():
        assert not re.search(r"^(ENV|ARG)\s.*(TOKEN|PASSWORD|PRIVATE_KEY|SECRET)", line), line


def _entrypoint(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    fake = tmp_path / "bin" / "arbees"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text('#!/bin/sh\necho "args=$*"\necho "shard=${GAME_SHARD_SHARD_ID:-unset}"\n')
    fake.chmod(0o755)
    environ = {"PATH": f"{fake.parent}:{os.environ['PATH']}", **(env or {})}
    out = subprocess.run(
        ["sh", str(ENTRYPOINT), *args], capture_output=True, text=True, env=environ, check=True, timeout=10
    )
    return out.stdout.splitlines()


def test_entrypoint_gives_each_game_shard_replica_its_hostname_as_shard_id(tmp_path: Path) -> None:
    hostname = subprocess.run(["hostname"], capture_output=True, text=True, check=True).stdout.strip()
    assert _entrypoint(tmp_path, "run", "game_shard") == ["args=run game_shard", f"shard={hostname}"]
    # An explicit id wins; other services are left alone.
    assert _entrypoint(tmp_path, "run", "game_shard", env={"GAME_SHARD_SHARD_ID": "7"})[1] == "shard=7"
    assert _entrypoint(tmp_path, "run", "api") == ["args=run api", "shard=unset"]
    assert _entrypoint(tmp_path, "migrate") == ["args=migrate", "shard=unset"]


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _check(port: int) -> int:
    script = ROOT / "deploy" / "docker" / "healthcheck.py"
    env = {**os.environ, "ARBEES_HEALTH_PORT": str(port)}
    return subprocess.run(["python3", str(script)], env=env, capture_output=True, timeout=20).returncode


def test_healthcheck_script_passes_only_on_200_from_the_health_port() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        assert _check(port) == 0
        _Health.status = 503  # the runtime's "degraded"
        assert _check(port) == 1
    finally:
        _Health.status = 200
        server.shutdown()
        server.server_close()
    assert _check(port) == 1  # nothing listening
