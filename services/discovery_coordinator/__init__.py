"""discovery_coordinator: finds games (ESPN) and their markets (Kalshi, Polymarket), matches them, assigns shards."""
