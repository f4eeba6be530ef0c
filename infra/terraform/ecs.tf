# ECS: one cluster, one task definition and one service per fleet service (game_shard with a desired count).
# Every container runs the same image (`arbees run <service>`), read-only root, non-root, with its /health
# as the container health check; secrets come from Secrets Manager (`secrets`/`valueFrom`), never from
# `environment`. The price shard runs apart (ecs_price_shard.tf) with its VPN sidecar.
locals {
  image = "${aws_ecr_repository.arbees.repository_url}:${var.image_tag}"

  # Fargate (ARM64) sizes; see the README's cost table.
  fleet = {
    discovery_coordinator = { cpu = 256, memory = 512, desired = 1 }
    game_shard            = { cpu = 256, memory = 1024, desired = var.game_shard_count }
    signal_processor      = { cpu = 256, memory = 512, desired = 1 }
    execution_service     = { cpu = 256, memory = 512, desired = 1 }
    position_tracker      = { cpu = 256, memory = 512, desired = 1 }
    futures_monitor       = { cpu = 256, memory = 512, desired = 1 }
    analytics             = { cpu = 256, memory = 512, desired = 1 }
    api                   = { cpu = 256, memory = 512, desired = 1 }
  }

  common_environment = [
    { name = "PAPER_TRADING", value = var.paper_trading },
    { name = "LIVE_TRADING_CONFIRMED", value = var.live_trading_confirmed },
    { name = "LOG_LEVEL", value = "INFO" },
    { name = "ARBEES_AUTO_MIGRATE", value = "1" }, # under an advisory lock: safe from several tasks at once
    { name = "ARBEES_HEALTH_PORT", value = "9100" },
  ]

  service_environment = {
    api = [
      { name = "API_HOST", value = "0.0.0.0" },
      { name = "API_PORT", value = "8000" },
    ]
  }

  common_secrets = [
    { name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.generated["database_url"].arn },
    { name = "REDIS_URL", valueFrom = aws_secretsmanager_secret.generated["redis_url"].arn },
  ]

  kalshi_secrets = [
    for key in local.operator_secrets.kalshi : { name = key, valueFrom = "${aws_secretsmanager_secret.operator["kalshi"].arn}:${key}::" }
  ]
  polymarket_secrets = [
    for key in local.operator_secrets.polymarket : { name = key, valueFrom = "${aws_secretsmanager_secret.operator["polymarket"].arn}:${key}::" }
  ]

  service_secrets = {
    api = [
      { name = "API_TOKEN", valueFrom = aws_secretsmanager_secret.generated["api_token"].arn },
      { name = "API_CONTROL_TOKEN", valueFrom = aws_secretsmanager_secret.generated["api_control_token"].arn },
    ]
    execution_service = var.venue_credentials_enabled ? concat(local.kalshi_secrets, local.polymarket_secrets) : []
    game_shard        = var.venue_credentials_enabled ? local.kalshi_secrets : []
  }

  health_check = {
    command     = ["CMD", "arbees-healthcheck"]
    interval    = 15
    timeout     = 5
    retries     = 3
    startPeriod = 60
  }
}

resource "aws_ecs_cluster" "main" {
  #checkov:skip=CKV_AWS_65:Container Insights bills per metric (~$20/month for this fleet); each service exports Prometheus /metrics and logs to CloudWatch
  name = var.name
  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = local.fleet
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  volume {
    name = "data"
  }
  volume {
    name = "tmp"
  }
  container_definitions = jsonencode([{
    name                   = each.key
    image                  = local.image
    essential              = true
    command                = ["run", each.key]
    readonlyRootFilesystem = true
    user                   = "10001:10001"
    environment            = concat(local.common_environment, lookup(local.service_environment, each.key, []))
    secrets                = concat(local.common_secrets, lookup(local.service_secrets, each.key, []))
    portMappings           = each.key == "api" ? [{ containerPort = 8000, protocol = "tcp" }] : []
    mountPoints = [
      { sourceVolume = "data", containerPath = "/var/lib/arbees", readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]
    healthCheck = local.health_check
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
}

resource "aws_ecs_service" "service" {
  for_each               = local.fleet
  name                   = each.key
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.service[each.key].arn
  desired_count          = each.value.desired
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  enable_execute_command = false
  propagate_tags         = "SERVICE"
  # One task at a time for the singletons (never two execution services), rolling for the shards.
  deployment_minimum_healthy_percent = each.key == "game_shard" ? 50 : 0
  deployment_maximum_percent         = each.key == "game_shard" ? 200 : 100
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
  dynamic "load_balancer" {
    for_each = each.key == "api" ? [1] : []
    content {
      target_group_arn = aws_lb_target_group.api.arn
      container_name   = "api"
      container_port   = 8000
    }
  }
  depends_on = [aws_lb_listener.https]
}

# A one-off migration task (`arbees migrate`): run it with `aws ecs run-task` before a release that
# changes the schema (the services also migrate at start-up, under an advisory lock).
resource "aws_ecs_task_definition" "migrate" {
  family                   = "${var.name}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  container_definitions = jsonencode([{
    name                   = "migrate"
    image                  = local.image
    essential              = true
    command                = ["migrate"]
    readonlyRootFilesystem = true
    user                   = "10001:10001"
    environment            = local.common_environment
    secrets                = local.common_secrets
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service["migrate"].name
        awslogs-region        = var.region
        awslogs-stream-prefix = "migrate"
      }
    }
  }])
}
