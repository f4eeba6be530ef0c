"""The figures a replay reports, read back from the database and Redis after the fleet stopped.

The replay adds ``venues`` (``paper`` or ``sim``) and ``venue_open_orders`` (with ``--venues sim``: our orders
still resting on each simulator once the fleet stopped, asked through the simulators' APIs; ``None`` on paper,
where no order of ours reaches a simulator), and how it ran: ``day`` (``--date``), ``leagues``, ``speed``,
``game_span_s`` (game seconds from the first start to the last end), ``timings_s`` (wall seconds per phase,
``total`` included), ``settled_in_time``, ``fleet_exit_codes`` (of each fleet process once stopped),
``lag_s`` (:mod:`services.cli.replay.lag`) and ``stream_backlog_max`` (the most entries a money stream had
waiting, sampled every second).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from shared.ledger_check import LedgerReport, check_ledger


async def summarise(pool: asyncpg.Pool, redis: Any, game_ids: Sequence[str]) -> dict[str, Any]:
    """Counts of everything the run produced, P&L, and the ledger check."""
    ids = list(game_ids)
    async with pool.acquire() as conn:

        async def count(sql: str) -> int:
            return int(await conn.fetchval(sql, ids))

        matched = {
            venue: int(
                await conn.fetchval(
                    "SELECT count(DISTINCT game_id) FROM market_matches "
                    "WHERE status = 'matched' AND venue = $2 AND game_id = ANY($1::text[])",
                    ids,
                    venue,
                )
            )
            for venue in ("kalshi", "polymarket")
        }
        money = await conn.fetchrow(
            "SELECT COALESCE(SUM(realized_pnl), 0) AS realized, COALESCE(SUM(fees_paid), 0) AS fees "
            "FROM positions WHERE game_id = ANY($1::text[])",
            ids,
        )
        kinds = {
            r["kind"]: int(r["n"])
            for r in await conn.fetch(
                "SELECT kind, count(*) AS n FROM signals WHERE game_id = ANY($1::text[]) GROUP BY kind", ids
            )
        }
        steps = {
            r["step"]: int(r["n"])
            for r in await conn.fetch(
                """SELECT reason_code AS step, count(*) AS n FROM order_intents
                   WHERE reason_code IN ('hedge', 'unwind') AND game_id = ANY($1::text[]) GROUP BY reason_code""",
                ids,
            )
        }
        summary: dict[str, Any] = {
            "games": len(ids),
            "games_discovered": await count("SELECT count(*) FROM games WHERE game_id = ANY($1::text[])"),
            "matched": matched,
            "refused_markets": await count(
                "SELECT count(*) FROM market_matches WHERE status = 'refused' AND $1::text[] IS NOT NULL"
            ),
            "game_states": await count("SELECT count(*) FROM game_states WHERE game_id = ANY($1::text[])"),
            "probabilities": await count("SELECT count(*) FROM win_probabilities WHERE game_id = ANY($1::text[])"),
            "prices": await count("SELECT count(*) FROM market_prices WHERE $1::text[] IS NOT NULL"),
            "line_history": await count("SELECT count(*) FROM line_history WHERE game_id = ANY($1::text[])"),
            "line_movements": await count("SELECT count(*) FROM line_movements WHERE game_id = ANY($1::text[])"),
            "signals": await count("SELECT count(*) FROM signals WHERE game_id = ANY($1::text[])"),
            "signals_by_kind": {k: kinds.get(k, 0) for k in ("model_edge", "arbitrage", "exit")},
            "arbitrage_steps": {k: steps.get(k, 0) for k in ("hedge", "unwind")},
            "intents_approved": await count(
                "SELECT count(*) FROM order_intents WHERE decision = 'approved' AND game_id = ANY($1::text[])"
            ),
            "intents_denied": await count(
                "SELECT count(*) FROM order_intents WHERE decision = 'denied' AND game_id = ANY($1::text[])"
            ),
            "orders": await count("SELECT count(*) FROM orders WHERE game_id = ANY($1::text[])"),
            "fills": await count("SELECT count(*) FROM fills WHERE game_id = ANY($1::text[])"),
            "positions_opened": await count("SELECT count(*) FROM positions WHERE game_id = ANY($1::text[])"),
            "positions_settled": await count(
                "SELECT count(*) FROM positions WHERE status = 'settled' AND game_id = ANY($1::text[])"
            ),
            "positions_closed": await count(
                "SELECT count(*) FROM positions WHERE status = 'closed' AND game_id = ANY($1::text[])"
            ),
            "positions_open": await count(
                "SELECT count(*) FROM positions WHERE status = 'open' AND game_id = ANY($1::text[])"
            ),
            "realized_pnl": str(Decimal(money["realized"]).quantize(Decimal("0.000001"))),
            "fees_paid": str(Decimal(money["fees"]).quantize(Decimal("0.000001"))),
            "net_pnl": str((Decimal(money["realized"]) - Decimal(money["fees"])).quantize(Decimal("0.000001"))),
        }
    report: LedgerReport = await check_ledger(pool, redis)
    summary["ledger_ok"] = report.ok
    summary["ledger_problems"] = report.problems
    return summary


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary for people."""
    m = summary["matched"]
    fills = "paper fills" if summary.get("venues", "paper") == "paper" else "fills on the simulators' books"
    resting = summary.get("venue_open_orders")
    lines = [
        f"games {summary['games']}: discovered {summary['games_discovered']}, matched on Kalshi {m['kalshi']}, "
        f"on Polymarket {m['polymarket']} ({summary['refused_markets']} market(s) refused, reasons stored)",
        f"game states {summary['game_states']}, win probabilities {summary['probabilities']}, "
        f"prices stored {summary['prices']}, pre-game line points {summary['line_history']} "
        f"(movements {summary['line_movements']})",
        f"signals {summary['signals']} -> approved {summary['intents_approved']}, denied {summary['intents_denied']}"
        f" -> orders {summary['orders']} -> {fills} {summary['fills']}",
        "signals by kind: "
        + ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in summary["signals_by_kind"].items())
        + "; arbitrage legs hedged {hedge}, unwound {unwind}".format(**summary["arbitrage_steps"]),
        f"positions opened {summary['positions_opened']}, closed by exits {summary['positions_closed']}, settled "
        f"{summary['positions_settled']}, still open {summary['positions_open']}: realized "
        f"${summary['realized_pnl']}, fees ${summary['fees_paid']}, net ${summary['net_pnl']}",
    ]
    if resting is not None:
        lines.append(
            f"our orders still resting at the end: Kalshi {resting['kalshi']}, Polymarket {resting['polymarket']}"
        )
    lines.extend(_run_lines(summary))
    lines.append(
        "ledger check: ok (nothing lost, nothing doubled)"
        if summary["ledger_ok"]
        else "ledger check: FAILED\n  " + "\n  ".join(summary["ledger_problems"])
    )
    return lines


