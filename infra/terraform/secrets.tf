# Secrets Manager: connection strings, API tokens, venue keys and the VPN key, all encrypted with the
# deployment's KMS key and injected into the containers as ECS `secrets` (valueFrom), never as environment.
# Terraform writes the generated values (database and Redis URLs, API tokens); venue and VPN keys are put by
# the operator (`aws secretsmanager put-secret-value`, see the README), so they never enter Terraform state.
locals {
  generated_secrets = {
    database_url      = "postgresql://arbees:${random_password.db.result}@${aws_db_instance.main.address}:5432/arbees?sslmode=require"
    redis_url         = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.main.primary_endpoint_address}:6379/0"
    api_token         = random_password.api_token.result
    api_control_token = random_password.api_control_token.result
  }
  # Operator-provided JSON secrets and their keys.
  operator_secrets = {
    kalshi     = ["KALSHI_API_KEY_ID", "KALSHI_PRIVATE_KEY_PEM"]
    polymarket = ["POLYMARKET_PRIVATE_KEY", "POLYMARKET_FUNDER"]
    vpn        = ["WIREGUARD_PRIVATE_KEY", "WIREGUARD_ADDRESSES"]
  }
}

resource "random_password" "api_token" {
  length  = 40
  special = false
}

resource "random_password" "api_control_token" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "generated" {
  #checkov:skip=CKV2_AWS_57:generated values rotate by replacing the random_password and re-applying (tasks restart with the new value)
  for_each                = local.generated_secrets
  name                    = "${var.name}/${each.key}"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each      = local.generated_secrets
  secret_id     = aws_secretsmanager_secret.generated[each.key].id
  secret_string = each.value
}

resource "aws_secretsmanager_secret" "operator" {
  #checkov:skip=CKV2_AWS_57:venue API keys and the VPN key are issued by the venue/provider and rotated there by the operator
  for_each                = local.operator_secrets
  name                    = "${var.name}/${each.key}"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}
