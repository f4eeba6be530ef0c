"""ABI-encoded 32-byte words (Solidity ``abi.encode`` of static types), as EIP-712 ``encodeData`` needs them.

Every encoder refuses a value the type cannot hold with ``ValueError`` (never a silent truncation).

References
----------
Solidity ABI spec, "Formal Specification of the Encoding" (https://docs.soliditylang.org/en/latest/abi-spec.html).
"""

from __future__ import annotations

_UINT256_LIMIT = 1 << 256


def uint256(value: int) -> bytes:
    """A ``uint256`` (also ``uint8`` and every smaller unsigned type): big-endian, left-padded to 32 bytes."""
    if not 0 <= value < _UINT256_LIMIT:
        raise ValueError(f"{value} does not fit a uint256")
    return value.to_bytes(32, "big")


def decimal_uint256(text: str) -> int:
    """A ``uint256`` given as ASCII decimal digits (token ids, amounts and timestamps on the wire)."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text!r} is not a decimal uint256")
    value = int(text)
    uint256(value)
    return value


def address(text: str) -> bytes:
    """An ``address`` from its ``0x`` hex text (any case): 20 bytes left-padded to 32."""
    raw = _hex_bytes(text, 20)
    return bytes(12) + raw


def bytes32(text: str) -> bytes:
    """A ``bytes32`` from ``0x`` hex text; shorter values are left-padded with zeros (as the library does)."""
    digits = text.removeprefix("0x").removeprefix("0X")
    if len(digits) > 64:
        raise ValueError(f"{text!r} is longer than 32 bytes")
    return _hex_bytes("0x" + digits.zfill(64), 32)


def _hex_bytes(text: str, size: int) -> bytes:
    digits = text[2:] if text[:2] in ("0x", "0X") else ""
    if len(digits) != 2 * size:
        raise ValueError(f"{text!r} is not 0x followed by {2 * size} hex digits")
    return bytes.fromhex(digits)
