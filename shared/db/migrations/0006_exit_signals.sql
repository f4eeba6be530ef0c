-- Exit signals (take-profit, stop-loss, model flip) go through the same risk gate as entries.
ALTER TABLE signals DROP CONSTRAINT IF EXISTS signals_kind_check;
ALTER TABLE signals ADD CONSTRAINT signals_kind_check CHECK (kind IN ('model_edge', 'arbitrage', 'exit'));
