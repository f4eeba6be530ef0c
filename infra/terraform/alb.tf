# The only public entry: an HTTPS ALB in front of the api task (dashboard at /, API under /api), TLS 1.2+,
# HTTP redirected to HTTPS, reachable from var.dashboard_allowed_cidrs only.
resource "aws_lb" "dashboard" {
  #checkov:skip=CKV_AWS_91:access logs need an S3 bucket and its upkeep; the api logs every request to CloudWatch
  #checkov:skip=CKV2_AWS_28:a WAF costs more than the seed's budget allows; the ALB is limited to allowed CIDRs and every route but /api/v1/health needs a bearer token
  name                       = "${var.name}-dashboard"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = aws_subnet.public[*].id
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true
}

resource "aws_lb_target_group" "api" {
  name        = "${var.name}-api"
  port        = 8000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
  health_check {
    path                = "/api/v1/health"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.dashboard.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.dashboard.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
