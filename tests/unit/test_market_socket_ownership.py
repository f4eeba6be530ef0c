"""Only polymarket_price_shard talks to Polymarket's market WebSocket (it runs behind the VPN sidecar).

Checked on the source: every module under ``services/`` that imports the market feed, or reads the
market-socket URL setting, belongs to ``services/polymarket_price_shard``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "services"
OWNER = SERVICES / "polymarket_price_shard"
FEED_MODULE = "markets.polymarket.ws_market"


def _users_of_the_market_socket() -> set[Path]:
    users = set()
    for path in SERVICES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            imported = (isinstance(node, ast.ImportFrom) and node.module == FEED_MODULE) or (
                isinstance(node, ast.Import) and any(a.name == FEED_MODULE for a in node.names)
            )
            if imported or (isinstance(node, ast.Attribute) and node.attr == "ws_market_url"):
                users.add(path)
    return users


def test_only_the_price_shard_opens_a_polymarket_market_socket() -> None:
    users = _users_of_the_market_socket()
    assert users, "the price shard must use the market feed"
    assert {p for p in users if OWNER not in p.parents} == set()
