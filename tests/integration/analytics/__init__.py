"""Integration tests of the analytics service on a database filled by one short replay."""
