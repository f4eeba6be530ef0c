"""The report's PNG plots (matplotlib, Agg backend; blocking: call from a worker thread)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.dates import date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from services.analytics.report.calibration import Calibration  # noqa: E402
from services.analytics.report.figures import DayFigures  # noqa: E402

DPI = 110


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666")


def _save(fig: Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def cumulative(figs: DayFigures, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 3.4))
    if figs.cumulative:
        ts = date2num([t for t, _, _ in figs.cumulative])  # type: ignore[no-untyped-call]
        ax.step(ts, [r for _, r, _ in figs.cumulative], where="post", label="realized", color="#1f77b4")
        ax.step(ts, [n for _, _, n in figs.cumulative], where="post", label="net of fees", color="#2ca02c")
        ax.axhline(0, color="#999", lw=0.8)
        ax.legend(loc="best")
        ax.xaxis_date(tz="America/New_York")
        fig.autofmt_xdate()
    else:
        _empty(ax, "no realized P&L or fees this day")
    ax.set_title("Cumulative P&L ($) through the day")
    ax.set_ylabel("$")
    return _save(fig, path)


def edge(figs: DayFigures, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    if figs.edge_points:
        for strategy in sorted({s for *_, s in figs.edge_points}):
            pts = [(p, r) for p, r, s in figs.edge_points if s == strategy]
            ax.scatter([p for p, _ in pts], [r for _, r in pts], label=strategy, s=30)
        lo = min(min(p, r) for p, r, _ in figs.edge_points)
        hi = max(max(p, r) for p, r, _ in figs.edge_points)
        ax.plot([lo, hi], [lo, hi], ls="--", color="#999", lw=0.8, label="realized = predicted")
        ax.axhline(0, color="#ccc", lw=0.8)
        ax.legend(fontsize=8)
    else:
        _empty(ax, "no filled order with a settled outcome")
    ax.set_title("Predicted edge vs realized (per contract)")
    ax.set_xlabel("predicted edge ($/contract)")
    ax.set_ylabel("realized ($/contract)")
    return _save(fig, path)


def slippage(figs: DayFigures, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    if figs.slippage_points:
        for venue in sorted({v for *_, v in figs.slippage_points}):
            pts = [(s, f) for s, f, v in figs.slippage_points if v == venue]
            ax.scatter([s for s, _ in pts], [f for _, f in pts], label=venue, s=30)
        ax.plot([0, 1], [0, 1], ls="--", color="#999", lw=0.8, label="no slippage")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    else:
        _empty(ax, "no fills this day")
    ax.set_title("Signal price vs fill price")
    ax.set_xlabel("signal price")
    ax.set_ylabel("fill price")
    return _save(fig, path)


def reliability(cals: list[Calibration], path: Path) -> Path:
    fig, axes = plt.subplots(1, len(cals), figsize=(5 * len(cals), 4.4), squeeze=False)
    for ax, cal in zip(axes[0], cals, strict=True):
        ax.plot([0, 1], [0, 1], ls="--", color="#999", lw=0.8, label="perfect")
        if cal.model_bins:
            ax.plot([b.mean_forecast for b in cal.model_bins], [b.observed for b in cal.model_bins], "o-",
                    label=f"model (Brier {cal.model_brier:.3f})", color="#d62728")  # fmt: skip
            for venue, bins in sorted(cal.market_bins.items()):
                score = cal.market_brier.get(venue)
                ax.plot([b.mean_forecast for b in bins], [b.observed for b in bins], "s:", alpha=0.8,
                        label=f"{venue} price" + (f" (Brier {score:.3f})" if score is not None else ""))  # fmt: skip
        else:
            _empty(ax, "no finished game with forecasts")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"{cal.label}\n{cal.games} games, {cal.forecasts} forecasts", fontsize=10)
        ax.set_xlabel("forecast P(home win)")
        ax.set_ylabel("observed home-win frequency")
        ax.legend(fontsize=8, loc="upper left")
    return _save(fig, path)


def latency(figs: DayFigures, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(7, 3.4))
    data = [(k, v) for k, v in figs.latency_ms.items() if v]
    if data:
        ax.boxplot([v for _, v in data], orientation="horizontal", showfliers=True)
        ax.set_yticks(range(1, len(data) + 1), [k for k, _ in data])
        ax.set_xlabel("milliseconds")
    else:
        _empty(ax, "no signal this day")
    ax.set_title("Latency by stage")
    return _save(fig, path)


def pnl_bars(figs: DayFigures, path: Path) -> Path:
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, table in zip(axes, figs.pnl_tables[:3], strict=True):
        body = [r for r in table.rows if r[0] != "Total"]
        if body:
            values = [float(r[4]) for r in body]
            ax.barh([r[0] for r in body], values, color=["#2ca02c" if v >= 0 else "#d62728" for v in values])
            ax.axvline(0, color="#999", lw=0.8)
        else:
            _empty(ax, "nothing")
        ax.set_title(f"Net P&L $ {table.title.lower()}", fontsize=10)
    return _save(fig, path)


def render_all(figs: DayFigures, cals: list[Calibration], out: Path) -> tuple[Path, ...]:
    """Write every plot into ``out``; return their paths in report order."""
    return (
        cumulative(figs, out / "cumulative_pnl.png"),
        pnl_bars(figs, out / "pnl_breakdown.png"),
        edge(figs, out / "edge_vs_realized.png"),
        slippage(figs, out / "slippage.png"),
        reliability(cals, out / "reliability.png"),
        latency(figs, out / "latency.png"),
    )
