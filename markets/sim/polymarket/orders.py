"""V2 signed orders as the CTF Exchange V2 defines them: decoding, signature recovery, the order hash.

The order hash (the ``orderID`` the venue answers with) is the EIP-712 digest of the order under the
domain ``{name: "Polymarket CTF Exchange", version: "2", chainId, verifyingContract}`` where the
contract is the V2 exchange, or the V2 neg-risk exchange for neg-risk markets. A client can therefore
compute the id before posting. V1-shaped orders (``nonce``, ``feeRateBps``, ``taker``; no ``timestamp``)
are refused with ``order_version_mismatch``, as the venue has done since 2026-04-28.

References
----------
venues.md §2.5; py-clob-client-v2 ``order_utils/model/ctf_exchange_v2_typed_data.py`` (struct layout).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from markets.sim.polymarket.exchange import OrderError

EXCHANGE_V2 = "0xE111180000d2663C0091e4f400237545B87B996B"
NEG_RISK_EXCHANGE_V2 = "0xe2222d279d744050d28e00520010520000310F59"
UNIT = Decimal(1_000_000)
BYTES32_ZERO = "0x" + "0" * 64
_V2_REQUIRED = (
    "salt",
    "maker",
    "signer",
    "tokenId",
    "makerAmount",
    "takerAmount",
    "side",
    "signatureType",
    "timestamp",
)
_V1_ONLY = ("nonce", "feeRateBps", "taker")

ORDER_STRUCT = [
    {"name": "salt", "type": "uint256"},
    {"name": "maker", "type": "address"},
    {"name": "signer", "type": "address"},
    {"name": "tokenId", "type": "uint256"},
    {"name": "makerAmount", "type": "uint256"},
    {"name": "takerAmount", "type": "uint256"},
    {"name": "side", "type": "uint8"},
    {"name": "signatureType", "type": "uint8"},
    {"name": "timestamp", "type": "uint256"},
    {"name": "metadata", "type": "bytes32"},
    {"name": "builder", "type": "bytes32"},
]


@dataclass(frozen=True)
class SignedOrderV2:
    """A decoded, signature-checked V2 order with the price and size it encodes (exact)."""

    order_hash: str
    maker: str
    signer: str
    token_id: str
    side: Literal["BUY", "SELL"]
    maker_amount: int
    taker_amount: int
    signature_type: int
    expiration: int

    @property
    def size(self) -> Decimal:
        """Shares: the taker leg of a BUY, the maker leg of a SELL."""
        return Decimal(self.taker_amount if self.side == "BUY" else self.maker_amount) / UNIT

    @property
    def price(self) -> Decimal:
        """pUSD per share: ``makerAmount / takerAmount`` for a BUY, the inverse for a SELL."""
        usd, shares = (
            (self.maker_amount, self.taker_amount) if self.side == "BUY" else (self.taker_amount, self.maker_amount)
        )
        return Decimal(usd) / Decimal(shares)


def typed_data(order: dict[str, Any], chain_id: int, neg_risk: bool) -> dict[str, Any]:
    """The EIP-712 typed data of a V2 order as sent on the wire."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Order": ORDER_STRUCT,
        },
        "primaryType": "Order",
        "domain": {
            "name": "Polymarket CTF Exchange",
            "version": "2",
            "chainId": chain_id,
            "verifyingContract": NEG_RISK_EXCHANGE_V2 if neg_risk else EXCHANGE_V2,
        },
        "message": {
            "salt": int(order["salt"]),
            "maker": order["maker"],
            "signer": order["signer"],
            "tokenId": int(order["tokenId"]),
            "makerAmount": int(order["makerAmount"]),
            "takerAmount": int(order["takerAmount"]),
            "side": 0 if order["side"] == "BUY" else 1,
            "signatureType": int(order["signatureType"]),
            "timestamp": int(order["timestamp"]),
            "metadata": _bytes32(order.get("metadata") or BYTES32_ZERO),
            "builder": _bytes32(order.get("builder") or BYTES32_ZERO),
        },
    }


def order_hash(typed: dict[str, Any]) -> str:
    """The EIP-712 digest ``keccak(0x19 0x01 || domainSeparator || structHash)`` as ``0x`` hex."""
    signable = encode_typed_data(full_message=typed)
    return "0x" + keccak(b"\x19" + signable.version + signable.header + signable.body).hex()


def _bytes32(value: str) -> bytes:
    raw = bytes.fromhex(value.removeprefix("0x"))
    if len(raw) > 32:
        raise ValueError("bytes32 field too long")
    return raw.rjust(32, b"\x00")


def decode(order: Any, *, chain_id: int, neg_risk: bool) -> SignedOrderV2:
    """Check the shape and the signature of a wire order; raise :class:`OrderError` (400) if refused."""
    if not isinstance(order, dict):
        raise OrderError("Invalid order payload")
    if any(k in order for k in _V1_ONLY) or "timestamp" not in order:
        raise OrderError(
            "order_version_mismatch: V1 orders are no longer accepted; "
            "sign the CTF Exchange V2 order (domain version 2)"
        )
    if any(order.get(k) in (None, "") for k in _V2_REQUIRED) or order.get("side") not in ("BUY", "SELL"):
        raise OrderError("Invalid order payload")
    if int(order["signatureType"]) == 3:
        raise OrderError("signature type 3 (POLY_1271) is not supported by this simulator")
    try:
        typed = typed_data(order, chain_id, neg_risk)
        signer = Account.recover_message(encode_typed_data(full_message=typed), signature=order.get("signature", ""))
    except Exception as e:  # noqa: BLE001 - any malformed field or signature is a refusal
        raise OrderError(f"invalid order signature: {type(e).__name__}") from None
    if signer.lower() != str(order["signer"]).lower():
        raise OrderError("invalid order signature")
    if int(order["signatureType"]) == 0 and str(order["maker"]).lower() != signer.lower():
        raise OrderError("invalid order: an EOA order's maker must be its signer")
    maker_amount, taker_amount = int(order["makerAmount"]), int(order["takerAmount"])
    if maker_amount <= 0 or taker_amount <= 0:
        raise OrderError("invalid order amounts")
    return SignedOrderV2(
        order_hash=order_hash(typed),
        maker=str(order["maker"]),
        signer=signer,
        token_id=str(order["tokenId"]),
        side=order["side"],
        maker_amount=maker_amount,
        taker_amount=taker_amount,
        signature_type=int(order["signatureType"]),
        expiration=int(order.get("expiration") or 0),
    )
