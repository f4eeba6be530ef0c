"""The report's numbers, from the day's rows: P&L, trades, slippage, fees, latency, denials, anomalies.

Money stays ``Decimal`` from the database to the formatted cell; only the plots' series are floats.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.analytics.report import fmt
from services.analytics.report.model import Table
from services.analytics.report.pnl import ZERO, PnlEvent, PositionHistory, PositionKey, day_events, histories
from services.analytics.report.queries import DayRows, Row
from services.analytics.report.stats import percentile
from services.analytics.report.window import Window

MICRO = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class DayFigures:
    """Every number of the report."""

    headline: dict[str, Decimal | int]
    pnl_tables: tuple[Table, ...]
    cumulative: list[tuple[datetime, float, float]]  # ts, realized, net (for the plot)
    trades: Table
    edge_points: list[tuple[float, float, str]]  # predicted, realized per contract, strategy
    slippage: Table
    slippage_points: list[tuple[float, float, str]]  # signal price, fill price, venue
    fees: Table
    latency: Table
    latency_ms: dict[str, list[float]]
    denials: tuple[Table, ...]
    anomalies: tuple[Table, ...]


def _key(r: Row) -> PositionKey:
    return (r["venue"], r["market_id"], r["outcome_id"], r["paper"])


def _labels(rows: DayRows) -> dict[tuple[str, str, str], str]:
    """(venue, market, outcome) -> "DEN win" style label from the matched instruments."""
    teams = {g["game_id"]: (g["home_team"], g["away_team"]) for g in rows.games}
    out = {}
    for m in rows.matches:
        home, away = teams.get(m["game_id"], ("home", "away"))
        raw = m["instruments"]
        for inst in json.loads(raw) if isinstance(raw, str) else raw or []:
            on_home = (inst.get("pays_on") == "home") != bool(inst.get("negated"))
            out[(m["venue"], m["market_id"], str(inst["outcome_id"]))] = f"{home if on_home else away} win"
    return out


def compute(rows: DayRows, window: Window) -> DayFigures:
    """All the figures of the day."""
    hist = histories(rows.position_fills, rows.settlements)
    events = day_events(hist, window.start, window.end)
    sports = {g["game_id"]: g["sport"] for g in rows.games}
    labels = _labels(rows)
    realized = sum((e.realized for e in events), ZERO)
    fees = sum((f["fee"] for f in rows.fills), ZERO)
    positions_realized = sum((p["realized_pnl"] for p in rows.positions), ZERO)
    trades, edge_points = _trades(rows, hist, labels)
    slippage, slip_points, slip_cost = _slippage(rows)
    latency, latency_ms = _latency(rows)
    denied = [i for i in rows.intents if i["decision"] == "denied"]
    headline: dict[str, Decimal | int] = {
        "realized_pnl": realized,
        "fees": fees,
        "net_pnl": realized - fees,
        "positions_realized_pnl": positions_realized,
        "trades": len(rows.fills),
        "orders": len(rows.orders),
        "contracts": sum((f["quantity"] for f in rows.fills), ZERO),
        "signals": len(rows.signals),
        "denied_intents": len(denied),
        "slippage_cost": slip_cost,
    }
    return DayFigures(
        headline=headline,
        pnl_tables=_pnl_tables(events, hist, rows, sports),
        cumulative=_cumulative(events, rows.fills),
        trades=trades,
        edge_points=edge_points,
        slippage=slippage,
        slippage_points=slip_points,
        fees=_fees(rows.fills),
        latency=latency,
        latency_ms=latency_ms,
        denials=_denials(rows),
        anomalies=_anomalies(rows, realized, positions_realized),
    )


def _pnl_tables(
    events: list[PnlEvent], hist: dict[PositionKey, PositionHistory], rows: DayRows, sports: dict[str, str]
) -> tuple[Table, ...]:
    def attrs(key: PositionKey) -> dict[str, str]:
        h = hist.get(key)
        game = h.game_id if h else ""
        return {
            "sport": sports.get(game, "unknown"),
            "strategy": h.strategy if h else "unknown",
            "venue": key[0],
            "mode": "paper" if key[3] else "live",
        }

    tables = []
    for dim in ("sport", "strategy", "venue", "mode"):
        real: dict[str, Decimal] = defaultdict(lambda: ZERO)
        fee: dict[str, Decimal] = defaultdict(lambda: ZERO)
        count: Counter[str] = Counter()
        for e in events:
            real[attrs(e.key)[dim]] += e.realized
        for f in rows.fills:
            name = attrs(_key(f))[dim]
            fee[name] += f["fee"]
            count[name] += 1
        names = sorted(real.keys() | fee.keys())
        body = [(n, str(count[n]), fmt.money(real[n]), fmt.money(fee[n]), fmt.money(real[n] - fee[n])) for n in names]
        if names:
            total_r, total_f = sum(real.values(), ZERO), sum(fee.values(), ZERO)
            body.append(("Total", str(sum(count.values())), fmt.money(total_r), fmt.money(total_f),
                         fmt.money(total_r - total_f)))  # fmt: skip
        tables.append(
            Table(
                f"By {dim}",
                (dim.title(), "Fills", "Realized $", "Fees $", "Net $"),
                tuple(body),
                empty="no realized P&L and no fills this day",
            )  # fmt: skip
        )
    return tuple(tables)


def _cumulative(events: list[PnlEvent], fills: list[Row]) -> list[tuple[datetime, float, float]]:
    steps = sorted([(e.ts, e.realized, ZERO) for e in events] + [(f["ts"], ZERO, f["fee"]) for f in fills])
    out, real, fee = [], ZERO, ZERO
    for ts, r, f in steps:
        real, fee = real + r, fee + f
        out.append((ts, float(real), float(real - fee)))
    return out


def _trades(
    rows: DayRows, hist: dict[PositionKey, PositionHistory], labels: dict[tuple[str, str, str], str]
) -> tuple[Table, list[tuple[float, float, str]]]:
    realized_by_order: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for h in hist.values():
        for e in h.events:
            if e.client_order_id:
                realized_by_order[e.client_order_id] += e.realized / e.quantity
    body, points = [], []
    for o in rows.orders:
        key = _key(o)
        filled = o["filled_quantity"]
        avg = o["avg_fill_price"]
        realized_pc: Decimal | None = None
        if filled and avg is not None:
            if o["side"] == "buy":
                ev = hist[key].exit_value if key in hist else None
                realized_pc = None if ev is None else ev - avg
            else:
                realized_pc = realized_by_order.get(o["client_order_id"])
        edge = o["edge_per_contract"]
        if edge is not None and realized_pc is not None:
            points.append((float(edge), float(realized_pc), o["strategy"] or "unknown"))
        body.append((
            fmt.clock(o["created_at"]), o["strategy"] or "-", o["kind"] or "-", o["venue"],
            labels.get((o["venue"], o["market_id"], o["outcome_id"]), o["outcome_id"][:12]), o["side"],
            fmt.qty(o["quantity"]), fmt.price(o["limit_price"]), fmt.qty(filled), fmt.price(avg), o["status"],
            "-" if o["model_probability"] is None else f"{o['model_probability']:.3f}",
            fmt.price(edge), fmt.price(realized_pc),
            "-" if realized_pc is None or not filled else fmt.money(realized_pc * filled),
        ))  # fmt: skip
    table = Table(
        "Every order",
        (
            "Time (ET)",
            "Strategy",
            "Signal",
            "Venue",
            "Outcome",
            "Side",
            "Qty",
            "Limit",
            "Filled",
            "Avg fill",
            "Status",
            "Model p",
            "Predicted edge/ct",
            "Realized edge/ct",
            "Edge captured $",
        ),  # fmt: skip
        tuple(body),
        note="Predicted edge: the signal's edge per contract (for an arbitrage, of the pair). Realized edge: for a "
        "buy, what its contracts ended at (exit sales and settlement, averaged) less the fill price; for a sell, "
        "the sale price less the average cost. '-' while the position is open. Edge captured is this order's view "
        "(a buy and the sale that closes it both show the same gain): the P&L tables above are the day's P&L.",
        empty="no orders this day",
    )
    return table, points


def _signal_price(o: Row) -> Decimal | None:
    payload = o["signal_payload"]
    if payload is None or o["leg_index"] is None:
        return None
    legs = (json.loads(payload) if isinstance(payload, str) else payload).get("legs", [])
    return Decimal(legs[o["leg_index"]]["limit_price"]) if o["leg_index"] < len(legs) else None


def _slippage(rows: DayRows) -> tuple[Table, list[tuple[float, float, str]], Decimal]:
    orders = {o["client_order_id"]: o for o in rows.orders}
    body, points, cost = [], [], ZERO
    for f in rows.fills:
        o = orders.get(f["client_order_id"])
        signal = _signal_price(o) if o else None
        if signal is None:
            continue
        per = (f["price"] - signal) if f["side"] == "buy" else (signal - f["price"])
        cost += per * f["quantity"]
        points.append((float(signal), float(f["price"]), f["venue"]))
        body.append((fmt.clock(f["ts"]), f["venue"], f["side"], fmt.qty(f["quantity"]), fmt.price(signal),
                     fmt.price(f["price"]), fmt.price(per), fmt.money(per * f["quantity"])))  # fmt: skip
    table = Table(
        "Signal price against fill price",
        ("Time (ET)", "Venue", "Side", "Qty", "Signal price", "Fill price", "Slippage/ct", "Slippage $"),
        tuple(body),
        note=f"Positive slippage is against us (paid more on a buy, got less on a sell). Total: {fmt.money(cost)} $.",
        empty="no fills this day",
    )
    return table, points, cost


def _fees(fills: list[Row]) -> Table:
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for f in fills:
        groups[(f["venue"], f["liquidity"])].append(f)
    body = []
    for (venue, liq), fs in sorted(groups.items()):
        notional = sum((f["price"] * f["quantity"] for f in fs), ZERO)
        fee = sum((f["fee"] for f in fs), ZERO)
        bps = "-" if not notional else str((fee / notional * 10000).quantize(Decimal("0.1")))
        body.append((venue, liq, str(len(fs)), fmt.qty(sum((f["quantity"] for f in fs), ZERO)),
                     fmt.money(notional), fmt.money(fee), bps))  # fmt: skip
    if body:
        body.append(("Total", "", str(len(fills)), fmt.qty(sum((f["quantity"] for f in fills), ZERO)),
                     fmt.money(sum((f["price"] * f["quantity"] for f in fills), ZERO)),
                     fmt.money(sum((f["fee"] for f in fills), ZERO)), ""))  # fmt: skip
    return Table("Fees paid", ("Venue", "Liquidity", "Fills", "Contracts", "Notional $", "Fees $", "Fee bps"),
                 tuple(body), empty="no fills this day")  # fmt: skip


def _latency(rows: DayRows) -> tuple[Table, dict[str, list[float]]]:
    ticks: dict[str, list[datetime]] = defaultdict(list)
    for t in rows.ticks:
        ticks[t["game_id"]].append(t["ts"])
    stages: dict[str, list[float]] = defaultdict(list)
    for s in rows.signals:
        ts = ticks.get(s["game_id"], [])
        i = bisect.bisect_right(ts, s["ts"]) - 1
        if i >= 0:
            stages["tick → signal"].append((s["ts"] - ts[i]).total_seconds() * 1000)
    first_fill: dict[str, datetime] = {}
    for f in rows.fills:
        first_fill.setdefault(f["client_order_id"], f["ts"])
    for o in rows.orders:
        if o["signal_ts"] is not None:
            stages["signal → order"].append((o["created_at"] - o["signal_ts"]).total_seconds() * 1000)
        if o["client_order_id"] in first_fill:
            stages["order → fill"].append((first_fill[o["client_order_id"]] - o["created_at"]).total_seconds() * 1000)
            if o["signal_ts"] is not None:
                stages["signal → fill"].append(
                    (first_fill[o["client_order_id"]] - o["signal_ts"]).total_seconds() * 1000
                )
    order = ("tick → signal", "signal → order", "order → fill", "signal → fill")
    body = []
    for name in order:
        v = stages.get(name, [])
        cells = [fmt.ms(percentile(v, q)) if v else "-" for q in (50, 90, 99)]
        body.append((name, str(len(v)), *cells, fmt.ms(max(v)) if v else "-"))
    table = Table(
        "Latency percentiles (ms)", ("Stage", "n", "p50", "p90", "p99", "max"), tuple(body),
        note="tick: the game's last game state or market price stored before the signal; order: the order row's "
        "creation; fill: the order's first fill.",
    )  # fmt: skip
    return table, {k: stages.get(k, []) for k in order}


def _denials(rows: DayRows) -> tuple[Table, ...]:
    risk: dict[str, list[Row]] = defaultdict(list)
    for i in rows.intents:
        if i["decision"] == "denied":
            risk[i["reason_code"] or "unknown"].append(i)
    body = [(code, str(len(v)), str(len({i["signal_id"] for i in v})), v[0]["reason"] or "")
            for code, v in sorted(risk.items(), key=lambda kv: -len(kv[1]))]  # fmt: skip
    refused: dict[str, list[Row]] = defaultdict(list)
    for o in rows.orders:
        if o["status"] in ("rejected", "cancelled", "expired") and o["reason"]:
            refused[o["reason"].split(":", 1)[0]].append(o)
    body2 = [(code, str(len(v)), v[0]["reason"]) for code, v in sorted(refused.items(), key=lambda kv: -len(kv[1]))]
    return (
        Table("Risk denials by reason", ("Reason", "Legs", "Signals", "Example"), tuple(body),
              empty="no intent denied this day"),
        Table("Orders refused at execution", ("Reason", "Orders", "Example"), tuple(body2),
              empty="no order refused this day"),
    )  # fmt: skip


def _anomalies(rows: DayRows, realized: Decimal, positions_realized: Decimal) -> tuple[Table, ...]:
    hedged: dict[str, list[str]] = defaultdict(list)
    for h in rows.hedges:
        hedged[h["signal_id"]].append(f"{h['reason_code']} x{h['n']}")
    legs: dict[str, list[Row]] = defaultdict(list)
    for o in rows.orders:
        if o["kind"] == "arbitrage" and o["signal_id"]:
            legs[o["signal_id"]].append(o)
    one_legged = []
    for s in rows.signals:
        if s["kind"] != "arbitrage":
            continue
        orders = legs.get(s["signal_id"], [])
        n_legs = len(s["payload"]["legs"] if isinstance(s["payload"], dict) else json.loads(s["payload"])["legs"])
        if not orders:
            continue  # denied or never sent: nothing was bought
        fills = [o["filled_quantity"] for o in orders]
        unequal = len(orders) < n_legs or len(set(fills)) > 1 or any(q < o["quantity"] for q, o in
                                                                      zip(fills, orders, strict=True))  # fmt: skip
        if unequal or s["signal_id"] in hedged:
            one_legged.append((fmt.clock(s["ts"]), s["game_id"], s["signal_id"][:8],
                               " / ".join(f"{o['venue']} {fmt.qty(o['filled_quantity'])}/{fmt.qty(o['quantity'])}"
                                          for o in orders),
                               ", ".join(hedged.get(s["signal_id"], [])) or "-"))  # fmt: skip
    halts = [(fmt.clock(r["changed_at"]), r["state"], r["source"], r["reason"]) for r in rows.state_log]
    circuits: dict[str, list[Row]] = defaultdict(list)
    for o in rows.orders:
        if (o["reason"] or "").startswith("venue_circuit_open"):
            circuits[o["venue"]].append(o)
    circuit_rows = [(v, str(len(os_)), fmt.clock(os_[0]["created_at"]), fmt.clock(os_[-1]["created_at"]),
                     os_[0]["reason"]) for v, os_ in sorted(circuits.items())]  # fmt: skip
    dead = [(fmt.clock(r["changed_at"]), r["source"], r["reason"]) for r in rows.state_log
            if r["source"].endswith(":dead_letter")]  # fmt: skip
    check = "match" if realized == positions_realized else "MISMATCH"
    return (
        Table("One-legged arbitrage", ("Time (ET)", "Game", "Signal", "Legs filled/asked", "Hedge / unwind"),
              tuple(one_legged), empty="none: every arbitrage that traded filled all its legs"),
        Table("Trading state changes (halts and resumes)", ("Time (ET)", "State", "Source", "Reason"),
              tuple(halts), empty="no halt or resume this day"),
        Table("Venue circuits opened", ("Venue", "Orders refused", "First", "Last", "Reason"),
              tuple(circuit_rows), empty="no order refused by an open venue circuit"),
        Table("Dead-lettered execution messages", ("Time (ET)", "Source", "Reason"), tuple(dead),
              empty="none recorded (each would have halted trading)"),
        Table("Reconciliation", ("Check", "Report", "Positions table", "Result"),
              (("Realized P&L of the day", fmt.money(realized), fmt.money(positions_realized), check),),
              note="Positions table: realized P&L of the positions last updated this day."),
    )  # fmt: skip


def as_strings(headline: dict[str, Any]) -> dict[str, str]:
    """Headline figures as exact decimal strings (counts as integers)."""
    return {k: str(v.quantize(MICRO)) if isinstance(v, Decimal) else str(v) for k, v in headline.items()}
