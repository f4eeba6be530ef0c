-- Discovery: the game catalogue (ESPN), every venue market's match verdict, and which shard watches which game.

CREATE TABLE games (
    game_id          TEXT PRIMARY KEY,
    league           TEXT        NOT NULL,
    sport            TEXT        NOT NULL,
    scheduled_start  TIMESTAMPTZ NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('pre', 'in', 'post')),
    completed        BOOLEAN     NOT NULL DEFAULT FALSE,
    home_team        TEXT        NOT NULL,
    away_team        TEXT        NOT NULL,
    home_name        TEXT        NOT NULL,
    away_name        TEXT        NOT NULL,
    name             TEXT        NOT NULL DEFAULT '',
    ended_at         TIMESTAMPTZ,
    payload          JSONB       NOT NULL,
    first_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX games_start_idx ON games (scheduled_start);

-- One verdict per venue market: matched to a game (with its oriented instruments) or refused with a reason.
CREATE TABLE market_matches (
    venue          TEXT             NOT NULL,
    market_id      TEXT             NOT NULL,
    game_id        TEXT             NOT NULL DEFAULT '',
    status         TEXT             NOT NULL CHECK (status IN ('matched', 'refused')),
    confidence     DOUBLE PRECISION NOT NULL,
    reason_code    TEXT,
    reasons        JSONB            NOT NULL DEFAULT '[]',
    event_id       TEXT             NOT NULL DEFAULT '',
    title          TEXT             NOT NULL DEFAULT '',
    home_outcome   TEXT,
    instruments    JSONB            NOT NULL DEFAULT '[]',
    first_seen_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (venue, market_id)
);
CREATE INDEX market_matches_game_idx ON market_matches (game_id) WHERE status = 'matched';

CREATE TABLE shard_assignments (
    game_id      TEXT PRIMARY KEY,
    shard_id     TEXT        NOT NULL,
    assigned_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason       TEXT        NOT NULL DEFAULT ''
);
