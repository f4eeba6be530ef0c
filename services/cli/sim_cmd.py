"""``arbees sim kalshi|polymarket|espn``: run a protocol-faithful local simulator."""

from __future__ import annotations

import argparse

from services.cli.loader import register_modules

SIMULATORS = ("markets.sim.kalshi.cli", "markets.sim.polymarket.cli", "markets.sim.espn.cli")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sim",
        help="run a local simulator of Kalshi, Polymarket or ESPN",
        description=(
            "Run a simulator that speaks the venue's protocol on loopback (REST + WebSocket), with a /_sim "
            "control API for markets, prices, settlement and fault injection."
        ),
    )
    venues = parser.add_subparsers(dest="simulator", metavar="<simulator>", required=True)
    register_modules(SIMULATORS, venues)
