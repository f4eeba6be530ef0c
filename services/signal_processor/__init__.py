"""signal_processor: the pre-trade risk gate between signals and orders."""
