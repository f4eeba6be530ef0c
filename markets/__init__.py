"""Venue adapters: clients, auth, WebSocket feeds and execution engines per venue."""
