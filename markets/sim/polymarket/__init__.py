"""A protocol-faithful Polymarket simulator: CLOB REST at ``/``, Gamma under ``/gamma``, market and user
WebSockets at ``/ws/market`` and ``/ws/user``, the geoblock probe at ``/api/geoblock`` and a ``/_sim``
control API. Start it with ``arbees sim polymarket --port P`` (see :mod:`markets.sim.polymarket.cli`).
"""
