"""Kalshi Trade API v2 client: signed REST, WebSocket feeds with local books, and wire parsing.

Modules: :mod:`~markets.kalshi.config` (settings), :mod:`~markets.kalshi.auth` (RSA-PSS signing),
:mod:`~markets.kalshi.rest` (REST client), :mod:`~markets.kalshi.ws` (WebSocket client),
:mod:`~markets.kalshi.books` (local order book), :mod:`~markets.kalshi.schemas` (wire models),
:mod:`~markets.kalshi.parsing` (wire → domain), :mod:`~markets.kalshi.models` (domain types),
:mod:`~markets.kalshi.errors` (error mapping), :mod:`~markets.kalshi.ratelimit` (token buckets),
:mod:`~markets.kalshi.retry` (back-off), :mod:`~markets.kalshi.capabilities` (capability table).
"""
