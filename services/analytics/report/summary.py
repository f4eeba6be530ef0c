"""The text summary printed on stdout after a report is written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from services.analytics.report import fmt
from services.analytics.report.calibration import Calibration
from services.analytics.report.figures import DayFigures


def _m(value: Decimal | int) -> str:
    return fmt.money(Decimal(value))


def text(day: str, figs: DayFigures, cals: list[Calibration], html_path: Path) -> str:
    """A few lines a trader reads in a terminal."""
    h = figs.headline
    lines = [
        f"[report] {day}: realized {_m(h['realized_pnl'])} $, fees {_m(h['fees'])} $, "
        f"net {_m(h['net_pnl'])} $ on {h['trades']} fills / {h['orders']} orders "
        f"({h['signals']} signals, {h['denied_intents']} legs denied)",
        f"[report] slippage {_m(h['slippage_cost'])} $; positions table realized "
        f"{_m(h['positions_realized_pnl'])} $"
        + (" (matches)" if h["realized_pnl"] == h["positions_realized_pnl"] else " (MISMATCH)"),
    ]
    for c in cals:
        markets = ", ".join(f"{v} {fmt.prob(b)}" for v, b in sorted(c.market_brier.items())) or "no prices"
        lines.append(f"[report] {c.label}: {c.games} games, model Brier {fmt.prob(c.model_brier)}; market {markets}")
    for t in figs.anomalies[:4]:
        if t.rows:
            lines.append(f"[report] anomaly: {t.title}: {len(t.rows)}")
    lines.append(f"[report] {html_path}")
    return "\n".join(lines)
