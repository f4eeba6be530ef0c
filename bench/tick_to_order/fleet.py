"""The fleet under test as separate processes: the Kalshi simulator and the trading services, on the local servers.

Each service is ``arbees run <service>`` (the same entry point as production) with its settings in the
environment: the execution service trades for real (``PAPER_TRADING=0``) on the Kalshi simulator with a
throwaway RSA key; the game shard takes game states and tops from the bus (its ESPN and Kalshi feeds off:
the benchmark's driver publishes them, as the price shard and the Kalshi feed do in production).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.cli.replay.keys import ApiKey, make_api_key
from services.cli.replay.processes import Child, arbees
from services.cli.replay.redis_server import free_port

SERVICES = ("game_shard", "signal_processor", "execution_service", "position_tracker")
HUGE = str(10**9)


@dataclass
class Fleet:
    """The simulator and the services of one run."""

    run_dir: Path
    redis_url: str
    database_url: str
    kalshi_port: int
    key: ApiKey
    children: list[Child]

    @classmethod
    def plan(cls, run_dir: Path, redis_url: str, database_url: str) -> Fleet:
        """Choose ports and make the API key; nothing starts yet."""
        return cls(run_dir, redis_url, database_url, free_port(), make_api_key(run_dir / "keys"), [])

    @property
    def kalshi_url(self) -> str:
        """The simulator's base URL."""
        return f"http://127.0.0.1:{self.kalshi_port}"

    @property
    def trace_dir(self) -> Path:
        """Where every process writes its stamps at exit."""
        return self.run_dir / "trace"

    def env(self, cooldown_s: float) -> dict[str, str]:
        """Settings of every service process."""
        return {
            "REDIS_URL": self.redis_url,
            "DATABASE_URL": self.database_url,
            "ARBEES_TRACE_DIR": str(self.trace_dir),
            "ARBEES_DATA_DIR": str(self.run_dir / "data"),
            "ARBEES_HEALTH_PORT": "0",
            "ARBEES_AUTO_MIGRATE": "0",
            "ARBEES_HEARTBEAT_INTERVAL_S": "1",
            "ARBEES_DRAIN_TIMEOUT_S": "20",
            "LOG_LEVEL": "WARNING",
            "PAPER_TRADING": "0",
            "LIVE_TRADING_CONFIRMED": "1",
            "KALSHI_BASE_URL": f"{self.kalshi_url}/trade-api/v2",
            "KALSHI_WS_URL": f"ws://127.0.0.1:{self.kalshi_port}/trade-api/ws/v2",
            "KALSHI_API_KEY_ID": self.key.key_id,
            "KALSHI_PRIVATE_KEY_PATH": str(self.key.private_key_path),
            # The token budget of a top tier, so that the benchmark times the path, not the rate limiter.
            "KALSHI_READ_TOKENS_PER_S": "20000",
            "KALSHI_WRITE_TOKENS_PER_S": "20000",
            "EXEC_MAX_ORDER_NOTIONAL_CENTS": "100000",
            "EXEC_MAX_DAILY_NOTIONAL_CENTS": HUGE,
            "EXEC_JOURNAL_DIR": str(self.run_dir / "journals"),
            # An order that executes at once is acknowledged without its fills; the sweep reads them back.
            "EXEC_SWEEP_INTERVAL_S": "2",
            "GAME_SHARD_ESPN_FEED": "off",
            "GAME_SHARD_KALSHI_FEED": "off",
            "GAME_SHARD_ARBITRAGE": "false",
            "GAME_SHARD_MAX_STATE_AGE_S": "3600",
            "GAME_SHARD_SIGNAL_COOLDOWN_S": str(cooldown_s),
            "GAME_SHARD_PRICE_FLUSH_S": "1",
            # Entries only: the path measured is tick -> order. Exit signals come on their own clock (every 2 s,
            # from marks), not from a tick, and would keep orders flowing after the load ends.
            "POSITIONS_EXITS": "false",
            "SIGNAL_MAX_GAME_EXPOSURE_CENTS": HUGE,
            "SIGNAL_MAX_SPORT_EXPOSURE_CENTS": HUGE,
            "SIGNAL_MAX_TOTAL_EXPOSURE_CENTS": HUGE,
            "SIGNAL_MAX_MARKET_POSITION_CONTRACTS": HUGE,
            "SIGNAL_MAX_DAILY_LOSS_CENTS": HUGE,
            "SIGNAL_MAX_ORDERS_PER_MINUTE": HUGE,
            "SIGNAL_MAX_TRADE_NOTIONAL_CENTS": "1000",
        }

    async def start_simulator(self) -> None:
        """Start the Kalshi simulator (our key registered, a deep balance) and wait until it answers."""
        argv = arbees(
            "sim", "kalshi", "--port", str(self.kalshi_port), "--api-key-id", self.key.key_id,
            "--public-key", str(self.key.public_key_path), "--balance-cents", HUGE,
        )  # fmt: skip
        child = Child("kalshi-sim", argv, {"ARBEES_TRACE_DIR": str(self.trace_dir)}, self.run_dir / "kalshi-sim.log")
        await child.start()
        self.children.append(child)
        async with httpx.AsyncClient(timeout=2.0) as http:
            for _ in range(300):
                try:
                    if (await http.get(f"{self.kalshi_url}/trade-api/v2/exchange/status")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if not child.running:
                    break
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the Kalshi simulator did not start; see {child.log_path}")

    async def open_markets(self, games: int, fair: str) -> list[str]:
        """One home-wins market per game with deep maker liquidity around ``fair``; their tickers."""
        tickers = []
        async with httpx.AsyncClient(timeout=10.0) as http:
            for i in range(games):
                body = {
                    "league": "nba", "away": [f"A{i:02d}", f"Away {i}"], "home": [f"H{i:02d}", f"Home {i}"],
                    "fair": fair, "maker_size": "1000000", "maker_levels": 3, "half_spread": "0.01",
                }  # fmt: skip
                response = await http.post(f"{self.kalshi_url}/_sim/markets", json=body)
                response.raise_for_status()
                tickers.append(str(response.json()["markets"][0]["ticker"]))
        return tickers

    async def start_services(self, cooldown_s: float) -> None:
        """Start every service process."""
        env = self.env(cooldown_s)
        for name in SERVICES:
            child = Child(name, arbees("run", name), env, self.run_dir / f"{name}.log")
            await child.start()
            self.children.append(child)

    def dead(self) -> list[str]:
        """Processes that ended."""
        return [c.name for c in self.children if not c.running]

    async def stop_services(self) -> dict[str, int | None]:
        """Stop the services upstream first (what one sends on is consumed by the next, the position tracker
        last); each drains and writes its stamps. Their exit codes."""
        return {child.name: await child.stop(timeout_s=60) for child in self.children[1:]}

    async def stop(self) -> dict[str, int | None]:
        """Stop the services, then the simulator (which writes its stamps); every exit code."""
        codes = await self.stop_services()
        for child in self.children[:1]:
            codes[child.name] = await child.stop(timeout_s=60)
        return codes
