-- Every change of the fleet's trading state (halt / resume), so a check can ask what the state was when
-- an order was sent. The current state stays in risk_state('trading_state').

CREATE TABLE trading_state_log (
    id          BIGSERIAL   PRIMARY KEY,
    state       TEXT        NOT NULL CHECK (state IN ('active', 'halted')),
    reason      TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX trading_state_log_at_idx ON trading_state_log (changed_at);
INSERT INTO trading_state_log (state, reason, source, changed_at)
SELECT COALESCE(value->>'state', 'halted'), COALESCE(value->>'reason', 'initial'), 'migration', updated_at
FROM risk_state WHERE key = 'trading_state';
