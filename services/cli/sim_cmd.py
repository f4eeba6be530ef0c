"""``arbees sim kalshi|polymarket|espn``: run a protocol-faithful local simulator."""

from __future__ import annotations

import argparse
import importlib

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
    for module_name in SIMULATORS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name is None or not module_name.startswith(e.name):
                raise
            continue
        module.register(venues)
