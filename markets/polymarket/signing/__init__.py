"""Fast V2 order signing for the Polymarket CTF Exchange (EIP-712 digest with C keccak, secp256k1 via coincurve).

py-clob-client-v2 builds the EIP-712 typed data as nested dicts and encodes it in pure Python (about
0.5 ms per order, 4 ms when eth-keys signs in pure Python too); the same bytes are built here directly
from 32-byte ABI words, with the domain separator and type hash computed once per exchange, so an order
is built and signed in about 50 µs (``bench/bench_signing.py``).
The output is byte-for-byte the library's: same signature (RFC 6979 deterministic nonces, low-s, v = 27/28),
same order hash (the venue's ``orderID``) and the same ``POST /order`` body.

Modules, one job each: :mod:`.keccak` (hash), :mod:`.abi` (32-byte words), :mod:`.eip712` (type hash,
domain separator, struct hash, digest), :mod:`.ecdsa` (secp256k1 signature, address), :mod:`.poly1271`
(the wrapped signature of signature type 3), :mod:`.order` (the order and its wire form), :mod:`.signer`
(the per-key signer with its precomputed exchanges).

References
----------
venues.md §2.5; Polymarket/py-clob-client-v2 ``order_utils/exchange_order_builder_v2.py`` (behaviour
matched, not copied); EIP-712 (https://eips.ethereum.org/EIPS/eip-712).
"""

from markets.polymarket.signing.order import OrderV2, SignedOrderV2, post_body
from markets.polymarket.signing.signer import FastOrderSigner

__all__ = ["FastOrderSigner", "OrderV2", "SignedOrderV2", "post_body"]
