"""Loaders for the data folders of ``../shared/data/winprob`` (and any other season in the same layout).

`load_dataset` picks the loader from the sport: NBA/WNBA use the ``nba_quarters_lines`` layout, NFL and
college football the ``nfl_quarters_lines`` layout, NHL ``nhl_periods_lines``, soccer ``epl_ht_ft_odds``,
men's college basketball ``ncaab_pbp_2018_19`` and MLB ``mlb``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shared.winprob.datasets.base import OVERTIME, PREGAME, Dataset, LabeledState
from shared.winprob.datasets.goals import load_epl_layout, load_nhl_layout
from shared.winprob.datasets.pbp import load_mlb_layout, load_ncaab_layout
from shared.winprob.datasets.quarters import load_nba_layout, load_nfl_layout

Loader = Callable[[Path, str], Dataset]

LOADERS: dict[str, tuple[str, Loader]] = {
    "nba": ("nba_quarters_lines", load_nba_layout),
    "wnba": ("nba_quarters_lines", load_nba_layout),
    "nfl": ("nfl_quarters_lines", load_nfl_layout),
    "cfb": ("nfl_quarters_lines", load_nfl_layout),
    "nhl": ("nhl_periods_lines", load_nhl_layout),
    "soccer": ("epl_ht_ft_odds", load_epl_layout),
    "ncaab": ("ncaab_pbp_2018_19", load_ncaab_layout),
    "mlb": ("mlb", load_mlb_layout),
}
"""Sport -> (folder of ../shared/data/winprob in whose layout its data comes, loader)."""


def default_folder(sport: str) -> str:
    """Folder name under ``../shared/data/winprob`` whose layout `sport` uses."""
    return LOADERS[sport][0]


def load_dataset(sport: str, data_dir: str | Path) -> Dataset:
    """Load every state of a data folder for `sport`.

    Raises
    ------
    ValueError
        If the sport has no loader.
    OSError
        If the folder lacks the layout's files.
    """
    if sport not in LOADERS:
        raise ValueError(f"no data layout for sport {sport!r}")
    return LOADERS[sport][1](Path(data_dir), sport)


__all__ = ["LOADERS", "OVERTIME", "PREGAME", "Dataset", "LabeledState", "default_folder", "load_dataset"]
