"""What a replay runs: the recorded games, when they start on the wall clock, and every process's settings.

Every replayed game starts in the future: replay time 0 is placed so the earliest game starts
``lead_s`` after the simulators come up, which leaves discovery time to find and match it while it is
still ``pre``. The fleet is pointed at the simulators through its normal settings (base URLs), so
nothing in the services knows it is a replay.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markets.sim.replay import load_replay
from markets.sim.replay_types import ReplayGame
from services.cli.replay.day import game_days, largest_days, write_day_folder

DRAIN_TIMEOUT_S = 10.0
"""The fleet's drain timeout in a replay (``ARBEES_DRAIN_TIMEOUT_S``)."""


@dataclass(frozen=True, slots=True)
class Ports:
    """Loopback ports of the simulators and the API."""

    espn: int
    kalshi: int
    polymarket: int
    api: int


@dataclass(frozen=True, slots=True)
class ReplayPlan:
    """The games and the replay clock."""

    data: Path
    sports: tuple[str, ...] | None
    limit: int
    seed: int
    speed: float
    games: tuple[ReplayGame, ...]
    lead_s: float
    day: dt.date | None = None
    """Set when the plan is a whole game day (``data`` is then that day's folder, see :mod:`.day`)."""

    @classmethod
    def load(
        cls, data: Path, sports: list[str] | None, limit: int, seed: int, speed: float, lead_s: float
    ) -> ReplayPlan:
        """Load the games the simulators will replay (the same pure selection they make)."""
        if speed <= 0:
            raise ValueError("--speed must be positive")
        games = tuple(load_replay(data, sports=sports, limit=limit, seed=seed))
        if not games:
            raise ValueError(f"no recorded games found under {data} for {sports or 'any sport'}")
        return cls(data, tuple(sports) if sports else None, limit, seed, speed, games, lead_s)

    @classmethod
    def for_day(
        cls,
        data: Path,
        day: dt.date,
        sports: Sequence[str] | None,
        seed: int,
        speed: float,
        lead_s: float,
        folder: Path,
    ) -> ReplayPlan:
        """Every recorded game of ``sports`` (all leagues when None) played on ``day``, from a copy of
        ``data`` holding only that day written to ``folder`` (the simulators read it)."""
        if speed <= 0:
            raise ValueError("--speed must be positive")
        write_day_folder(data, day, sports, folder)
        games = tuple(load_replay(folder, sports=sports, limit=None, seed=seed))
        if not games:
            best = largest_days(game_days(data, sports, seed))
            raise ValueError(f"no recorded game of {', '.join(sports or ['any league'])} on {day}; most games: {best}")
        return cls(folder, tuple(sports) if sports else None, len(games), seed, speed, games, lead_s, day)

    @property
    def game_span_s(self) -> float:
        """Game seconds from the first game's start to the last one's end."""
        return self._last_end_s - min(g.start_offset_s for g in self.games)

    @property
    def _last_end_s(self) -> float:
        return max(g.start_offset_s + g.points[-1].t_s for g in self.games)

    def scheduled(self, game: ReplayGame, start_at: float) -> tuple[float, float]:
        """Wall times of ``game``'s start and end on a replay whose time 0 is ``start_at``."""
        return (
            start_at + game.start_offset_s / self.speed,
            start_at + (game.start_offset_s + game.points[-1].t_s) / self.speed,
        )

    @property
    def leagues(self) -> tuple[str, ...]:
        """The ESPN league keys of the games."""
        return tuple(sorted({g.league for g in self.games}))

    def start_at(self, now: float | None = None) -> float:
        """Wall time of replay time 0 so the earliest game starts ``lead_s`` from ``now``."""
        first = min(g.start_offset_s for g in self.games)
        return (time.time() if now is None else now) + self.lead_s - first / self.speed

    def end_at(self, start_at: float) -> float:
        """Wall time when the last game is over."""
        return start_at + self._last_end_s / self.speed

    def sim_args(self, start_at: float) -> list[str]:
        """Arguments every simulator takes alike."""
        args = ["--speed", str(self.speed), "--start-at", f"{start_at:.3f}", "--seed", str(self.seed)]
        args += ["--limit", str(self.limit)]
        if self.sports:
            args += ["--sports", *self.sports]
        return args


def venue_env(ports: Ports, kalshi_key_id: str, kalshi_key_path: Path) -> dict[str, str]:
    """Settings pointing every client at the simulators on loopback."""
    k, p = ports.kalshi, ports.polymarket
    return {
        "ESPN_BASE_URL": f"http://127.0.0.1:{ports.espn}",
        "KALSHI_BASE_URL": f"http://127.0.0.1:{k}/trade-api/v2",
        "KALSHI_WS_URL": f"ws://127.0.0.1:{k}/trade-api/ws/v2",
        "KALSHI_API_KEY_ID": kalshi_key_id,
        "KALSHI_PRIVATE_KEY_PATH": str(kalshi_key_path),
        "POLYMARKET_CLOB_URL": f"http://127.0.0.1:{p}",
        "POLYMARKET_GAMMA_URL": f"http://127.0.0.1:{p}/gamma",
        "POLYMARKET_WS_MARKET_URL": f"ws://127.0.0.1:{p}/ws/market",
        "POLYMARKET_WS_USER_URL": f"ws://127.0.0.1:{p}/ws/user",
        "POLYMARKET_GEOBLOCK_URL": f"http://127.0.0.1:{p}/api/geoblock",
    }


def fleet_env(plan: ReplayPlan, redis_url: str, database_url: str, data_dir: Path, api_port: int) -> dict[str, str]:
    """Settings of every fleet process for a replay: paper trading, quick cadences for compressed time."""
    return {
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "PAPER_TRADING": "1",
        "LIVE_TRADING_CONFIRMED": "0",
        "ARBEES_DATA_DIR": str(data_dir),
        "ARBEES_HEALTH_PORT": "0",
        "ARBEES_AUTO_MIGRATE": "0",
        "ARBEES_HEARTBEAT_INTERVAL_S": "1",
        "ARBEES_STREAM_BLOCK_MS": "200",
        "ARBEES_DRAIN_TIMEOUT_S": f"{DRAIN_TIMEOUT_S:g}",
        "DISCOVERY_LEAGUES": ",".join(plan.leagues),
        "DISCOVERY_INTERVAL_S": "2",
        "DISCOVERY_ASSIGN_INTERVAL_S": "1",
        "DISCOVERY_POST_GRACE_S": "60",
        "GAME_SHARD_ESPN_POLL_S": "0.5",
        "GAME_SHARD_KALSHI_POLL_S": "1",
        "GAME_SHARD_MAX_STATE_AGE_S": "10",
        "GAME_SHARD_SIGNAL_COOLDOWN_S": "5",
        "GAME_SHARD_TOP_REFRESH_S": "2",
        "GAME_SHARD_PRICE_FLUSH_S": "1",
        "PRICE_SHARD_REFRESH_S": "2",
        "FUTURES_POLL_INTERVAL_S": "1",
        "PRICE_SHARD_RESUBSCRIBE_DEBOUNCE_S": "0.2",
        "POSITIONS_SETTLEMENT_INTERVAL_S": "2",
        "POSITIONS_MARK_MIN_INTERVAL_S": "0.5",
        "API_PORT": str(api_port),
        "LOG_LEVEL": "INFO",
    }
