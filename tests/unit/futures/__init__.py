"""futures_monitor unit tests."""
