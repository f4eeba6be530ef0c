"""The wrapped signature of signature type 3 (``POLY_1271``: a smart-contract wallet that validates via EIP-1271).

The wallet (Polymarket's deposit wallet, a Solady ERC-1271 account) checks an ERC-7739 nested
``TypedDataSign`` signature: the EOA signs

``keccak(0x1901 || exchangeDomain || hashStruct(TypedDataSign{contents: order, name: "DepositWallet",
version: "1", chainId, verifyingContract: wallet, salt: 0}))``

and the signature sent is ``sig(65) || exchangeDomain || hashStruct(order) || contentsType || len(contentsType)``
(the type string as UTF-8, its length as 2 big-endian bytes). The order hash (``orderID``) stays the
plain EIP-712 digest of the order.

References
----------
ERC-7739 (https://eips.ethereum.org/EIPS/eip-7739) "TypedDataSign"; Solady ``ERC1271.sol``;
py-clob-client-v2 ``ExchangeOrderBuilderV2`` (signature type 3 behaviour matched).
"""

from __future__ import annotations

from coincurve import PrivateKey

from markets.polymarket.signing import abi
from markets.polymarket.signing.ecdsa import sign_digest
from markets.polymarket.signing.eip712 import ORDER_TYPE, typed_digest
from markets.polymarket.signing.keccak import keccak256

WALLET_NAME = "DepositWallet"
WALLET_VERSION = "1"
TYPED_DATA_SIGN_TYPE = (
    "TypedDataSign(Order contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)"
    + ORDER_TYPE
)
TYPED_DATA_SIGN_TYPE_HASH = keccak256(TYPED_DATA_SIGN_TYPE.encode())
_NAME_HASH = keccak256(WALLET_NAME.encode())
_VERSION_HASH = keccak256(WALLET_VERSION.encode())
_CONTENTS_TYPE = ORDER_TYPE.encode()
_TRAILER = _CONTENTS_TYPE + len(_CONTENTS_TYPE).to_bytes(2, "big")
_ZERO_SALT = bytes(32)


def wrapped_signature(key: PrivateKey, domain: bytes, contents_hash: bytes, chain_id: int, wallet: bytes) -> bytes:
    """The ERC-7739 signature bytes for an order whose ``hashStruct`` is ``contents_hash``.

    ``domain`` is the exchange's domain separator, ``wallet`` the signer (the wallet) as a 32-byte word.
    """
    sign_struct = keccak256(
        TYPED_DATA_SIGN_TYPE_HASH + contents_hash + _NAME_HASH + _VERSION_HASH + abi.uint256(chain_id) + wallet
        + _ZERO_SALT
    )  # fmt: skip
    return sign_digest(key, typed_digest(domain, sign_struct)) + domain + contents_hash + _TRAILER
