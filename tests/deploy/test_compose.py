"""docker-compose.yml and docker-compose.aws.yml: they parse and the fleet is wired as the deployment needs.

`docker compose config` is not run: this machine has the Docker CLI without its compose plugin and no
engine (Debian's docker-compose 1.29 predates the Compose-spec features used here), so the files are parsed
with PyYAML and checked field by field.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.deploy.support import COMPOSE, COMPOSE_AWS, INFRA_SERVICES, Tagged, fleet, load_compose

SECRET_NAMES = re.compile(r"(PASSWORD|TOKEN|SECRET|PRIVATE_KEY|API_KEY|PASSPHRASE|_PEM|_AUTH|DATABASE_URL|REDIS_URL)$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose(COMPOSE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def _runs(service: dict[str, Any]) -> str | None:
    """The fleet service a container runs (`arbees run <name>`), else None."""
    command = service.get("command") or []
    return command[1] if len(command) == 2 and command[0] == "run" else None


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict), "environment is written as a mapping"
    return {str(k): str(v) for k, v in env.items()}


def test_every_fleet_service_runs_in_a_container(services: dict[str, dict[str, Any]]) -> None:
    running = {_runs(s) for s in services.values()}
    missing = [name for name in fleet() if name not in running]
    assert not missing, f"no compose service runs {missing}"
    # And each under its own name (the price shard also has its `direct` twin for the no-VPN profile).
    assert all(name in services for name in fleet())


def test_price_shard_is_the_only_container_in_the_vpn_namespace(services: dict[str, dict[str, Any]]) -> None:
    shard = services["polymarket_price_shard"]
    assert shard["network_mode"] == "service:vpn"
    assert "networks" not in shard, "a container in another's network namespace has no networks of its own"
    assert shard["depends_on"]["vpn"]["condition"] == "service_healthy"
    assert services["vpn"]["image"].startswith("qmcgaw/gluetun:v")
    assert "NET_ADMIN" in services["vpn"]["cap_add"]
    others = [name for name, s in services.items() if name != "polymarket_price_shard" and "network_mode" in s]
    assert not others, f"only the price shard shares the VPN's network: {others}"
    # The profiles: with the VPN (the default in .env.example), or the direct twin without it.
    assert shard["profiles"] == ["vpn"] and services["vpn"]["profiles"] == ["vpn"]
    direct = services["polymarket_price_shard_direct"]
    assert direct["profiles"] == ["direct"] and _runs(direct) == "polymarket_price_shard"
    assert "network_mode" not in direct


def test_long_running_services_have_health_checks_and_wait_for_healthy_dependencies(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        if name == "migrate":
            continue
        check = service.get("healthcheck")
        assert check and not check.get("disable") and check.get("test"), f"{name} has no health check"
        if _runs(service):
            assert check["test"] == ["CMD", "arbees-healthcheck"], name
            deps = service["depends_on"]
            assert deps["migrate"]["condition"] == "service_completed_successfully", name
            assert deps["redis"]["condition"] == "service_healthy", name
            assert deps["timescaledb"]["condition"] == "service_healthy", name
            assert service.get("restart") == "unless-stopped", name
    assert services["nginx"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["migrate"] and services["migrate"]["restart"] == "no"


def test_game_shard_scales_with_distinct_shard_ids(services: dict[str, dict[str, Any]]) -> None:
    shard = services["game_shard"]
    assert "replicas" in shard["deploy"]
    # The entrypoint derives a distinct id per replica only when none is fixed in the environment.
    assert "GAME_SHARD_SHARD_ID" not in _environment(shard)


def test_redis_persists_with_an_append_only_file(services: dict[str, dict[str, Any]]) -> None:
    redis = services["redis"]
    command = [str(part) for part in redis["command"]]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] in {"everysec", "always"}
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert re.fullmatch(r"redis:\d+\.\d+\.\d+(-alpine)?", redis["image"])


def test_timescaledb_is_pinned_with_a_volume_and_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    db = services["timescaledb"]
    assert re.fullmatch(r"timescale/timescaledb:\d+\.\d+\.\d+-pg\d+", db["image"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_paper_trading_is_the_default(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if _runs(service) or name == "migrate":
            env = _environment(service)
            assert env["PAPER_TRADING"] == "${PAPER_TRADING:-1}", name
            assert env["LIVE_TRADING_CONFIRMED"] == "${LIVE_TRADING_CONFIRMED:-0}", name


def _strings(value: Any) -> list[str]:
    if isinstance(value, Tagged):
        return _strings(value.value)
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


@pytest.mark.parametrize("path", [COMPOSE, COMPOSE_AWS], ids=lambda p: p.name)
def test_no_secret_values_in_the_file(path: Any) -> None:
    doc = load_compose(path)
    for name, service in doc["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAMES.search(str(key)):
                assert "${" in str(value), f"{name}: {key} holds a value, not a ${{VAR}} reference"
                # Whatever is around the references (a URL's scheme and host) is not a credential.
                bare = re.sub(r"\$\{[^}]*\}", "", str(value))
                assert not re.search(r":[^/@:]+@", bare), f"{name}: {key} embeds a literal password"
    # The command line (redis --requirepass) holds references only too.
    redis = doc["services"].get("redis", {})
    command = [str(c) for c in (redis.get("command") or [])]
    if "--requirepass" in command:
        assert command[command.index("--requirepass") + 1].startswith("${")
    # No string anywhere looks like a key.
    for text in _strings(doc):
        assert "BEGIN" not in text and not re.search(r"\b0x[0-9a-fA-F]{64}\b", text), text


def test_dashboard_and_data_are_not_exposed_beyond_the_host(services: dict[str, dict[str, Any]]) -> None:
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"nginx"}, "only the dashboard is published"
    assert services["nginx"]["ports"][0].startswith("${ARBEES_DASHBOARD_BIND:-127.0.0.1}:")


def test_aws_overrides_use_ecr_images_cloudwatch_logs_and_no_local_data() -> None:
    base = load_compose(COMPOSE)["services"]
    aws = load_compose(COMPOSE_AWS)["services"]
    for name, service in base.items():
        if not (_runs(service) or name == "migrate"):
            continue
        override = aws.get(name)
        assert override is not None, f"{name} has no AWS override"
        assert override["image"].startswith("${ECR_REGISTRY"), name
        assert isinstance(override["build"], Tagged) and override["build"].tag == "!reset", name
        assert override["logging"]["driver"] == "awslogs", name
        assert override["logging"]["options"]["awslogs-group"] == f"/arbees/{_runs(service) or name}", name
        deps = override["depends_on"]
        assert isinstance(deps, Tagged), f"{name}: depends_on must be reset (no local Redis or database)"
        assert not {"redis", "timescaledb", "migrate"} & set(deps.value or {}), name
        env = override["environment"]
        assert env["DATABASE_URL"].startswith("${DATABASE_URL") and env["REDIS_URL"].startswith("${REDIS_URL"), name
    for local_only in ("timescaledb", "redis", "nginx"):
        assert aws[local_only]["profiles"] == ["local-infra"], local_only


def test_infra_services_are_the_expected_ones(services: dict[str, dict[str, Any]]) -> None:
    assert INFRA_SERVICES <= set(services)
    unknown = {n for n, s in services.items() if not _runs(s)} - INFRA_SERVICES - {"migrate"}
    assert not unknown, f"services that are neither fleet nor infrastructure: {unknown}"
