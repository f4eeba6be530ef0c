"""Paper trading: the execution interface filled against live books, no money at risk."""
