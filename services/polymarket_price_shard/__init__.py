"""polymarket_price_shard: the fleet's only Polymarket market-WebSocket client; publishes tops to Redis."""
