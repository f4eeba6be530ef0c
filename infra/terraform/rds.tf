# RDS PostgreSQL 16 (RDS has no TimescaleDB: the migrations fall back to plain tables): private, encrypted,
# TLS only, 7 days of backups, deletion protection.
resource "random_password" "db" {
  length  = 32
  special = false
}

resource "aws_db_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "main" {
  name   = "${var.name}-pg16"
  family = "postgres16"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
}

resource "aws_db_instance" "main" {
  #checkov:skip=CKV_AWS_157:single-AZ at the seed's scale (cost); 7-day backups and point-in-time restore cover a failure
  #checkov:skip=CKV_AWS_118:enhanced monitoring is a paid extra; basic CloudWatch metrics are kept
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = "16.6"
  instance_class                      = var.db_instance_class
  allocated_storage                   = 20
  max_allocated_storage               = 100
  storage_type                        = "gp3"
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.main.arn
  db_name                             = "arbees"
  username                            = "arbees"
  password                            = random_password.db.result
  db_subnet_group_name                = aws_db_subnet_group.main.name
  parameter_group_name                = aws_db_parameter_group.main.name
  vpc_security_group_ids              = [aws_security_group.db.id]
  publicly_accessible                 = false
  multi_az                            = false
  backup_retention_period             = 7
  backup_window                       = "07:00-08:00"
  maintenance_window                  = "tue:08:30-tue:09:30"
  auto_minor_version_upgrade          = true
  deletion_protection                 = true
  copy_tags_to_snapshot               = true
  iam_database_authentication_enabled = true
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = aws_kms_key.main.arn
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-final"
}
