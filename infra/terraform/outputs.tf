# What an operator needs after `terraform apply`.
output "dashboard_url" {
  description = "The dashboard (and the API under /api/v1); point your DNS name at alb_dns_name to match the certificate."
  value       = "https://${aws_lb.dashboard.dns_name}/"
}

output "alb_dns_name" {
  description = "DNS name of the dashboard's load balancer (CNAME/alias your certificate's name to it)."
  value       = aws_lb.dashboard.dns_name
}

output "ecr_repository_url" {
  description = "Push the service image here (docker buildx build --platform linux/arm64 ...)."
  value       = aws_ecr_repository.arbees.repository_url
}

output "ecs_cluster" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.main.name
}

output "private_subnet_ids" {
  description = "Subnets for `aws ecs run-task` (the migrate task)."
  value       = aws_subnet.private[*].id
}

output "task_security_group_id" {
  description = "Security group for `aws ecs run-task`."
  value       = aws_security_group.tasks.id
}

output "secret_names" {
  description = "Secrets Manager names; put the venue and VPN values into the operator ones."
  value       = concat([for s in aws_secretsmanager_secret.generated : s.name], [for s in aws_secretsmanager_secret.operator : s.name])
}
