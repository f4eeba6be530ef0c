"""Deployment checks: Dockerfile, docker compose files, Terraform and checkov, by parsing (no engine, no AWS)."""
