"""analytics service: the nightly jobs (archive 23:00, model training 00:00, hot-wash report 00:30)."""
