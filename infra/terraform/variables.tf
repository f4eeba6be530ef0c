# Inputs of the Arbees deployment.

# Permitted jurisdiction: Kalshi and Polymarket each restrict who may trade and from where. Deploy and trade
# only where you are permitted to. The region only places the servers near the venues (us-east-1); it gives
# no permission to trade. A venue's geoblock or eligibility answer stops trading on that venue and is never
# worked around (the VPN sidecar carries only the price shard's public market-data WebSocket, never orders).
variable "region" {
  description = "AWS region; us-east-1 is next to both venues. See the permitted-jurisdiction note above."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "arbees"
}

variable "image_tag" {
  description = "Tag of the service image in ECR (immutable tags: push a new tag per release)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "game_shard_count" {
  description = "Desired number of game_shard tasks; each takes its task hostname as shard id."
  type        = number
  default     = 2
}

variable "nat_mode" {
  description = "Outbound path of the private subnets: `instance` (a t4g.nano NAT instance, cheap) or `gateway` (managed NAT gateway, ~$33/month more)."
  type        = string
  default     = "instance"
  validation {
    condition     = contains(["instance", "gateway"], var.nat_mode)
    error_message = "nat_mode must be instance or gateway."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for the dashboard's HTTPS listener (in var.region)."
  type        = string
}

variable "dashboard_allowed_cidrs" {
  description = "Who may reach the dashboard/API over HTTPS. Narrow it to your own addresses."
  type        = list(string)
}

variable "paper_trading" {
  description = "\"1\" (paper, the default) or \"0\" (real money; also needs live_trading_confirmed = \"1\")."
  type        = string
  default     = "1"
  validation {
    condition     = contains(["0", "1"], var.paper_trading)
    error_message = "paper_trading must be \"0\" or \"1\"."
  }
}

variable "live_trading_confirmed" {
  description = "The second, explicit opt-in to real money (\"1\")."
  type        = string
  default     = "0"
  validation {
    condition     = contains(["0", "1"], var.live_trading_confirmed)
    error_message = "live_trading_confirmed must be \"0\" or \"1\"."
  }
}

variable "vpn_service_provider" {
  description = "gluetun VPN_SERVICE_PROVIDER of the price shard's sidecar (its keys go in the vpn secret)."
  type        = string
  default     = "mullvad"
}

variable "vpn_server_countries" {
  description = "gluetun SERVER_COUNTRIES: a country where reading Polymarket's public market data is permitted."
  type        = string
  default     = ""
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 30
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "venue_credentials_enabled" {
  description = "Inject the venue keys (kalshi, polymarket secrets) into execution_service and game_shard. Put the secrets' values first (README); paper trading needs none."
  type        = bool
  default     = false
}

variable "availability_zones" {
  description = "The two availability zones of the subnets (pinned, so the layout never changes under you)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
  validation {
    condition     = length(var.availability_zones) == 2
    error_message = "Give exactly two availability zones."
  }
}
