"""``arbees demo``: a scripted game played through every service in one process, on paper.

With no REDIS_URL / DATABASE_URL it runs on the embedded defaults (in-process Redis, embedded
PostgreSQL). It prints each step: the game, the model's probability, the market, the signal, the risk
decision, the paper fill, the position with its P&L as read back through the API, and the settlement.
Parser: :mod:`services.cli.parsers.demo` (``register`` is re-exported here).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from services.api.service import ApiService
from services.cli import demo_script as script
from services.cli.parsers import replay as replay_parser
from services.cli.parsers.demo import register as register
from services.cli.replay.dashboard import choose_port
from services.registry import build_service
from shared.bus import keys
from shared.config import ArbeesSettings, load_settings
from shared.logs import configure_logging
from shared.messages import Message, utc_now
from shared.runtime.infra import Infra, open_infra
from shared.runtime.runner import run_services
from shared.runtime.service import Service

T = TypeVar("T")


async def eventually(probe: Callable[[], Awaitable[T | None]], wait_s: float, what: str) -> T:
    """Poll ``probe`` until it returns something, or fail naming ``what``."""
    deadline = time.monotonic() + wait_s
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"demo: timed out waiting for {what}")
        await asyncio.sleep(0.05)


def _money(value: Decimal) -> str:
    sign = "-" if value < 0 else "+"
    return f"{sign}${abs(value):.2f}"


async def _publish(infra: Infra, topic: str, key: str, message: Message) -> None:
    await infra.market_data.publish(topic, key, message)


async def play(infra: Infra, api: ApiService, wait_s: float, say: Callable[[str], None]) -> dict[str, Any]:
    """Play the script and return the position read through the API."""
    game = script.DemoGame.for_run(utc_now())
    pool = infra.pool
    await _publish(infra, keys.SHARD_ASSIGNMENT, "0", script.assignment(game, "0"))
    await asyncio.sleep(0.2)
    for top in script.prices(game, "0.60", "0.62"):
        await _publish(infra, keys.MARKET_PRICE, top.key, top)
    opening = script.state(game, "in", 1, 720.0, 0, 0)
    await _publish(infra, keys.GAME_STATE, game.game_id, opening)
    say(f"[game]     {game.away} @ {game.home} (NBA), {game.home} favoured by {game.home_spread}; tip-off")
    say("[market]   Kalshi " + game.market_id + " yes: bid 0.60 / ask 0.62")
    await asyncio.sleep(0.3)
    q3 = script.state(game, "in", 3, 360.0, 78, 64)
    await _publish(infra, keys.GAME_STATE, game.game_id, q3)
    wp = await eventually(
        lambda: pool.fetchrow(
            "SELECT home FROM win_probabilities WHERE game_id = $1 AND ts = $2", game.game_id, q3.ts_event
        ),
        wait_s,
        "a win probability",
    )
    say(f"[game]     {game.home} 78 - 64 {game.away}, Q3 6:00 left: model P({game.home} wins) = {wp['home']:.3f}")
    signal = await eventually(
        lambda: pool.fetchrow("SELECT * FROM signals WHERE game_id = $1 ORDER BY ts LIMIT 1", game.game_id),
        wait_s,
        "a signal",
    )
    say(
        f"[signal]   edge {_money(signal['edge_per_contract'])}/contract after blending with the market, fees "
        f"and half the spread (model {signal['model_probability']:.3f}, market still at 0.62) -> buy yes"
    )
    intent = await eventually(
        lambda: pool.fetchrow("SELECT * FROM order_intents WHERE signal_id = $1", signal["signal_id"]),
        wait_s,
        "the risk decision",
    )
    if intent["decision"] != "approved":
        raise RuntimeError(f"demo: risk gate denied the trade: {intent['reason']}")
    say(f"[risk]     approved {intent['quantity']:.0f} contracts, up to ${intent['notional']:.2f} incl. fees")
    fill = await eventually(
        lambda: pool.fetchrow("SELECT * FROM fills WHERE client_order_id = $1", intent["client_order_id"]),
        wait_s,
        "the paper fill",
    )
    say(
        f"[fill]     PAPER bought {fill['quantity']:.0f} yes @ {fill['price']:.2f}, fee ${fill['fee']:.2f} "
        f"(order {fill['client_order_id']})"
    )
    await eventually(
        lambda: pool.fetchrow("SELECT 1 FROM positions WHERE market_id = $1 AND quantity > 0", game.market_id),
        wait_s,
        "the position",
    )
    for top in script.prices(game, "0.95", "0.96"):
        await _publish(infra, keys.MARKET_PRICE, top.key, top)
    say("[market]   the market catches up: Kalshi yes bid 0.95 / ask 0.96")
    position = await eventually(
        lambda: _api_position(api, game.market_id, lambda p: Decimal(p["mark_price"] or "0") == Decimal("0.95")),
        wait_s,
        "the marked position through the API",
    )
    say(
        f"[position] {Decimal(position['quantity']):.0f} yes @ {Decimal(position['avg_price']):.2f}, "
        f"mark {Decimal(position['mark_price']):.2f}: unrealized {_money(Decimal(position['unrealized_pnl']))}, "
        f"net {_money(Decimal(position['net_pnl']))} after fees"
    )
    final = script.state(game, "post", 4, 0.0, 112, 101)
    await _publish(infra, keys.GAME_STATE, game.game_id, final)
    await infra.producer.publish(keys.SETTLEMENTS, script.settlement(game, home_won=True))
    settled = await eventually(
        lambda: _api_position(api, game.market_id, lambda p: p["status"] == "settled"),
        wait_s,
        "the settlement",
    )
    say(
        f"[settle]   final {game.home} 112 - 101 {game.away}: yes pays $1.00 -> realized "
        f"{_money(Decimal(settled['realized_pnl']))}, fees ${Decimal(settled['fees_paid']):.2f}, "
        f"net {_money(Decimal(settled['net_pnl']))}"
    )
    return dict(settled)


async def _api_position(api: ApiService, market_id: str, ready: Callable[[dict[str, Any]], bool]) -> Any:
    async with httpx.AsyncClient(base_url=api.base_url, timeout=5) as client:
        response = await client.get("/api/v1/positions", headers={"Authorization": f"Bearer {api.token}"})
    response.raise_for_status()
    for row in response.json()["items"]:
        if row["market_id"] == market_id and row["outcome_id"] == "yes" and ready(row):
            return row
    return None


SCRIPTED_OVERRIDES: dict[str, dict[str, Any]] = {
    # The script publishes game states, prices and the settlement itself: no feed reaches out.
    "game_shard": {"espn_feed": "off", "kalshi_feed": "off"},
    "position_tracker": {"settlement_watch": False},
    "api": {"port": 0},
}
SCRIPTED_SERVICES = ("game_shard", "signal_processor", "execution_service", "position_tracker", "api")


def build_demo_services() -> list[Service]:
    """The trading services (no discovery, no feeds), with the API on a free port."""
    return [build_service(name, **SCRIPTED_OVERRIDES.get(name, {})) for name in SCRIPTED_SERVICES]


def replay_args(args: argparse.Namespace, *, interactive: bool) -> argparse.Namespace:
    """The ``arbees replay`` arguments of a (non-scripted) demo, parsed by replay's own parser.

    Parsing (instead of building a namespace by hand) gives every replay option its default, so a new
    replay option cannot break the demo.
    """
    parser = argparse.ArgumentParser(prog="arbees")
    replay_parser.register(parser.add_subparsers())
    argv = ["replay", "--sports", *args.sports, "--limit", str(args.limit), "--speed", str(args.speed)]
    argv += ["--api-port", str(choose_port(args.api_port))]
    argv += ["--json"] if args.json else []
    argv += ["--hold"] if (interactive if args.hold is None else args.hold) else []
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    if not args.scripted:
        from services.cli.replay import command as replay

        return await replay.run(replay_args(args, interactive=sys.stdout.isatty()))
    return await run_scripted(args)


async def run_scripted(args: argparse.Namespace) -> int:
    """The scripted single-game demo in one process."""
    base = load_settings(ArbeesSettings, health_port=0)
    configure_logging(base.log_level if args.verbose else "ERROR")
    say = print
    where_db = "DATABASE_URL" if base.database_url else f"embedded PostgreSQL under {base.data_dir}"
    where_redis = "REDIS_URL" if base.redis_url else "in-process Redis"
    say(f"Arbees demo: paper trading, every service in one process ({where_db}; {where_redis})")
    services = build_demo_services()
    api = next(s for s in services if isinstance(s, ApiService))
    stopping, ready = asyncio.Event(), asyncio.Event()
    async with open_infra(base, single_process=True) as infra:
        fleet = asyncio.create_task(
            run_services(services, infra, stopping=stopping, ready=ready, install_signals=False)
        )
        try:
            await asyncio.wait_for(ready.wait(), timeout=args.timeout)
            say(f"[fleet]    {', '.join(s.name for s in services)} running; API at {api.base_url}")
            position = await play(infra, api, args.timeout, say)
            say("[api]      GET /api/v1/positions ->")
            for key in (
                "venue",
                "market_id",
                "outcome_id",
                "quantity",
                "avg_price",
                "fees_paid",
                "realized_pnl",
                "net_pnl",
                "status",
                "paper",
            ):
                say(f"             {key}: {position[key]}")
        finally:
            stopping.set()
            with contextlib.suppress(asyncio.CancelledError):
                await fleet
    say("Done: one paper trade, filled, marked and settled. Nothing was sent to a venue.")
    return 0
