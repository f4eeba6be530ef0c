"""Prometheus metrics shared by the runtime and the bus (one registry per process)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES_HANDLED = Counter(
    "arbees_stream_messages_handled_total", "Stream entries handled and acked", ["stream", "group"]
)
MESSAGES_DUPLICATE = Counter(
    "arbees_stream_messages_duplicate_total",
    "Entries skipped because the inbox had them",
    ["stream", "group"],
)
MESSAGES_DEAD_LETTERED = Counter(
    "arbees_stream_messages_dead_lettered_total", "Entries moved to a dead-letter stream", ["stream", "group"]
)
HANDLER_FAILURES = Counter(
    "arbees_stream_handler_failures_total", "Handler exceptions (entry left pending)", ["stream", "group"]
)
HANDLER_SECONDS = Histogram("arbees_stream_handler_seconds", "Time to handle one stream entry", ["stream", "group"])
PUBSUB_RECEIVED = Counter("arbees_pubsub_received_total", "Pub/sub messages received", ["topic"])
PUBSUB_INVALID = Counter("arbees_pubsub_invalid_total", "Pub/sub payloads that failed to decode", ["topic"])
OUTBOX_PUBLISHED = Counter("arbees_outbox_published_total", "Outbox rows published to Redis", ["stream"])
STREAM_TRIMMED = Counter("arbees_stream_trimmed_total", "Entries trimmed from streams", ["stream"])
SERVICE_UP = Gauge("arbees_service_up", "1 while the service runs", ["service"])
