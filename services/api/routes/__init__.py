"""Routes of the read API, a few lines each; queries live in services.api.queries."""
