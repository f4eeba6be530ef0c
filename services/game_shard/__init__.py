"""game_shard: turns game states and market prices into win probabilities and signals."""
