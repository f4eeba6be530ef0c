"""The 2026 samples in the current fixed-point shape (``*_dollars``, ``*_fp``, ``status: active``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from markets.kalshi import parsing as p
from markets.kalshi import schemas as w

HTTP = Path(__file__).parent / "resources" / "http"


def test_wnba_markets_current_shape() -> None:
    raw = json.loads((HTTP / "2026-07_wnba-analytics-engine" / "markets_list_KXWNBAGAME.json").read_text())
    page = p.parse_markets_page(w.MarketsPage.model_validate(raw))
    assert len(page.items) == 3 and page.cursor == raw["cursor"]
    phx = page.items[0]
    assert phx.ticker == "KXWNBAGAME-26JUL09INDPHX-PHX" and phx.yes_sub_title == "Phoenix"
    assert (phx.status, phx.status_raw, phx.result) == ("active", "active", None)
    assert (phx.yes_bid, phx.yes_ask, phx.no_bid, phx.no_ask) == (
        Decimal("0.4000"), Decimal("0.4100"), Decimal("0.5900"), Decimal("0.6000"),
    )  # fmt: skip
    assert (phx.yes_bid_size, phx.yes_ask_size) == (Decimal("500.00"), Decimal("80.00"))
    assert phx.volume == Decimal("1883.84") and phx.open_interest == Decimal("1730.31")
    assert phx.fractional_trading_enabled and phx.tick_size == Decimal("0.01")
    assert phx.expected_expiration_time is not None and phx.expected_expiration_time.hour == 5
    assert phx.custom_strike["basketball_team"] == "a007957c-46fa-4d50-82f8-48dd4da02ba6"


def test_wnba_series_trimmed() -> None:
    raw = json.loads((HTTP / "2026-07_wnba-analytics-engine" / "series_list_TRIMMED.json").read_text())
    series = [p.parse_series(s) for s in w.SeriesList.model_validate(raw).series or ()]
    game = next(s for s in series if s.ticker == "KXWNBAGAME")
    assert (game.title, game.category, game.tags, game.fee_type) == (
        "Women's Pro Basketball Game", "Sports", ("Basketball",), None,
    )  # fmt: skip


def test_mve_combo_markets_deci_cent() -> None:
    raw = json.loads((HTTP / "2026-06_dr-manhattan" / "markets_list_sample5.json").read_text())
    markets = [p.parse_market(w.Market.model_validate(m)) for m in raw]
    assert len(markets) == 5
    combo = markets[0]
    assert combo.price_level_structure == "deci_cent" and combo.tick_size == Decimal("0.0010")
    assert combo.mve_legs == (
        "KXMLBGAME-26JUN211335CINNYY-NYY", "KXMLBGAME-26JUN211340SFMIA-SF", "KXMLBSPREAD-26JUN211335MILATL-MIL5",
    )  # fmt: skip
    assert combo.yes_bid == Decimal(0) and combo.volume == Decimal(0)
    assert all(m.status == "active" for m in markets)
