"""Running services: one ``asyncio.TaskGroup`` per process, signals, heartbeats, health and drain.

On SIGTERM or SIGINT the ``stopping`` event is set: consumers stop taking entries after the one in
hand (acked), the outbox is flushed, heartbeats say ``stopping``; anything still running after
``drain_timeout_s`` is cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

from shared.aio import wait_event
from shared.bus import keys
from shared.bus.consumer import FaultHook
from shared.bus.streams import trim_stream
from shared.config import ConfigError
from shared.metrics import SERVICE_UP
from shared.runtime.health import EmbeddedServer, health_app, make_server, serve_until
from shared.runtime.heartbeat import heartbeat_loop
from shared.runtime.infra import Infra
from shared.runtime.service import Service, ServiceContext

log = logging.getLogger(__name__)


class ServiceStartFailed(Exception):
    """A service's ``start`` failed (not a setting: a venue unreachable, say); the process must exit non-zero.

    The message names the service and every underlying error (the leaves of an ``ExceptionGroup``); the
    original exception is the ``__cause__``.
    """

    def __init__(self, service: str, error: BaseException) -> None:
        super().__init__(f"{service} did not start: {describe_error(error)}")
        self.service = service


def describe_error(error: BaseException) -> str:
    """``Type: message`` of ``error``, or of each leaf of an exception group, joined with ``; ``."""
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(describe_error(e) for e in error.exceptions)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def install_signal_handlers(stopping: asyncio.Event) -> None:
    """SIGTERM (ECS stop) and SIGINT (Ctrl-C) both start a graceful drain."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)


async def _maintenance(infra: Infra, stopping: asyncio.Event, interval_s: float = 60.0) -> None:
    retention_ms = infra.settings.stream_retention_s * 1000
    while not stopping.is_set():
        try:
            for stream in keys.MONEY_STREAMS:
                await trim_stream(infra.redis, stream, retention_ms)
            await infra.relay.purge_sent(older_than_s=max(infra.settings.stream_retention_s, 3600))
        except Exception:  # noqa: BLE001 - maintenance must never take a service down
            log.exception("stream maintenance failed")
        await wait_event(stopping, interval_s)


async def run_services(
    services: Sequence[Service],
    infra: Infra,
    *,
    stopping: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
    install_signals: bool = True,
    serve_health: bool = True,
    fault_hook: FaultHook | None = None,
    health_server_out: list[EmbeddedServer] | None = None,
) -> None:
    """Run ``services`` until a stop is requested, then drain them.

    Any task that fails, or a service whose ``start`` fails, sets ``stopping`` as well as ending the task
    group, so every task drains even if it lost the group's cancellation (Python 3.11's ``wait_for``,
    which redis-py uses to send, can swallow one: cpython gh-86296).

    Raises
    ------
    shared.config.ConfigError
        A setting stops start-up: the health port (``ARBEES_HEALTH_PORT``) is busy, or a service's
        ``start`` raised one (also from inside the task group's ``ExceptionGroup``).
    ServiceStartFailed
        A service's ``start`` failed otherwise (its venue unreachable, say).
    """
    stopping = stopping or asyncio.Event()
    if install_signals:
        install_signal_handlers(stopping)
    health = _health_server(services, infra) if serve_health else None
    if health is not None and health_server_out is not None:
        health_server_out.append(health)
    try:
        async with asyncio.TaskGroup() as tg:
            ctx = ServiceContext(infra=infra, task_group=tg, stopping=stopping, fault_hook=fault_hook)
            try:
                await _run(ctx, services, health, ready)
            except BaseException:
                stopping.set()
                raise
    except BaseExceptionGroup as group:
        config = _config_error(group)
        if config is not None:
            raise config from None
        failed = _start_failure(group)
        if failed is None:
            raise
        raise failed from failed.__cause__  # the service's own error, not the task group around it
    finally:
        if health is not None and health.listener is not None:
            health.listener.close()
        for service in services:
            SERVICE_UP.labels(service.name).set(0)
    log.info("all services stopped")


def _health_server(services: Sequence[Service], infra: Infra) -> EmbeddedServer:
    settings = infra.settings
    app = health_app(
        services, infra.redis, lambda: infra.pool.fetchval("SELECT 1"), problems=infra.market_data.problems
    )
    host, port = settings.health_host, settings.health_port
    return make_server(app, host, port, host_setting="ARBEES_HEALTH_HOST", port_setting="ARBEES_HEALTH_PORT")


async def _run(
    ctx: ServiceContext, services: Sequence[Service], health: EmbeddedServer | None, ready: asyncio.Event | None
) -> None:
    infra, stopping = ctx.infra, ctx.stopping
    settings = infra.settings
    ctx.spawn(infra.relay.run(stopping), name="outbox-relay")
    ctx.spawn(_maintenance(infra, stopping), name="stream-maintenance")
    if health is not None:
        ctx.spawn(serve_until(health, stopping), name="health")
    for service in services:
        try:
            await service.start(ctx)
        except ConfigError:
            raise
        except Exception as e:  # noqa: BLE001 - named and re-raised: the process exits non-zero, never trades
            failed = ServiceStartFailed(service.name, e)
            log.critical("ALERT: %s; not trading", failed)
            raise failed from e
        SERVICE_UP.labels(service.name).set(1)
        log.info("service started", extra={"service": service.name})
    ctx.spawn(
        heartbeat_loop(
            infra.redis,
            services,
            settings.instance_id,
            settings.heartbeat_interval_s,
            stopping,
            problems=infra.market_data.problems,
        ),
        name="heartbeat",
    )
    if ready is not None:
        ready.set()
    await stopping.wait()
    log.info("stop requested: draining")
    _, late = await asyncio.wait(ctx.tasks, timeout=settings.drain_timeout_s)
    for task in late:
        log.error("task still running after drain timeout; cancelling", extra={"task": task.get_name()})
        task.cancel()


def _start_failure(group: BaseExceptionGroup[BaseException]) -> ServiceStartFailed | None:
    """The :class:`ServiceStartFailed` in ``group`` when that is what ended the run."""
    found, rest = group.split(ServiceStartFailed)
    if found is None:
        return None
    if rest is not None:
        log.error("start-up also failed otherwise", exc_info=rest)
    error: BaseException = found
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    assert isinstance(error, ServiceStartFailed)
    return error


def _config_error(group: BaseExceptionGroup[BaseException]) -> ConfigError | None:
    """The first :class:`ConfigError` in ``group`` (nested groups included); the other errors are logged."""
    found, rest = group.split(ConfigError)
    if found is None:
        return None
    if rest is not None:
        log.error("start-up also failed otherwise", exc_info=rest)
    error: BaseException = found
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    assert isinstance(error, ConfigError)
    return error
