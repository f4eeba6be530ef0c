"""PostgreSQL store: pool, migrations, unit of work with inbox and outbox."""
