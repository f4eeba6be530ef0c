"""``arbees run <service>|all``: run one service, or every service in this process."""

from __future__ import annotations

import argparse

from services.registry import SERVICES, build_all, build_service
from shared.config import ArbeesSettings, load_settings
from shared.logs import configure_logging
from shared.runtime.infra import open_infra
from shared.runtime.runner import run_services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a service (or all of them in one process)",
        description=(
            "Run one service, or `all` in one process. Without REDIS_URL, `all` uses an in-process Redis; "
            "without DATABASE_URL, an embedded PostgreSQL. Stop with SIGTERM or Ctrl-C (graceful drain)."
        ),
    )
    parser.add_argument("service", choices=[*SERVICES, "all"], help="service name, or `all`")
    parser.set_defaults(handler=run)


async def run(args: argparse.Namespace) -> int:
    single = args.service == "all"
    base = load_settings(ArbeesSettings)
    configure_logging(base.log_level)
    services = build_all() if single else [build_service(args.service)]
    async with open_infra(base, single_process=single) as infra:
        await run_services(services, infra)
    return 0
