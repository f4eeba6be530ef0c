"""Matching venue markets to ESPN games: by league, date and teams, with settlement and orientation checks.

- :mod:`.names` — team-name normalisation and the alias table.
- :mod:`.terms` — settlement equivalence: do a market's rules settle on the result we price?
- :mod:`.kalshi` / :mod:`.polymarket` — one verdict per venue market.
- :mod:`.leagues` — where each league lives on each venue.
"""

from services.discovery_coordinator.matching.kalshi import match_kalshi
from services.discovery_coordinator.matching.leagues import kalshi_series_for, polymarket_tag_ids
from services.discovery_coordinator.matching.polymarket import match_polymarket

__all__ = ["kalshi_series_for", "match_kalshi", "match_polymarket", "polymarket_tag_ids"]
