# Terraform and AWS provider versions (pinned), and the provider's region and default tags.
terraform {
  required_version = ">= 1.6.0, < 2.0.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "= 5.82.2"
    }
    random = {
      source  = "hashicorp/random"
      version = "= 3.6.3"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project   = "arbees"
      ManagedBy = "terraform"
    }
  }
}
