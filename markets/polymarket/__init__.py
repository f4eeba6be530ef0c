"""Polymarket connectivity: Gamma (markets), CLOB REST (books, prices, trading) and the CLOB WebSockets.

- :mod:`markets.polymarket.gamma` — sports events and markets from the Gamma API.
- :mod:`markets.polymarket.clob` — public CLOB reads (book, price, midpoint, tick size, ...).
- :mod:`markets.polymarket.trading` — authenticated CLOB calls through py-clob-client-v2, off the event loop.
- :mod:`markets.polymarket.ws_market` / :mod:`markets.polymarket.ws_user` — market and user channels.
- :mod:`markets.polymarket.execution` — :class:`PolymarketExecutionEngine`, real orders behind
  :class:`markets.base.ExecutionEngine` (helpers in its sub-modules).
- :mod:`markets.polymarket.geoblock` — the geoblock probe and the :class:`~markets.polymarket.geoblock.TradingGate`
  that stops trading for good once the venue says this location may not trade.

Wire JSON is parsed once, in :mod:`markets.polymarket.parsing`, into the exact (``Decimal``) domain types of
:mod:`markets.polymarket.types`.
"""
