"""Kalshi request signing: RSA-PSS over ``timestamp_ms + METHOD + path``.

Exactly as documented (venues.md §1.2; docs.kalshi.com/getting_started/quick_start_authenticated_requests):
the message is the millisecond timestamp as a decimal string, the upper-case HTTP method and the URL
path from the API root **including** ``/trade-api/v2`` and **excluding** the query string, with no
separators; the body is not signed. The signature is RSA-PSS with SHA-256, MGF1-SHA256 and a 32-byte
salt (the digest length), encoded as standard base64. The WebSocket handshake signs
``GET /trade-api/ws/v2``. The private key is a PEM file in PKCS#1 or PKCS#8 form.

Because the body is not signed, the headers of the order-entry path can be made ahead: an RSA-2048
signature costs about 0.3 ms of CPU, which :meth:`KalshiSigner.presign` moves off the order's path. A
pre-signed header set is used once, only while younger than ``max_age_s`` (well inside the venue's clock
window; it is the same as a request that took that long to leave), and a fresh one is made in a worker
thread as soon as one is taken; when none is ready the request is signed inline, as always.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HEADER_KEY = "KALSHI-ACCESS-KEY"
HEADER_TIMESTAMP = "KALSHI-ACCESS-TIMESTAMP"
HEADER_SIGNATURE = "KALSHI-ACCESS-SIGNATURE"
PSS_SALT_LENGTH = 32
PRESIGN_MAX_AGE_S = 1.0
log = logging.getLogger(__name__)

Clock = Callable[[], float]
"""Wall-clock seconds since the Unix epoch (``time.time``); injectable for tests and skew checks."""


class KeyLoadError(ValueError):
    """The private key could not be loaded (not PEM, encrypted, or not RSA)."""


def load_private_key(pem: bytes | str) -> rsa.RSAPrivateKey:
    """Load an unencrypted RSA private key from PEM (PKCS#1 ``RSA PRIVATE KEY`` or PKCS#8 ``PRIVATE KEY``).

    Raises
    ------
    KeyLoadError
        When the PEM is unreadable, encrypted or not an RSA key. The message never contains key material.
    """
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyLoadError("not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyLoadError("Kalshi keys are RSA; this PEM holds another key type")
    return key


def load_private_key_file(path: Path) -> rsa.RSAPrivateKey:
    """Load the key file downloaded at key creation (see :func:`load_private_key`)."""
    return load_private_key(path.read_bytes())


def signing_message(timestamp_ms: int, method: str, path: str) -> bytes:
    """``timestamp_ms + METHOD + path`` with the query string removed."""
    return f"{timestamp_ms}{method.upper()}{urlsplit(path).path}".encode()


def sign(private_key: rsa.RSAPrivateKey, message: bytes) -> str:
    """RSA-PSS (SHA-256, MGF1-SHA256, 32-byte salt) over ``message``, standard base64."""
    signature = private_key.sign(
        message,
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=PSS_SALT_LENGTH),
        hashes.SHA256(),
    )
    return base64.b64encode(signature).decode("ascii")


class KalshiSigner:
    """Produces the three ``KALSHI-ACCESS-*`` headers for a request.

    Stateless apart from the clock; safe to share between the REST and WebSocket clients.

    Parameters
    ----------
    key_id
        The API key id (a UUID string).
    private_key
        The RSA private key matching ``key_id``.
    clock
        Wall-clock seconds; the timestamp is ``int(clock() * 1000)``.
    """

    def __init__(self, key_id: str, private_key: rsa.RSAPrivateKey, *, clock: Clock = time.time) -> None:
        self.key_id = key_id
        self._key = private_key
        self._clock = clock
        self._ready: dict[tuple[str, str], deque[tuple[float, dict[str, str]]]] = {}
        self._depth: dict[tuple[str, str], int] = {}
        self._making: dict[tuple[str, str], int] = {}
        self.max_age_s = PRESIGN_MAX_AGE_S
        self.presigned_used = 0

    def __repr__(self) -> str:
        return f"KalshiSigner(key_id={self.key_id!r})"

    def headers(self, method: str, path: str) -> dict[str, str]:
        """Signed headers for ``method path`` (``path`` may carry a query string; it is not signed)."""
        target = (method.upper(), urlsplit(path).path)
        ready = self._ready.get(target)
        if ready is None:
            return self._sign_now(method, path)
        now = self._clock()
        found = None
        while ready and found is None:
            made_at, headers = ready.popleft()
            if 0.0 <= now - made_at <= self.max_age_s:  # never one from a clock that has since moved back
                found = headers
        self._refill(target)
        if found is None:
            return self._sign_now(method, path)
        self.presigned_used += 1
        return found

    def presign(self, method: str, path: str, depth: int = 4) -> None:
        """Keep ``depth`` header sets for ``method path`` made ahead (call from the event loop)."""
        target = (method.upper(), urlsplit(path).path)
        self._ready.setdefault(target, deque())
        self._depth[target] = depth
        self._refill(target)

    def _sign_now(self, method: str, path: str) -> dict[str, str]:
        timestamp_ms = int(self._clock() * 1000)
        signature = sign(self._key, signing_message(timestamp_ms, method, path))
        return {HEADER_KEY: self.key_id, HEADER_TIMESTAMP: str(timestamp_ms), HEADER_SIGNATURE: signature}

    def _refill(self, target: tuple[str, str]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a synchronous caller): sign inline
        ready = self._ready[target]
        now = self._clock()
        while ready and not 0.0 <= now - ready[0][0] <= self.max_age_s / 2:
            ready.popleft()  # too old to be worth keeping: made again below
        missing = self._depth[target] - len(ready) - self._making.get(target, 0)
        for _ in range(max(0, missing)):
            self._making[target] = self._making.get(target, 0) + 1
            future = loop.run_in_executor(None, self._made, target)
            future.add_done_callback(functools.partial(self._done, target))

    def _made(self, target: tuple[str, str]) -> tuple[float, dict[str, str]]:
        headers = self._sign_now(*target)
        return int(headers[HEADER_TIMESTAMP]) / 1000, headers

    def _done(self, target: tuple[str, str], future: asyncio.Future[tuple[float, dict[str, str]]]) -> None:
        self._making[target] -= 1
        if future.cancelled() or future.exception() is not None:
            log.warning("pre-signing a Kalshi request failed; requests are signed inline")
            return
        self._ready[target].append(future.result())
