"""futures_monitor: pre-game lines of the discovered games, line movements, and the hand-off at start."""
