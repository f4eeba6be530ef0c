"""The demo runs `arbees replay` with replay's own parser: every replay option has its value or default."""

from __future__ import annotations

import argparse
import socket

from services.cli import demo_cmd


def _demo(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="arbees")
    demo_cmd.register(parser.add_subparsers())
    return parser.parse_args(["demo", *argv])


def test_the_demo_passes_its_choices_and_replay_defaults_the_rest() -> None:
    args = demo_cmd.replay_args(_demo("--sports", "nba", "--limit", "1", "--api-port", "0"), interactive=False)
    chosen = (args.sports, args.limit, args.speed, args.venues, args.shards, args.seed)
    assert chosen == (["nba"], 1, 150.0, "paper", 1, 0)
    assert args.api_port > 0 and args.hold is False and args.json is False


def test_the_demo_holds_the_dashboard_in_a_terminal_unless_told_not_to() -> None:
    assert demo_cmd.replay_args(_demo("--api-port", "0"), interactive=True).hold is True
    assert demo_cmd.replay_args(_demo("--api-port", "0", "--no-hold"), interactive=True).hold is False
    assert demo_cmd.replay_args(_demo("--api-port", "0", "--hold"), interactive=False).hold is True


def test_a_taken_dashboard_port_falls_back_to_a_free_one() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        chosen = demo_cmd.replay_args(_demo("--api-port", str(port)), interactive=False).api_port
    assert chosen != port and chosen > 0
