"""The message bus on Redis: pub/sub with latest values for market data, Streams for money."""
