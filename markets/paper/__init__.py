"""Paper trading: the execution interface filled against live books, no money at risk.

``engine`` (:class:`~markets.paper.engine.PaperTradingEngine`), ``books`` (the ``BookSource`` protocol),
``sources`` (Redis tops, Kalshi and Polymarket REST books), ``rules`` (venue order rules), ``matching``
(walking a book, liquidity already taken), ``orders`` (paper orders on the shared state machine),
``accounts`` (cash, reservations, positions), ``fees`` (both venues' formulas), ``updates`` (push stream).
"""
