-- Core schema: time series, trading ledger, messaging (inbox/outbox), risk and model runs.
-- Money and prices are NUMERIC (exact); never floating point.

CREATE TABLE game_states (
    game_id        TEXT        NOT NULL,
    ts             TIMESTAMPTZ NOT NULL,
    sport          TEXT        NOT NULL,
    league         TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('pre', 'in', 'post')),
    period         INTEGER     NOT NULL,
    clock_seconds  DOUBLE PRECISION,
    home_team      TEXT        NOT NULL,
    away_team      TEXT        NOT NULL,
    home_score     INTEGER     NOT NULL,
    away_score     INTEGER     NOT NULL,
    payload        JSONB       NOT NULL,
    PRIMARY KEY (game_id, ts)
);

CREATE TABLE market_prices (
    venue       TEXT          NOT NULL,
    market_id   TEXT          NOT NULL,
    outcome_id  TEXT          NOT NULL,
    ts          TIMESTAMPTZ   NOT NULL,
    best_bid    NUMERIC(12, 6),
    best_ask    NUMERIC(12, 6),
    bid_size    NUMERIC(20, 6),
    ask_size    NUMERIC(20, 6),
    PRIMARY KEY (venue, market_id, outcome_id, ts)
);

CREATE TABLE win_probabilities (
    game_id        TEXT             NOT NULL,
    ts             TIMESTAMPTZ      NOT NULL,
    model          TEXT             NOT NULL,
    model_version  TEXT             NOT NULL,
    home           DOUBLE PRECISION NOT NULL,
    away           DOUBLE PRECISION NOT NULL,
    draw           DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (game_id, model, ts)
);

CREATE TABLE signals (
    signal_id          TEXT PRIMARY KEY,
    message_id         UUID           NOT NULL UNIQUE,
    ts                 TIMESTAMPTZ    NOT NULL,
    strategy           TEXT           NOT NULL,
    kind               TEXT           NOT NULL CHECK (kind IN ('model_edge', 'arbitrage')),
    game_id            TEXT           NOT NULL,
    edge_per_contract  NUMERIC(12, 6) NOT NULL,
    model_probability  DOUBLE PRECISION,
    payload            JSONB          NOT NULL
);
CREATE INDEX signals_game_idx ON signals (game_id, ts);

CREATE TABLE order_intents (
    intent_id        TEXT PRIMARY KEY,
    client_order_id  TEXT           NOT NULL UNIQUE,
    signal_id        TEXT           NOT NULL,
    leg_index        INTEGER        NOT NULL,
    strategy         TEXT           NOT NULL,
    game_id          TEXT           NOT NULL,
    venue            TEXT           NOT NULL,
    market_id        TEXT           NOT NULL,
    outcome_id       TEXT           NOT NULL,
    side             TEXT           NOT NULL CHECK (side IN ('buy', 'sell')),
    limit_price      NUMERIC(12, 6) NOT NULL,
    quantity         NUMERIC(20, 6) NOT NULL,
    notional         NUMERIC(20, 6) NOT NULL,
    decision         TEXT           NOT NULL CHECK (decision IN ('approved', 'denied')),
    reason_code      TEXT,
    reason           TEXT,
    created_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (signal_id, leg_index)
);
CREATE INDEX order_intents_game_idx ON order_intents (game_id) WHERE decision = 'approved';

