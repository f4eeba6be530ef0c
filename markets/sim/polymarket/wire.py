"""Writing JSON the way the venue does: decimal text ("0.3", "110000") and exact JSON numbers.

``Decimal`` values given to :func:`dumps` become bare JSON numbers written from their exact digits
(Gamma's ``orderPriceMinTickSize: 0.01``, ``/tick-size``'s ``minimum_tick_size``) — no ``float`` is
involved. Strings the venue sends as text are produced with :func:`text`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from fastapi import Response

_MARK = "\u0000dec:"
_MARKED = re.compile(r'"\\u0000dec:([^"]+)"')


def text(value: Decimal) -> str:
    """Canonical decimal text as the CLOB writes it: no exponent, no trailing zeros ("0.50" -> "0.5")."""
    normalized = value.normalize()
    return format(normalized, "f") if normalized != 0 else "0"


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{text(value)}"
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mark(v) for v in value]
    return value


def dumps(value: Any, *, compact: bool = False) -> str:
    """JSON text with every ``Decimal`` written as an exact number literal."""
    separators = (",", ":") if compact else None
    return _MARKED.sub(lambda m: m.group(1), json.dumps(_mark(value), separators=separators))


def respond(value: Any, status: int = 200) -> Response:
    """A JSON response written with :func:`dumps`."""
    return Response(content=dumps(value), status_code=status, media_type="application/json")


def error(message: str, status: int = 400, **extra: Any) -> Response:
    """The CLOB error shape ``{"error": "..."}``."""
    return respond({"error": message, **extra}, status)
