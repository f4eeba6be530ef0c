"""Entry point of the `arbees` command: builds the argument parser from command modules and runs one.

Each parser module (:mod:`services.cli.parsers`) exposes ``register(subparsers)``; it adds its sub-parser
and sets ``handler`` to a callable, or to a ``"module:function"`` string naming one, taking the parsed
namespace and returning an exit code (a coroutine function is run with ``asyncio.run``). The parser
modules import nothing heavy: a command's implementation is imported only when it runs, so ``arbees
--help`` and ``arbees <command> --help`` answer at once. Commands whose parser lives with a heavy
implementation in another package are listed by name and registered only when chosen
(:class:`services.cli.loader.DeferredSubParsers`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from services.cli.loader import deferred_subparsers, register_modules, resolve_handler

COMMANDS: tuple[str | tuple[str, str, str], ...] = (
    "services.cli.parsers.run",
    "services.cli.parsers.migrate",
    "services.cli.parsers.status",
    "services.cli.parsers.halt",
    "services.cli.parsers.demo",
    "services.cli.parsers.sim",
    "services.cli.parsers.replay",
    ("winprob", "shared.winprob.cli", "train and evaluate the win-probability models"),
    "services.cli.parsers.analytics",
)
"""In ``--help`` order: a parser module, or (command, module with its ``register``, help) for a deferred one."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arbees",
        description="Arbees: trade sports prediction markets on calibrated win probabilities.",
    )
    subparsers = deferred_subparsers(parser, dest="command", metavar="<command>", required=True)
    for entry in COMMANDS:
        if isinstance(entry, str):
            register_modules((entry,), subparsers)
        else:
            subparsers.defer(*entry)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import inspect  # here, as asyncio below: --help and a parse error never pay for them

    try:
        outcome = resolve_handler(args.handler)(args)
        if inspect.iscoroutine(outcome):
            import asyncio

            from shared.runtime.loop import install_event_loop

            install_event_loop()  # uvloop unless ARBEES_EVENT_LOOP=asyncio
            outcome = asyncio.run(outcome)
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        code = _known_failure(e)
        if code is None:
            raise
        return code
    return int(outcome or 0)


def _known_failure(e: Exception) -> int | None:
    """The exit code of a failure reported in one line (a bad setting, a service that would not start).

    Imported here, not at the top: the command that raised one has imported its module already.
    """
    from shared.config import ConfigError
    from shared.runtime.runner import ServiceStartFailed

    if isinstance(e, ConfigError):
        print(f"arbees: configuration error: {e}", file=sys.stderr)
        return 2
    if isinstance(e, ServiceStartFailed):
        print(f"arbees: {e}", file=sys.stderr)
        return 1
    return None


if __name__ == "__main__":
    sys.exit(main())
