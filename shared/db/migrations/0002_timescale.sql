-- Time series become TimescaleDB hypertables when the extension is available; on plain PostgreSQL
-- (tests, the embedded default) this migration changes nothing and the schema works the same.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('game_states', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('market_prices', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('win_probabilities', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
        PERFORM create_hypertable('pnl_snapshots', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
    ELSE
        RAISE NOTICE 'timescaledb not available: time series stay plain tables';
    END IF;
END
$$;
