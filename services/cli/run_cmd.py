"""``arbees run <service>|all``: run one service, or every service in this process.

Parser: :mod:`services.cli.parsers.run`.
"""

from __future__ import annotations

import argparse

from services.registry import build_all, build_service
from shared.config import ArbeesSettings, load_settings
from shared.logs import configure_logging
from shared.runtime.infra import open_infra
from shared.runtime.runner import run_services


async def run(args: argparse.Namespace) -> int:
    single = args.service == "all"
    base = load_settings(ArbeesSettings)
    configure_logging(base.log_level)
    services = build_all() if single else [build_service(args.service)]
    async with open_infra(base, single_process=single) as infra:
        await run_services(services, infra)
    return 0
