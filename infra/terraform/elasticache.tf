# ElastiCache Redis 7: private, TLS in transit, encrypted at rest (KMS), AUTH token, daily snapshots.
# ElastiCache offers no append-only file on Redis 7; money-carrying messages are also kept in PostgreSQL's
# transactional outbox, so a lost stream entry is re-published from there.
resource "random_password" "redis" {
  length  = 48
  special = false
}

resource "aws_elasticache_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "main" {
  #checkov:skip=CKV2_AWS_50:one node at the seed's scale (cost); daily snapshots, and the PostgreSQL outbox re-publishes money messages
  replication_group_id       = var.name
  description                = "Arbees bus (pub/sub and streams)"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.cache_node_type
  num_cache_clusters         = 1
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.cache.id]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
  snapshot_retention_limit   = 7
  snapshot_window            = "06:00-07:00"
  auto_minor_version_upgrade = true
  apply_immediately          = false
}
