"""What the report is made of: tables of formatted cells, the plots' series, the result returned."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the report (cells already formatted; money from Decimals, never floats)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    empty: str = "none"


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the report: an explanation, tables and plots (file names)."""

    key: str
    title: str
    intro: str
    tables: tuple[Table, ...] = ()
    plots: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """A written report: its HTML file, its plots, the stdout summary and the headline figures."""

    day: date
    html_path: Path
    plots: tuple[Path, ...]
    summary: str
    figures: dict[str, str] = field(default_factory=dict)
