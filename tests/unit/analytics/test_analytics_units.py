"""Unit tests of the analytics pieces: settings, the later held-out slice, labelling, durable Parquet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from services.analytics.config import AnalyticsSettings
from services.analytics.parquet import Column, verify, write_durably
from services.analytics.scheduler import trigger
from services.analytics.states import label
from services.analytics.training import split_later
from shared.config import ConfigError, load_settings


def test_bad_settings_name_the_variable(clean_env: Any) -> None:
    with pytest.raises(ConfigError, match="ANALYTICS_TIMEZONE"):
        load_settings(AnalyticsSettings, timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match="ANALYTICS_ARCHIVE_AT"):
        load_settings(AnalyticsSettings, archive_at="25:00")
    with pytest.raises(ConfigError, match="ANALYTICS_TRAIN_SPORTS"):
        load_settings(AnalyticsSettings, train_sports="nba,curling")


def test_triggers_fire_at_the_configured_local_times(clean_env: Any) -> None:
    s = load_settings(AnalyticsSettings, timezone="Europe/Paris")
    zone = ZoneInfo("Europe/Paris")
    now = datetime(2026, 6, 1, 22, 59, tzinfo=zone)
    assert trigger(s.archive_at, s).get_next_fire_time(None, now) == datetime(2026, 6, 1, 23, 0, tzinfo=zone)
    assert trigger(s.train_at, s).get_next_fire_time(None, now) == datetime(2026, 6, 2, 0, 0, tzinfo=zone)
    assert trigger(s.report_at, s).get_next_fire_time(None, now) == datetime(2026, 6, 2, 0, 30, tzinfo=zone)


def _payload(game: str, status: str, home: int, away: int, period: int = 2) -> dict[str, Any]:
    return {"game_id": game, "sport": "nba", "status": status, "period": period, "clock_seconds": 300.0,
            "home_score": home, "away_score": away}  # fmt: skip


def test_label_uses_the_final_result_and_skips_unfinished_games() -> None:
    t = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    rows = [
        (t, _payload("g1", "in", 10, 12)),
        (t + timedelta(hours=2), _payload("g1", "post", 101, 99, 4)),
        (t, _payload("g2", "in", 3, 0)),  # never finished
    ]
    states = label(rows, ZoneInfo("America/New_York"))
    assert [(s.game_id, s.outcome, s.date) for s in states] == [("db:g1", 1.0, "2026-01-05")]


def test_held_out_slice_is_later_than_the_current_model(clean_env: Any) -> None:
    rows = []
    for day in range(10):
        t = datetime(2026, 1, 1 + day, 20, tzinfo=UTC)
        rows += [(t, _payload(f"g{day}", "in", 1, 0)), (t, _payload(f"g{day}", "post", 2, 0, 4))]
    states = label(rows, ZoneInfo("UTC"))
    plain = split_later(states, 0.2, None)
    assert plain.cut == "2026-01-09" and len(plain.holdout) == 2
    later = split_later(states, 0.2, "2026-01-09")
    assert later.cut == "2026-01-10" and {s.date for s in later.holdout} == {"2026-01-10"}
    assert max(s.date for s in later.train) < min(s.date for s in later.holdout)


def test_parquet_file_is_read_back_and_a_changed_file_is_refused(tmp_path: Path) -> None:
    cols = [Column("k", "text", pa.string()), Column("ts", "timestamp with time zone", pa.timestamp("us", tz="UTC"))]
    ts = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [("a", ts), ("b", ts + timedelta(seconds=1))]
    written = write_durably(tmp_path / "x" / "f.parquet", cols, rows)
    verify(written, ["k", "ts"], rows)
    with pytest.raises(ValueError, match="keys"):
        verify(written, ["k", "ts"], [rows[1], rows[0]])
    with pytest.raises(FileExistsError):
        write_durably(written.path, cols, rows)
    written.path.write_bytes(written.path.read_bytes()[:-1] + b"\0")
    with pytest.raises(ValueError, match="checksum"):
        verify(written, ["k", "ts"], rows)
