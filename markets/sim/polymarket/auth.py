"""CLOB authentication as the venue checks it: L1 (EIP-712 ``ClobAuth``) and L2 (HMAC-SHA256 headers).

- **L1** (``POST /auth/api-key``, ``GET /auth/derive-api-key``): headers ``POLY_ADDRESS``,
  ``POLY_SIGNATURE``, ``POLY_TIMESTAMP`` (Unix s), ``POLY_NONCE``. The signature is EIP-712 over domain
  ``{name: "ClobAuthDomain", version: "1", chainId}`` and ``ClobAuth{address, timestamp (string),
  nonce (uint256), message}`` with the fixed attestation text; the recovered signer must be
  ``POLY_ADDRESS``. Credentials are derived deterministically from the address and nonce, so *derive*
  returns exactly what *create* returned (creating twice is refused, like the venue).
- **L2** (everything private): ``POLY_SIGNATURE = base64url(HMAC-SHA256(base64url_decode(secret),
  timestamp + METHOD + path + body))`` with the path without its query and the body byte for byte as
  sent; plus ``POLY_API_KEY``, ``POLY_PASSPHRASE`` and ``POLY_ADDRESS`` matching the key. Any failure is
  401 ``{"error": "Unauthorized/Invalid api key"}``.

References
----------
https://docs.polymarket.com/api-reference/authentication ; venues.md §2.4; py-clob-client-v2 ``signing/``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data

ATTESTATION = "This message attests that I control the given wallet"
UNAUTHORIZED = "Unauthorized/Invalid api key"
_NAMESPACE = uuid.UUID("3f0d9c1e-5a7b-4c2d-9e8f-1a2b3c4d5e6f")


class AuthError(Exception):
    """Authentication refused (401) or a key operation refused (400) — ``status`` says which."""

    def __init__(self, message: str = UNAUTHORIZED, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ApiKey:
    """One API key and the address (checksummed) it belongs to."""

    api_key: str
    secret: str
    passphrase: str
    address: str
    nonce: int

    def public(self) -> dict[str, str]:
        """The venue's answer to create/derive."""
        return {"apiKey": self.api_key, "secret": self.secret, "passphrase": self.passphrase}


def clob_auth_typed_data(address: str, timestamp: str, nonce: int, chain_id: int) -> dict[str, Any]:
    """The EIP-712 typed data an L1 signature covers."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
            ],
            "ClobAuth": [
                {"name": "address", "type": "address"},
                {"name": "timestamp", "type": "string"},
                {"name": "nonce", "type": "uint256"},
                {"name": "message", "type": "string"},
            ],
        },
        "primaryType": "ClobAuth",
        "domain": {"name": "ClobAuthDomain", "version": "1", "chainId": chain_id},
        "message": {"address": address, "timestamp": timestamp, "nonce": nonce, "message": ATTESTATION},
    }


def hmac_signature(secret: str, timestamp: str, method: str, path: str, body: str) -> str:
    """The L2 ``POLY_SIGNATURE`` for one request."""
    key = base64.urlsafe_b64decode(secret)
    digest = hmac.new(key, f"{timestamp}{method}{path}{body}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()


class ApiKeys:
    """The key registry of one simulator.

    Parameters
    ----------
    chain_id
        The chain L1 signatures must name (137 Polygon).
    server_secret
        Seed of the deterministic credentials.
    max_skew_s
        Largest accepted difference between ``POLY_TIMESTAMP`` and the simulator's clock.
    """

    def __init__(
        self, chain_id: int, server_secret: bytes, max_skew_s: float = 30.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.chain_id = chain_id
        self._seed = server_secret
        self.max_skew_s = max_skew_s
        self._clock = clock
        self._by_key: dict[str, ApiKey] = {}
        self._by_owner: dict[tuple[str, int], ApiKey] = {}

    def _fresh(self, timestamp: str) -> None:
        try:
            skew = abs(self._clock() - int(timestamp))
        except ValueError:
            raise AuthError() from None
        if skew > self.max_skew_s:
            raise AuthError()

    def verify_l1(self, headers: Mapping[str, str]) -> tuple[str, int]:
        """Check L1 headers; returns (checksummed address, nonce). Raises :class:`AuthError`."""
        address, signature = headers.get("poly_address", ""), headers.get("poly_signature", "")
        timestamp, nonce_text = headers.get("poly_timestamp", ""), headers.get("poly_nonce", "0") or "0"
        if not (address and signature and timestamp and nonce_text.isdigit()):
            raise AuthError()
        self._fresh(timestamp)
        typed = clob_auth_typed_data(address, timestamp, int(nonce_text), self.chain_id)
        try:
            signer = Account.recover_message(encode_typed_data(full_message=typed), signature=signature)
        except Exception:  # noqa: BLE001 - any malformed signature is simply not valid
            raise AuthError() from None
        if signer.lower() != address.lower():
            raise AuthError()
        return signer, int(nonce_text)

    def _derive(self, address: str, nonce: int) -> ApiKey:
        tag = f"{address.lower()}|{nonce}".encode()
        secret = base64.urlsafe_b64encode(hmac.new(self._seed, b"secret|" + tag, hashlib.sha256).digest()).decode()
        passphrase = hmac.new(self._seed, b"pass|" + tag, hashlib.sha256).hexdigest()
        api_key = str(uuid.uuid5(_NAMESPACE, f"{self._seed.hex()}|{tag.decode()}"))
        return ApiKey(api_key=api_key, secret=secret, passphrase=passphrase, address=address, nonce=nonce)

    def create(self, address: str, nonce: int) -> ApiKey:
        """``POST /auth/api-key``: a new key; 400 if this address already has one for ``nonce``."""
        if (address.lower(), nonce) in self._by_owner:
            raise AuthError("Could not create api key", status=400)
        key = self._derive(address, nonce)
        self._by_owner[(address.lower(), nonce)] = key
        self._by_key[key.api_key] = key
        return key

    def derive(self, address: str, nonce: int) -> ApiKey:
        """``GET /auth/derive-api-key``: the key created for ``(address, nonce)``; 400 if none was."""
        key = self._by_owner.get((address.lower(), nonce))
        if key is None:
            raise AuthError("Could not derive api key!", status=400)
        return key

    def verify_l2(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> ApiKey:
        """Check L2 headers against the request; returns the key. Raises :class:`AuthError` (401)."""
        key = self._by_key.get(headers.get("poly_api_key", ""))
        signature, timestamp = headers.get("poly_signature", ""), headers.get("poly_timestamp", "")
        if key is None or not signature or not timestamp:
            raise AuthError()
        self._fresh(timestamp)
        if not hmac.compare_digest(headers.get("poly_passphrase", ""), key.passphrase):
            raise AuthError()
        if headers.get("poly_address", "").lower() != key.address.lower():
            raise AuthError()
        expected = hmac_signature(key.secret, timestamp, method.upper(), path, body.decode("utf-8", "replace"))
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise AuthError()
        return key

    def check_ws(self, api_key: str, secret: str, passphrase: str) -> ApiKey | None:
        """The user channel's ``auth`` object: the key when all three match."""
        key = self._by_key.get(api_key)
        if key is None:
            return None
        ok = hmac.compare_digest(secret.encode(), key.secret.encode()) and hmac.compare_digest(
            passphrase.encode(), key.passphrase.encode()
        )
        return key if ok else None

    def by_key(self, api_key: str) -> ApiKey | None:
        """Look a key up."""
        return self._by_key.get(api_key)
