"""Parser of ``arbees sim kalshi|polymarket|espn``: each simulator's parser is registered when it is chosen.

The simulators' modules (``markets.sim.<venue>.cli``) hold their parser beside the server they start, which
is heavy to import, so ``arbees sim --help`` lists them by name and help only
(:class:`services.cli.loader.DeferredSubParsers`).
"""

from __future__ import annotations

import argparse

from services.cli.loader import deferred_subparsers

SIMULATORS: tuple[tuple[str, str, str], ...] = (
    (
        "kalshi",
        "markets.sim.kalshi.cli",
        "simulate Kalshi's Trade API v2 (signed REST + WebSocket) on loopback",
    ),
    (
        "polymarket",
        "markets.sim.polymarket.cli",
        "run a Polymarket simulator (CLOB V2 REST + WebSockets, Gamma, geoblock)",
    ),
    (
        "espn",
        "markets.sim.espn.cli",
        "replay recorded real games through ESPN's site API (scoreboard, summary)",
    ),
)
"""(simulator, module with its ``register``, the help that module gives it: kept equal by a unit test)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sim",
        help="run a local simulator of Kalshi, Polymarket or ESPN",
        description=(
            "Run a simulator that speaks the venue's protocol on loopback (REST + WebSocket), with a /_sim "
            "control API for markets, prices, settlement and fault injection."
        ),
    )
    venues = deferred_subparsers(parser, dest="simulator", metavar="<simulator>", required=True)
    for name, module, help_text in SIMULATORS:
        venues.defer(name, module, help_text)
