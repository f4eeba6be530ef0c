"""position_tracker: positions, P&L and settlement from fills and prices."""
