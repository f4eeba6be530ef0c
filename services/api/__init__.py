"""api: the read API over the database and Redis (the dashboard talks to it)."""
