"""Under the tick-to-order benchmark's load the ledger holds: nothing lost, nothing doubled, nothing sent while halted.

The benchmark's own fleet (separate processes: game_shard, signal_processor, execution_service trading on
the Kalshi simulator, position_tracker) takes price updates at several hundred a second with a share of
edges, with every batching on the path in place (signals straight onto their stream, the intent committed
once at the gate and published at once, outbox rows marked sent in batches, orders handled side by side
per venue). Then: the L1-L4 ledger check, every order against the simulator's own record, no update
missed by the shard, and nothing left waiting on any stream or in the outbox.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_tick_to_order import parse_args, run_fleet  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("replays")]


async def test_the_ledger_holds_under_the_benchmark_load(redis_url: str, tmp_path: Path) -> None:
    args = parse_args(["--games", "20", "--rate", "400", "--duration-s", "8", "--signal-share", "0.05"])
    result: dict[str, Any] = await run_fleet(args, tmp_path, redis_url)
    assert result["fleet_alive_during_run"], result["exit_codes"]
    assert result["quiet_after_run"], "messages or orders were still waiting after the run"
    assert result["ledger_ok"], result["ledger_problems"]
    assert result["venue_ok"], result["venue_problems"]
    assert result["updates_dropped"] == 0
    assert result["orders"].get("filled", 0) > 0 and result["orders_traced"] > 0  # orders did reach the venue
    assert all(code == 0 for code in result["exit_codes"].values()), result["exit_codes"]
