"""futures_monitor integration tests."""
