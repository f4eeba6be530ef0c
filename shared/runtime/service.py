"""The service contract: what every Arbees service implements, and the context it runs in."""

from __future__ import annotations

import abc
import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, ClassVar

from shared.bus import keys
from shared.bus.consumer import ConsumerConfig, DeadLetterHook, FaultHook, Handler, StreamConsumer
from shared.config import ArbeesSettings
from shared.messages import Message
from shared.runtime.infra import Infra
from shared.trading_state import halt

log = logging.getLogger(__name__)
# A dead-lettered message on these streams is an order or fill the fleet lost track of: halt (R18).
EXECUTION_STREAMS = (keys.ORDER_SUBMIT, keys.ORDER_EVENTS, keys.FILLS)


@dataclass(slots=True)
class ServiceContext:
    """What a running service gets: shared infrastructure, the task group and the stop signal."""

    infra: Infra
    task_group: asyncio.TaskGroup
    stopping: asyncio.Event
    fault_hook: FaultHook | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run ``coro`` in the process's task group (no fire-and-forget tasks).

        If ``coro`` fails, ``stopping`` is set too: every task then drains even if it lost the task group's
        cancellation (Python 3.11's ``wait_for``, which redis-py uses to send, can swallow one; cpython
        gh-86296).
        """
        task = self.task_group.create_task(coro, name=name)
        task.add_done_callback(self._stop_all_on_error)
        self.tasks.append(task)
        return task

    def _stop_all_on_error(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.stopping.set()


class Service(abc.ABC):
    """A service: ``start`` creates its tasks in the task group and returns once it is ready.

    Tasks must return when ``ctx.stopping`` is set, after finishing the message in hand.
    """

    name: ClassVar[str]
    settings_class: ClassVar[type[ArbeesSettings]] = ArbeesSettings

    def __init__(self, settings: ArbeesSettings) -> None:
        self.settings = settings
        self.consumers: list[StreamConsumer] = []
        self.consumer_tasks: list[asyncio.Task[None]] = []

    @abc.abstractmethod
    async def start(self, ctx: ServiceContext) -> None:
        """Create the service's tasks via ``ctx.spawn``; return when it can take messages."""

    def health_details(self) -> dict[str, str | int | float | bool]:
        """Figures for the heartbeat and health endpoint (override to add more)."""
        details: dict[str, str | int | float | bool] = {}
        for consumer in self.consumers:
            prefix = consumer.config.stream.removeprefix("stream:")
            details[f"{prefix}.handled"] = consumer.state.handled
            details[f"{prefix}.dead_lettered"] = consumer.state.dead_lettered
            details[f"{prefix}.failures"] = consumer.state.failures
            details[f"{prefix}.reconnects"] = consumer.state.reconnects
        return details

    def problems(self) -> list[str]:
        """What keeps the service from working fully right now (empty when healthy).

        Shown by ``/health`` and sent as a ``degraded`` heartbeat; by default, consumers waiting for Redis.
        """
        return [f"{c.config.stream}: consumer waiting for Redis" for c in self.consumers if not c.state.connected]

    def consume(
        self,
        ctx: ServiceContext,
        stream: str,
        handler: Handler,
        accepts: tuple[type[Message], ...],
    ) -> StreamConsumer:
        """Build and start a consumer of ``stream`` in this service's group."""
        s = self.settings
        consumer = StreamConsumer(
            ctx.infra.redis,
            ctx.infra.store,
            ConsumerConfig(
                stream=stream,
                group=self.name,
                consumer=f"{self.name}:{s.instance_id}",
                accepts=accepts,
                block_ms=s.stream_block_ms,
                batch_size=s.stream_batch_size,
                claim_idle_ms=s.stream_claim_idle_ms,
                max_deliveries=s.stream_max_deliveries,
            ),
            handler,
            fault_hook=ctx.fault_hook,
            on_dead_letter=halt_on_dead_letter(ctx.infra, self.name) if stream in EXECUTION_STREAMS else None,
        )
        self.consumers.append(consumer)
        self.consumer_tasks.append(ctx.spawn(consumer.run(ctx.stopping), name=f"{self.name}:{stream}"))
        return consumer


def halt_on_dead_letter(infra: Infra, service: str) -> DeadLetterHook:
    """A dead-letter hook that halts trading, naming the stream and entry, and logs an alert line."""

    async def hook(stream: str, entry_id: str, reason: str) -> None:
        log.critical(
            "ALERT: execution message dead-lettered; halting trading",
            extra={"stream": stream, "entry_id": entry_id, "reason": reason, "service": service},
        )
        async with infra.pool.acquire() as conn:
            await halt(
                conn,
                f"dead-lettered {stream} entry {entry_id}: {reason}",
                f"{service}:dead_letter",
                bus=infra.market_data,
            )

    return hook
