"""secp256k1 signatures as Ethereum expects them (coincurve, i.e. libsecp256k1 in C).

``sign_recoverable`` on the 32-byte digest (``hasher=None``: the digest is already keccak) gives
``r || s || recovery_id`` with an RFC 6979 deterministic nonce and a low ``s``; Ethereum wants
``r || s || v`` with ``v = 27 + recovery_id``. This is exactly what eth-account produces (eth-keys uses
the same library when it is installed), so signatures are byte-for-byte identical.

References
----------
coincurve ``PrivateKey.sign_recoverable``; Ethereum Yellow Paper appendix F (``v`` in {27, 28}).
"""

from __future__ import annotations

from coincurve import PrivateKey
from eth_utils.address import to_checksum_address

from markets.polymarket.signing.keccak import keccak256


def private_key(hex_key: str) -> PrivateKey:
    """A signing key from its 32-byte hex text (with or without ``0x``).

    Raises
    ------
    ValueError
        Not 64 hex digits, or not a valid secp256k1 scalar.
    """
    digits = hex_key.removeprefix("0x").removeprefix("0X")
    if len(digits) != 64:
        raise ValueError("a private key is 32 bytes (64 hex digits)")
    return PrivateKey(bytes.fromhex(digits))


def address_of(key: PrivateKey) -> str:
    """The key's Ethereum address, EIP-55 checksummed (the last 20 bytes of keccak of the public point)."""
    point = key.public_key.format(compressed=False)[1:]
    return str(to_checksum_address(keccak256(point)[-20:]))


def sign_digest(key: PrivateKey, digest: bytes) -> bytes:
    """The 65-byte Ethereum signature ``r || s || v`` (``v`` = 27 or 28) of a 32-byte digest."""
    if len(digest) != 32:
        raise ValueError("a digest is 32 bytes")
    raw = key.sign_recoverable(digest, hasher=None)
    return raw[:64] + bytes((27 + raw[64],))
