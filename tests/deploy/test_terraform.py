"""infra/terraform: parsed with python-hcl2 and checked (no AWS account here, so no plan or apply).

`terraform fmt -check` runs when the terraform binary is on PATH. `terraform init`/`validate` need the
provider plugins from the Terraform registry, which this machine cannot reach, so they are not run here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from tests.deploy.support import TERRAFORM, fleet, load_terraform

SECRET_ENV = re.compile(r"(TOKEN|PASSWORD|PRIVATE_KEY|API_KEY_ID|_PEM|DATABASE_URL|REDIS_URL|FUNDER)")


@pytest.fixture(scope="module")
def tf() -> dict[str, Any]:
    return load_terraform()


def _resources(tf: dict[str, Any], rtype: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = tf["resource"].get(rtype, {})
    return found


def _for_each_fleet(tf: dict[str, Any]) -> set[str]:
    return set(tf["locals"]["fleet"])


def test_every_fleet_service_has_a_task_definition_and_a_service(tf: dict[str, Any]) -> None:
    tasks, ecs_services = _resources(tf, "aws_ecs_task_definition"), _resources(tf, "aws_ecs_service")
    assert tasks["service"]["for_each"] == "${local.fleet}"
    assert ecs_services["service"]["for_each"] == "${local.fleet}"
    assert ecs_services["service"]["task_definition"] == "${aws_ecs_task_definition.service[each.key].arn}"
    assert '"run", each.key' in tasks["service"]["container_definitions"]
    covered = _for_each_fleet(tf) | {name for name in tasks if name != "service"} & {
        name for name in ecs_services if name != "service"
    }
    missing = [name for name in fleet() if name not in covered]
    assert not missing, f"no ECS task definition + service for {missing}"


def test_game_shard_has_a_desired_count(tf: dict[str, Any]) -> None:
    assert tf["locals"]["fleet"]["game_shard"]["desired"] == "${var.game_shard_count}"
    assert tf["variable"]["game_shard_count"]["default"] >= 2
    assert _resources(tf, "aws_ecs_service")["service"]["desired_count"] == "${each.value.desired}"


def test_the_price_shard_task_carries_the_vpn_sidecar(tf: dict[str, Any]) -> None:
    task = _resources(tf, "aws_ecs_task_definition")["polymarket_price_shard"]
    definitions = task["container_definitions"]
    assert "qmcgaw/gluetun:v" in definitions and "NET_ADMIN" in definitions
    assert '"run", "polymarket_price_shard"' in definitions
    assert 'containerName = "vpn", condition = "HEALTHY"' in definitions
    assert task["network_mode"] == "awsvpc"  # one network namespace per task: the shard's traffic uses the tunnel
    others = [n for n, t in _resources(tf, "aws_ecs_task_definition").items() if n != "polymarket_price_shard"]
    assert all("gluetun" not in _resources(tf, "aws_ecs_task_definition")[n]["container_definitions"] for n in others)


def test_secrets_come_from_secrets_manager_never_plain_environment(tf: dict[str, Any]) -> None:
    local = tf["locals"]
    secret_lists = [local["common_secrets"], *local["service_secrets"].values()]
    for entries in secret_lists:
        if isinstance(entries, str):  # a conditional over the venue lists below
            assert "local.kalshi_secrets" in entries or "local.polymarket_secrets" in entries, entries
            continue
        for entry in entries:
            assert entry["valueFrom"].startswith("${aws_secretsmanager_secret."), entry
    for key in ("kalshi_secrets", "polymarket_secrets"):
        assert "aws_secretsmanager_secret.operator" in str(local[key])
    environment = [*local["common_environment"], *[e for v in local["service_environment"].values() for e in v]]
    leaked = [e["name"] for e in environment if SECRET_ENV.search(e["name"])]
    assert not leaked, f"secrets in plain environment: {leaked}"
    for name, task in _resources(tf, "aws_ecs_task_definition").items():
        definitions = task["container_definitions"]
        assert "random_password" not in definitions, f"{name}: a generated secret in the task definition"
        assert "secrets" in definitions, name
    # The price shard's VPN key too.
    assert (
        'aws_secretsmanager_secret.operator["vpn"]'
        in _resources(tf, "aws_ecs_task_definition")["polymarket_price_shard"]["container_definitions"]
    )
    for secret in [*_resources(tf, "aws_secretsmanager_secret").values()]:
        assert secret["kms_key_id"] == "${aws_kms_key.main.arn}"


def test_rds_is_private_encrypted_and_backed_up(tf: dict[str, Any]) -> None:
    db = _resources(tf, "aws_db_instance")["main"]
    assert db["publicly_accessible"] is False
    assert db["storage_encrypted"] is True and db["kms_key_id"]
    assert db["backup_retention_period"] >= 7
    assert db["deletion_protection"] is True
    subnets = _resources(tf, "aws_db_subnet_group")["main"]["subnet_ids"]
    assert "aws_subnet.private" in subnets
    parameters = _resources(tf, "aws_db_parameter_group")["main"]["parameter"]
    force_ssl = [p for p in parameters if p["name"] == "rds.force_ssl"]
    assert force_ssl and force_ssl[0]["value"] == "1"


def test_elasticache_is_private_encrypted_and_authenticated(tf: dict[str, Any]) -> None:
    cache = _resources(tf, "aws_elasticache_replication_group")["main"]
    assert cache["transit_encryption_enabled"] is True
    assert cache["at_rest_encryption_enabled"] is True and cache["kms_key_id"]
    assert cache["auth_token"] == "${random_password.redis.result}"
    assert "aws_subnet.private" in _resources(tf, "aws_elasticache_subnet_group")["main"]["subnet_ids"]
    assert tf["locals"]["generated_secrets"]["redis_url"].startswith("rediss://")


def test_tasks_run_in_private_subnets_and_only_the_alb_is_public(tf: dict[str, Any]) -> None:
    for name, service in _resources(tf, "aws_ecs_service").items():
        network = service["network_configuration"][0]
        assert network["assign_public_ip"] is False, name
        assert "aws_subnet.private" in network["subnets"], name
    ingress = _resources(tf, "aws_vpc_security_group_ingress_rule")
    from_anywhere = [n for n, r in ingress.items() if "cidr_ipv4" in r and r["cidr_ipv4"] == "0.0.0.0/0"]
    assert not from_anywhere, f"ingress open to the internet: {from_anywhere}"
    public = [n for n, r in ingress.items() if r.get("cidr_ipv4") == "${each.value}"]
    assert set(public) == {"alb_https", "alb_http_redirect"}
    https = _resources(tf, "aws_lb_listener")["https"]
    assert https["protocol"] == "HTTPS" and https["ssl_policy"].startswith("ELBSecurityPolicy-TLS13")


def test_region_defaults_to_us_east_1_with_the_jurisdiction_note(tf: dict[str, Any]) -> None:
    assert tf["variable"]["region"]["default"] == "us-east-1"
    text = (TERRAFORM / "variables.tf").read_text()
    assert "Permitted jurisdiction" in text and "never" in text


def test_provider_is_pinned(tf: dict[str, Any]) -> None:
    providers = tf["terraform"][0]["required_providers"][0]
    assert re.fullmatch(r"= \d+\.\d+\.\d+", providers["aws"]["version"])
    assert providers["aws"]["source"] == "hashicorp/aws"


def test_logs_are_kept_with_retention_and_encrypted(tf: dict[str, Any]) -> None:
    for name, group in _resources(tf, "aws_cloudwatch_log_group").items():
        assert group["retention_in_days"] == "${var.log_retention_days}", name
        assert group["kms_key_id"], name


def test_outputs_the_dashboard_url() -> None:
    assert 'output "dashboard_url"' in (TERRAFORM / "outputs.tf").read_text()


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_fmt_check() -> None:
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-no-color", str(TERRAFORM)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout}"
