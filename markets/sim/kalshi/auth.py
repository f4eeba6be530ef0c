"""Verifying Kalshi request signatures in the simulator.

Written independently of the client's signer so the two check each other. For every request carrying
``KALSHI-ACCESS-*`` headers (and every ``/portfolio`` request and WebSocket handshake, which must carry
them) the simulator rebuilds ``timestamp_ms + METHOD + path`` (path without the query string) and checks
the base64 RSA-PSS signature (SHA-256, MGF1-SHA256, salt length 32) against the public key registered
for the key id. An unknown key, a bad signature or a timestamp more than ``max_skew_s`` away from the
simulator's clock is refused with 401 in Kalshi's error shape.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_HEADER = "kalshi-access-key"
TIMESTAMP_HEADER = "kalshi-access-timestamp"
SIGNATURE_HEADER = "kalshi-access-signature"
AUTH_HEADERS = (KEY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)


class AuthFailure(Exception):
    """A request's credentials were refused; ``details`` says why (safe to return to the caller)."""

    def __init__(self, details: str) -> None:
        super().__init__(details)
        self.details = details


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """An RSA public key from PEM (``PUBLIC KEY`` or ``RSA PUBLIC KEY``).

    Raises
    ------
    ValueError
        When the PEM is not an RSA public key.
    """
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        key = serialization.load_pem_private_key(pem, password=None).public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("Kalshi keys are RSA")
    return key


class KeyRegistry:
    """The API keys the simulator accepts.

    Parameters
    ----------
    keys
        ``key_id -> public key``.
    max_skew_s
        Largest accepted distance between the request timestamp and the simulator's clock.
    clock
        Wall-clock seconds.
    """

    def __init__(
        self,
        keys: Mapping[str, rsa.RSAPublicKey] | None = None,
        *,
        max_skew_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = dict(keys or {})
        self.max_skew_s = max_skew_s
        self._clock = clock

    @classmethod
    def from_files(cls, pairs: Iterable[tuple[str, Path]], *, max_skew_s: float = 5.0) -> KeyRegistry:
        """Keys loaded from ``(key_id, public_key_pem_file)`` pairs."""
        return cls({key_id: load_public_key(path.read_bytes()) for key_id, path in pairs}, max_skew_s=max_skew_s)

    def add(self, key_id: str, public_key: rsa.RSAPublicKey) -> None:
        """Accept ``key_id`` from now on."""
        self._keys[key_id] = public_key

    @property
    def key_ids(self) -> list[str]:
        """Registered key ids."""
        return list(self._keys)

    @staticmethod
    def carries_credentials(headers: Mapping[str, str]) -> bool:
        """True when any ``KALSHI-ACCESS-*`` header is present."""
        return any(h in headers for h in AUTH_HEADERS)

    def verify(self, headers: Mapping[str, str], method: str, path: str) -> str:
        """The key id of a correctly signed request.

        ``headers`` must be case-insensitive (Starlette's are); ``path`` excludes the query string.

        Raises
        ------
        AuthFailure
            Missing header, unknown key, stale or malformed timestamp, or a bad signature.
        """
        key_id = headers.get(KEY_HEADER)
        timestamp = headers.get(TIMESTAMP_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not key_id or not timestamp or not signature:
            raise AuthFailure("missing KALSHI-ACCESS-KEY, -TIMESTAMP or -SIGNATURE header")
        public_key = self._keys.get(key_id)
        if public_key is None:
            raise AuthFailure("unknown API key")
        if not timestamp.isdigit():
            raise AuthFailure("KALSHI-ACCESS-TIMESTAMP must be milliseconds since the epoch")
        skew_s = abs(self._clock() - int(timestamp) / 1000)
        if skew_s > self.max_skew_s:
            raise AuthFailure(f"timestamp is {skew_s:.1f}s away from server time (limit {self.max_skew_s:g}s)")
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise AuthFailure("signature is not standard base64") from None
        message = f"{timestamp}{method.upper()}{path}".encode()
        try:
            public_key.verify(
                raw, message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
            )
        except InvalidSignature:
            raise AuthFailure("invalid signature") from None
        return key_id
