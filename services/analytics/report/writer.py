"""``write_report``: read the day, compute, plot (in a worker thread), write ``<out_dir>/<day>/report.html``."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg

from services.analytics.report import fmt, html, plots, summary
from services.analytics.report.calibration import Calibration, calibrations
from services.analytics.report.figures import DayFigures, as_strings, compute
from services.analytics.report.model import Report, Section, Table
from services.analytics.report.queries import load_day
from services.analytics.report.window import day_window

HTML_NAME = "report.html"


def _calibration_table(cals: list[Calibration]) -> Table:
    body = []
    for c in cals:
        body.append((c.label, str(c.games), str(c.forecasts), "model", fmt.prob(c.model_brier), "-"))
        for venue in sorted(c.market_brier):
            body.append((c.label, str(c.games), str(c.market_pairs[venue]), f"{venue} price",
                         fmt.prob(c.market_brier[venue]), fmt.prob(c.model_on_market_moments[venue])))  # fmt: skip
    return Table("Brier scores (lower is better)", ("Games", "n games", "Forecasts", "Forecaster", "Brier",
                 "Model Brier, same moments"), tuple(body),
                 note="Each stored win probability of a finished game is a forecast of a home win; the market's "
                 "forecast is each venue's mid price at that moment, as the home team's price.")  # fmt: skip


def _sections(figs: DayFigures, cals: list[Calibration]) -> list[Section]:
    return [
        Section("pnl", "P&L", "Realized P&L of the day (sells and settlements, average cost), fees of the day's "
                "fills, and net; by the position's sport, strategy (of its first fill), venue and mode.",
                figs.pnl_tables, ("cumulative_pnl.png", "pnl_breakdown.png")),
        Section("trades", "Trades: predicted edge against realized", "Every order sent this day.",
                (figs.trades,), ("edge_vs_realized.png",)),
        Section("slippage", "Slippage", "The price the signal saw (its leg's limit) against the fill price.",
                (figs.slippage,), ("slippage.png",)),
        Section("fees", "Fees", "Fees paid on the day's fills.", (figs.fees,)),
        Section("calibration", "Model calibration", "Reliability of the win-probability model on the day's "
                "finished games and the season's, against the market's own price.", (_calibration_table(cals),),
                ("reliability.png",)),
        Section("latency", "Latency", "From the stored timestamps: tick → signal → order → fill.",
                (figs.latency,), ("latency.png",)),
        Section("denials", "Denials", "Legs the risk gate denied, and orders refused at execution.", figs.denials),
        Section("anomalies", "Anomalies", "One-legged arbitrage, halts, open venue circuits, dead-lettered "
                "messages, and the P&L reconciliation against the positions table.", figs.anomalies),
    ]  # fmt: skip


def _write(figs: DayFigures, cals: list[Calibration], day: date, out: Path) -> tuple[Path, tuple[Path, ...]]:
    out.mkdir(parents=True, exist_ok=True)
    paths = plots.render_all(figs, cals, out)
    h = figs.headline
    cards = [
        ("Realized P&L $", fmt.money(h["realized_pnl"])),  # type: ignore[arg-type]
        ("Fees $", fmt.money(h["fees"])),  # type: ignore[arg-type]
        ("Net P&L $", fmt.money(h["net_pnl"])),  # type: ignore[arg-type]
        ("Fills", str(h["trades"])),
        ("Orders", str(h["orders"])),
        ("Signals", str(h["signals"])),
        ("Slippage $", fmt.money(h["slippage_cost"])),  # type: ignore[arg-type]
    ]
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = html.render(f"Hot wash — {day.isoformat()}", f"Trading day {day.isoformat()} (US-Eastern); "
                       f"generated {generated}", cards, _sections(figs, cals), out)  # fmt: skip
    target = out / HTML_NAME
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return target, paths


async def write_report(pool: asyncpg.Pool, day: date, out_dir: Path) -> Report:
    """Write the day's hot-wash report under ``out_dir/<day>/`` and return it."""
    window = day_window(day)
    rows = await load_day(pool, window)
    figs = await asyncio.to_thread(compute, rows, window)
    cals = await asyncio.to_thread(calibrations, rows, window)
    html_path, paths = await asyncio.to_thread(_write, figs, cals, day, out_dir / day.isoformat())
    return Report(
        day, html_path, paths, summary.text(day.isoformat(), figs, cals, html_path), as_strings(figs.headline)
    )
