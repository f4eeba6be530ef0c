-- Orders remember the flow they belong to, so follow-up updates (reconciliation, late fills) carry the
-- same correlation id as the intent that caused them.
ALTER TABLE orders ADD COLUMN correlation_id UUID;
ALTER TABLE orders ADD COLUMN time_in_force TEXT NOT NULL DEFAULT 'ioc';
CREATE INDEX orders_open_idx ON orders (venue, status)
    WHERE status IN ('submitted', 'unknown', 'accepted', 'partially_filled', 'pending_cancel');
