-- futures_monitor: the pre-game line of every discovered game on each venue (home-win price over time),
-- the line movements detected on it, and the hand-off of each game's last pre-game line at its start.

CREATE TABLE line_history (
    game_id    TEXT        NOT NULL,
    venue      TEXT        NOT NULL,
    market_id  TEXT        NOT NULL,
    ts         TIMESTAMPTZ NOT NULL,
    home_bid   NUMERIC     NOT NULL,
    home_ask   NUMERIC     NOT NULL,
    home_mid   NUMERIC     NOT NULL,
    PRIMARY KEY (game_id, venue, market_id, ts)
);
CREATE INDEX line_history_ts_idx ON line_history (ts);

CREATE TABLE line_movements (
    game_id     TEXT             NOT NULL,
    venue       TEXT             NOT NULL,
    market_id   TEXT             NOT NULL,
    ts          TIMESTAMPTZ      NOT NULL,
    from_ts     TIMESTAMPTZ      NOT NULL,
    from_price  NUMERIC          NOT NULL,
    to_price    NUMERIC          NOT NULL,
    change      NUMERIC          NOT NULL,
    window_s    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (game_id, venue, market_id, ts)
);

-- One row per game handed to the game shards: the pre-game home-win probability used as the model prior.
CREATE TABLE pregame_lines (
    game_id          TEXT PRIMARY KEY,
    home_prob        NUMERIC     NOT NULL CHECK (home_prob >= 0 AND home_prob <= 1),
    venues           JSONB       NOT NULL DEFAULT '[]',
    line_ts          TIMESTAMPTZ NOT NULL,
    scheduled_start  TIMESTAMPTZ NOT NULL,
    handed_off_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        PERFORM create_hypertable('line_history', 'ts', if_not_exists => TRUE, migrate_data => TRUE);
    ELSE
        RAISE NOTICE 'timescaledb not available: line_history stays a plain table';
    END IF;
END
$$;
