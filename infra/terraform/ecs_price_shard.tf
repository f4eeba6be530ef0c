# polymarket_price_shard with its VPN sidecar (gluetun) in one task: the containers of an awsvpc task share
# one network namespace, so the shard's market-data WebSocket leaves through the tunnel. gluetun needs
# NET_ADMIN and /dev/net/tun, which Fargate does not grant, so this one task runs on a single t4g.micro ECS
# container instance (EC2 capacity provider) in a private subnet; everything else stays on Fargate.
# Only this task is behind the VPN; orders never go through it (execution_service obeys the geoblock).
data "aws_ssm_parameter" "ecs_al2023_arm64" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
}

resource "aws_iam_role" "vpn_host" {
  name               = "${var.name}-vpn-host"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy_attachment" "vpn_host_ecs" {
  role       = aws_iam_role.vpn_host.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_role_policy_attachment" "vpn_host_ssm" {
  role       = aws_iam_role.vpn_host.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "vpn_host" {
  name = "${var.name}-vpn-host"
  role = aws_iam_role.vpn_host.name
}

resource "aws_launch_template" "vpn_host" {
  name_prefix            = "${var.name}-vpn-host-"
  image_id               = data.aws_ssm_parameter.ecs_al2023_arm64.value
  instance_type          = "t4g.micro"
  vpc_security_group_ids = [aws_security_group.tasks.id]
  ebs_optimized          = true
  iam_instance_profile {
    arn = aws_iam_instance_profile.vpn_host.arn
  }
  metadata_options {
    http_tokens                 = "required"
    http_endpoint               = "enabled"
    http_put_response_hop_limit = 1
  }
  monitoring {
    enabled = true
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted   = true
      kms_key_id  = aws_kms_key.main.arn
      volume_size = 30
      volume_type = "gp3"
    }
  }
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "ECS_CLUSTER=${var.name}" >> /etc/ecs/ecs.config
    echo "ECS_ENABLE_TASK_IAM_ROLE=true" >> /etc/ecs/ecs.config
  EOT
  )
}

resource "aws_autoscaling_group" "vpn_host" {
  name                = "${var.name}-vpn-host"
  min_size            = 1
  max_size            = 1
  desired_capacity    = 1
  vpc_zone_identifier = aws_subnet.private[*].id
  launch_template {
    id      = aws_launch_template.vpn_host.id
    version = "$Latest"
  }
  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "vpn_host" {
  name = "${var.name}-vpn-host"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.vpn_host.arn
    managed_scaling {
      status = "DISABLED"
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", aws_ecs_capacity_provider.vpn_host.name]
}

resource "aws_ecs_task_definition" "polymarket_price_shard" {
  family                   = "${var.name}-polymarket_price_shard"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 768
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  volume {
    name = "data"
  }
  volume {
    name = "tmp"
  }
  container_definitions = jsonencode([
    {
      name      = "vpn"
      image     = "qmcgaw/gluetun:v3.40.0"
      essential = true
      linuxParameters = {
        capabilities = { add = ["NET_ADMIN"] }
        devices      = [{ hostPath = "/dev/net/tun", containerPath = "/dev/net/tun" }]
      }
      environment = [
        { name = "VPN_SERVICE_PROVIDER", value = var.vpn_service_provider },
        { name = "VPN_TYPE", value = "wireguard" },
        { name = "SERVER_COUNTRIES", value = var.vpn_server_countries },
        # RDS and ElastiCache stay reachable inside the VPC, outside the tunnel.
        { name = "FIREWALL_OUTBOUND_SUBNETS", value = var.vpc_cidr },
        { name = "HTTP_CONTROL_SERVER_ADDRESS", value = "127.0.0.1:8000" },
      ]
      secrets = [
        for key in local.operator_secrets.vpn : { name = key, valueFrom = "${aws_secretsmanager_secret.operator["vpn"].arn}:${key}::" }
      ]
      healthCheck = {
        command     = ["CMD", "/gluetun-entrypoint", "healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service["vpn"].name
          awslogs-region        = var.region
          awslogs-stream-prefix = "vpn"
        }
      }
    },
    {
      name                   = "polymarket_price_shard"
      image                  = local.image
      essential              = true
      command                = ["run", "polymarket_price_shard"]
      readonlyRootFilesystem = true
      user                   = "10001:10001"
      dependsOn              = [{ containerName = "vpn", condition = "HEALTHY" }]
      environment            = local.common_environment
      secrets                = local.common_secrets
      mountPoints = [
        { sourceVolume = "data", containerPath = "/var/lib/arbees", readOnly = false },
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
      ]
      healthCheck = local.health_check
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service["polymarket_price_shard"].name
          awslogs-region        = var.region
          awslogs-stream-prefix = "polymarket_price_shard"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "polymarket_price_shard" {
  name                               = "polymarket_price_shard"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.polymarket_price_shard.arn
  desired_count                      = 1
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  propagate_tags                     = "SERVICE"
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.vpn_host.name
    weight            = 1
  }
  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
