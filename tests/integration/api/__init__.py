"""Integration tests of the dashboard read API (real PostgreSQL and Redis)."""
