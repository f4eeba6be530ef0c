"""Parts of ``bench/bench_tick_to_order.py``: the processes, the price driver, the floor, the analysis."""
