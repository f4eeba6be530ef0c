"""Protocol-faithful Kalshi Trade API v2 simulator (REST, WebSocket, matching, settlement, faults)."""