CREATE TABLE orders (
    client_order_id  TEXT PRIMARY KEY,
    intent_id        TEXT REFERENCES order_intents (intent_id),
    venue            TEXT           NOT NULL,
    venue_order_id   TEXT,
    game_id          TEXT           NOT NULL,
    market_id        TEXT           NOT NULL,
    outcome_id       TEXT           NOT NULL,
    side             TEXT           NOT NULL CHECK (side IN ('buy', 'sell')),
    limit_price      NUMERIC(12, 6) NOT NULL,
    quantity         NUMERIC(20, 6) NOT NULL,
    filled_quantity  NUMERIC(20, 6) NOT NULL DEFAULT 0,
    avg_fill_price   NUMERIC(12, 6),
    status           TEXT           NOT NULL,
    reason           TEXT,
    paper            BOOLEAN        NOT NULL,
    created_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX orders_venue_order_idx ON orders (venue, venue_order_id) WHERE venue_order_id IS NOT NULL;

-- One row per fill of one of our orders; a multi-maker trade shares a venue trade id across our orders.
CREATE TABLE fills (
    fill_id          BIGSERIAL PRIMARY KEY,
    venue            TEXT           NOT NULL,
    venue_trade_id   TEXT           NOT NULL,
    client_order_id  TEXT           NOT NULL,
    venue_order_id   TEXT,
    game_id          TEXT           NOT NULL,
    market_id        TEXT           NOT NULL,
    outcome_id       TEXT           NOT NULL,
    side             TEXT           NOT NULL CHECK (side IN ('buy', 'sell')),
    price            NUMERIC(12, 6) NOT NULL,
    quantity         NUMERIC(20, 6) NOT NULL CHECK (quantity > 0),
    fee              NUMERIC(20, 6) NOT NULL,
    liquidity        TEXT           NOT NULL CHECK (liquidity IN ('maker', 'taker')),
    paper            BOOLEAN        NOT NULL,
    ts               TIMESTAMPTZ    NOT NULL,
    recorded_at      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (venue, venue_trade_id, client_order_id)
);
CREATE INDEX fills_market_idx ON fills (venue, market_id, outcome_id);

CREATE TABLE positions (
    venue           TEXT           NOT NULL,
    market_id       TEXT           NOT NULL,
    outcome_id      TEXT           NOT NULL,
    game_id         TEXT           NOT NULL,
    paper           BOOLEAN        NOT NULL,
    quantity        NUMERIC(20, 6) NOT NULL DEFAULT 0,
    cost_basis      NUMERIC(20, 6) NOT NULL DEFAULT 0,
    fees_paid       NUMERIC(20, 6) NOT NULL DEFAULT 0,
    realized_pnl    NUMERIC(20, 6) NOT NULL DEFAULT 0,
    mark_price      NUMERIC(12, 6),
    unrealized_pnl  NUMERIC(20, 6),
    status          TEXT           NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'settled')),
    opened_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (venue, market_id, outcome_id, paper)
);

CREATE TABLE settlements (
    venue        TEXT           NOT NULL,
    market_id    TEXT           NOT NULL,
    outcome_id   TEXT           NOT NULL,
    paper        BOOLEAN        NOT NULL,
    payout       NUMERIC(12, 6) NOT NULL,
    quantity     NUMERIC(20, 6) NOT NULL,
    proceeds     NUMERIC(20, 6) NOT NULL,
    pnl          NUMERIC(20, 6) NOT NULL,
    settled_at   TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (venue, market_id, outcome_id, paper)
);

CREATE TABLE pnl_snapshots (
    ts              TIMESTAMPTZ    NOT NULL,
    paper           BOOLEAN        NOT NULL,
    realized_pnl    NUMERIC(20, 6) NOT NULL,
    unrealized_pnl  NUMERIC(20, 6) NOT NULL,
    fees_paid       NUMERIC(20, 6) NOT NULL,
    open_positions  INTEGER        NOT NULL,
    PRIMARY KEY (paper, ts)
);

CREATE TABLE risk_state (
    key         TEXT PRIMARY KEY,
    value       JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO risk_state (key, value) VALUES ('trading_state', '{"state": "active", "reason": "initial"}');

CREATE TABLE model_runs (
    run_id       UUID PRIMARY KEY,
    sport        TEXT        NOT NULL,
    model        TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    params       JSONB       NOT NULL DEFAULT '{}',
    metrics      JSONB       NOT NULL DEFAULT '{}',
    artifact     TEXT
);

-- Exactly-once side effects: a handler's writes and its inbox row commit together.
CREATE TABLE inbox (
    consumer      TEXT        NOT NULL,
    message_id    UUID        NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Messages a transaction wants published; relayed to Redis Streams after commit.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    stream      TEXT        NOT NULL,
    msg_type    TEXT        NOT NULL,
    message_id  UUID        NOT NULL UNIQUE,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
