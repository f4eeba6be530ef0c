"""EIP-712 hashing of a CTF Exchange V2 order: type hash, domain separator, struct hash and the signed digest.

``digest = keccak(0x19 0x01 || domainSeparator || hashStruct(order))`` is both what the signer signs and
the order hash the venue answers with as ``orderID`` (so it is known before the order is posted). The
domain is ``{name: "Polymarket CTF Exchange", version: "2", chainId, verifyingContract}``, the verifying
contract being the V2 exchange or, for neg-risk markets, the V2 neg-risk exchange. Every field of the
``Order`` struct is a static type, so ``hashStruct`` is the keccak of the type hash followed by one
32-byte word per field.

References
----------
EIP-712 (https://eips.ethereum.org/EIPS/eip-712) ``hashStruct``/``encodeData``; venues.md §2.5.
"""

from __future__ import annotations

from markets.polymarket.signing import abi
from markets.polymarket.signing.keccak import keccak256

DOMAIN_NAME = "Polymarket CTF Exchange"
DOMAIN_VERSION = "2"
DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
ORDER_TYPE = (
    "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,"
    "uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)"
)
DOMAIN_TYPE_HASH = keccak256(DOMAIN_TYPE.encode())
ORDER_TYPE_HASH = keccak256(ORDER_TYPE.encode())
SIDE_CODES = {"BUY": 0, "SELL": 1}
_PREFIX = b"\x19\x01"


def domain_separator(chain_id: int, exchange: str, *, name: str = DOMAIN_NAME, version: str = DOMAIN_VERSION) -> bytes:
    """``hashStruct(EIP712Domain)`` for one exchange contract on one chain (compute once per exchange)."""
    return keccak256(
        DOMAIN_TYPE_HASH
        + keccak256(name.encode())
        + keccak256(version.encode())
        + abi.uint256(chain_id)
        + abi.address(exchange)
    )


def order_struct_hash(
    *,
    salt: int,
    maker: bytes,
    signer: bytes,
    token_id: int,
    maker_amount: int,
    taker_amount: int,
    side: int,
    signature_type: int,
    timestamp_ms: int,
    metadata: bytes,
    builder: bytes,
) -> bytes:
    """``hashStruct(Order)``; ``maker``, ``signer``, ``metadata`` and ``builder`` are already 32-byte words.

    Raises
    ------
    ValueError
        A number outside its type (negative, or wider than 256 bits; ``side``/``signature_type`` over 255).
    """
    if not (0 <= side < 256 and 0 <= signature_type < 256):
        raise ValueError(f"side {side} / signature type {signature_type} do not fit a uint8")
    return keccak256(
        b"".join(
            (
                ORDER_TYPE_HASH,
                abi.uint256(salt),
                maker,
                signer,
                abi.uint256(token_id),
                abi.uint256(maker_amount),
                abi.uint256(taker_amount),
                abi.uint256(side),
                abi.uint256(signature_type),
                abi.uint256(timestamp_ms),
                metadata,
                builder,
            )
        )
    )


def typed_digest(domain: bytes, struct_hash: bytes) -> bytes:
    """The EIP-712 digest ``keccak(0x1901 || domain || struct)``: what is signed, and the venue's order hash."""
    return keccak256(_PREFIX + domain + struct_hash)
