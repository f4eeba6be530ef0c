"""Entry point of the `arbees` command: builds the argument parser from command modules and runs one.

Each command module exposes ``register(subparsers)``; it adds its sub-parser and sets ``handler`` to a
callable taking the parsed namespace and returning an exit code (a coroutine function is run with
``asyncio.run``).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
from collections.abc import Sequence

from services.cli.loader import register_modules
from shared.config import ConfigError
from shared.runtime.runner import ServiceStartFailed

COMMAND_MODULES: tuple[str, ...] = (
    "services.cli.run_cmd",
    "services.cli.migrate_cmd",
    "services.cli.status_cmd",
    "services.cli.halt_cmd",
    "services.cli.demo_cmd",
    "services.cli.sim_cmd",
    "services.cli.replay.command",
    "shared.winprob.cli",
    "services.cli.analytics_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arbees",
        description="Arbees: trade sports prediction markets on calibrated win probabilities.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="<command>", required=True)
    register_modules(COMMAND_MODULES, subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    try:
        result = asyncio.run(handler(args)) if inspect.iscoroutinefunction(handler) else handler(args)
    except ConfigError as e:
        print(f"arbees: configuration error: {e}", file=sys.stderr)
        return 2
    except ServiceStartFailed as e:
        print(f"arbees: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
