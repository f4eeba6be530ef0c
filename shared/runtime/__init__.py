"""One way to run any service: infrastructure, task group, heartbeats, health, graceful drain."""
