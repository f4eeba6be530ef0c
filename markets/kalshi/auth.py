"""Kalshi request signing: RSA-PSS over ``timestamp_ms + METHOD + path``.

Exactly as documented (venues.md §1.2; docs.kalshi.com/getting_started/quick_start_authenticated_requests):
the message is the millisecond timestamp as a decimal string, the upper-case HTTP method and the URL
path from the API root **including** ``/trade-api/v2`` and **excluding** the query string, with no
separators; the body is not signed. The signature is RSA-PSS with SHA-256, MGF1-SHA256 and a 32-byte
salt (the digest length), encoded as standard base64. The WebSocket handshake signs
``GET /trade-api/ws/v2``. The private key is a PEM file in PKCS#1 or PKCS#8 form.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HEADER_KEY = "KALSHI-ACCESS-KEY"
HEADER_TIMESTAMP = "KALSHI-ACCESS-TIMESTAMP"
HEADER_SIGNATURE = "KALSHI-ACCESS-SIGNATURE"
PSS_SALT_LENGTH = 32

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

    def __repr__(self) -> str:
        return f"KalshiSigner(key_id={self.key_id!r})"

    def headers(self, method: str, path: str) -> dict[str, str]:
        """Signed headers for ``method path`` (``path`` may carry a query string; it is not signed)."""
        timestamp_ms = int(self._clock() * 1000)
        signature = sign(self._key, signing_message(timestamp_ms, method, path))
        return {HEADER_KEY: self.key_id, HEADER_TIMESTAMP: str(timestamp_ms), HEADER_SIGNATURE: signature}
