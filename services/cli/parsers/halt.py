"""Parsers of ``arbees halt --reason TEXT`` and ``arbees resume`` (implementation: :mod:`services.cli.halt_cmd`)."""

from __future__ import annotations

import argparse

HANDLER = "services.cli.halt_cmd:run"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    halt = subparsers.add_parser(
        "halt",
        help="stop trading (kill switch)",
        description=(
            "Halt trading on DATABASE_URL (or the embedded database): signal_processor denies every new "
            "intent except reduce-only exits. Persisted; survives restarts until `arbees resume`."
        ),
    )
    halt.add_argument("--reason", required=True, type=_reason, help="why (stored and shown by `arbees status`)")
    halt.set_defaults(handler=HANDLER, state="halted")
    resume = subparsers.add_parser(
        "resume",
        help="allow trading again after a halt",
        description="Set the trading state back to active on DATABASE_URL (or the embedded database).",
    )
    resume.add_argument("--reason", default="resumed by operator", type=_reason, help="why (stored)")
    resume.set_defaults(handler=HANDLER, state="active")


def _reason(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be blank")
    return value.strip()