def _run_lines(summary: dict[str, Any]) -> list[str]:
    """How the replay ran: its clock against the wall, and the fleet's lag behind it."""
    t = summary.get("timings_s") or {}
    if "total" not in t or not summary.get("game_span_s"):
        return []
    day = f" on {summary['day']}" if summary.get("day") else ""
    setup = t.get("set_up", 0.0)
    lines = [
        f"replay{day}: game-day span {summary['game_span_s'] / 3600:.2f} h at {summary['speed']:g}x; wall "
        f"{t['total']:.0f} s (set-up {setup:.0f}, games {t.get('games', 0):.0f}, settling {t.get('settle', 0):.0f}, "
        f"stopping {t.get('stop', 0):.0f}) = {summary['game_span_s'] / t['total']:.1f}x real time"
        + ("" if summary.get("settled_in_time", True) else " (TIMED OUT before every game settled)")
    ]
    lag = summary.get("lag_s") or {}
    if lag:
        parts = [f"{name.replace('_', ' ')} {_p(v)}" for name, v in lag.items() if isinstance(v, dict) and v.get("n")]
        lines.append("lag behind the replay clock, wall s p50/p90/max: " + ", ".join(parts))
    killed = {n: c for n, c in (summary.get("fleet_exit_codes") or {}).items() if c != 0}
    if killed:
        lines.append(f"fleet processes that did not exit cleanly when stopped: {killed}")
    backlog = summary.get("stream_backlog_max") or {}
    if backlog:
        stream, most = max(backlog.items(), key=lambda kv: kv[1])
        lines.append(f"largest money-stream backlog seen: {most} ({stream})")
    return lines


def _p(v: dict[str, Any]) -> str:
    return f"{v['p50']:.2f}/{v['p90']:.2f}/{v['max']:.2f}"
