"""JSON logging for every service, with secrets redacted centrally.

Each record is one JSON object (time, level, logger, message and any ``extra`` fields such as
``correlation_id``, ``client_order_id``, ``venue``). Registered secret values, and anything that looks
like a PEM private key or a bearer token, are replaced with ``***``. A
Polymarket private key is registered explicitly: a 64-hex pattern would also hide condition ids and
transaction hashes.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_PATTERNS = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
)
_secrets: set[str] = set()


def register_secret(*values: str | None) -> None:
    """Add values (API keys, private keys, passwords) that must never appear in a log line."""
    for value in values:
        if value and len(value) >= 4:
            _secrets.add(value)


def redact(text: str) -> str:
    """Replace registered secrets and secret-looking patterns with ``***``."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _PATTERNS[0].sub("***", text)
    return _PATTERNS[1].sub(lambda m: f"{m.group(1)}***", text)


class JsonFormatter(logging.Formatter):
    """Format a record as a single redacted JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return redact(json.dumps(payload, default=str))


def configure_logging(level: str = "INFO", secrets: Iterable[str | None] = ()) -> None:
    """Send JSON logs to stderr at ``level`` and register ``secrets`` for redaction."""
    register_secret(*secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
