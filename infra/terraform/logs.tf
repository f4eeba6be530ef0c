# CloudWatch log groups: one per service (and the VPN sidecar, the migration task, the VPC flow log),
# encrypted with the deployment's key, kept var.log_retention_days.
resource "aws_cloudwatch_log_group" "service" {
  #checkov:skip=CKV_AWS_338:operational logs are kept 30 days at the seed's scale (cost); trades, orders and fills live in PostgreSQL with backups
  for_each          = toset(concat(keys(local.fleet), ["polymarket_price_shard", "vpn", "migrate"]))
  name              = "/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_cloudwatch_log_group" "flow" {
  #checkov:skip=CKV_AWS_338:rejected-traffic flow logs are kept 30 days (cost)
  name              = "/${var.name}/vpc-flow"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}
