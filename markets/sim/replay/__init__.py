"""Recorded real games (shared/data/winprob) as :class:`ReplayGame` timelines for the simulators.

Folders read (each documented by its README.md / PROVENANCE.md; columns differ per folder):

========================  =======  ===========================================================
folder                    league   timeline
========================  =======  ===========================================================
``ncaab_pbp_2018_19``     ncaab    every play (real clock); reference = the recorded ``win_prob``
``nba_quarters_lines``    nba      pre-game, tip-off, end of Q1, halftime, end of Q3, final
``nhl_periods_lines``     nhl      pre-game, face-off, end of P1, end of P2, final
``nfl_quarters_lines``    nfl      pre-game, kick-off, end of Q1, halftime, end of Q3, final
``epl_ht_ft_odds``        epl      pre-game, kick-off, half-time, full time
``mlb``                   mlb      pre-game, first pitch, the end of every half inning, final
========================  =======  ===========================================================

Time is game time in seconds from the start (``ReplayPoint.t_s``): basketball uses the recorded clock;
checkpoint sports put each checkpoint at the clock time its period ends (an overtime game ends one
overtime later: NBA/NHL 5 min, NFL 10 min). Baseball has no clock: each half inning is given
:data:`MLB_HALF_INNING_S` seconds. The pre-game point and the start point share ``t_s = 0``, so a game
shows ``pre`` until its start and ``in`` from then on.

Reference P(home wins) where the data has no recorded model is Stern's Brownian-motion approximation
(H. Stern, "A Brownian motion model for the progress of sports scores", JASA 89:1128-1134, 1994):
``P = Phi((margin + mu * tau - c) / (sigma * sqrt(tau)))`` with ``tau`` the share of regulation left,
``sigma`` the league's final-margin standard deviation (``LeagueClock.sigma``), ``c = 0.5`` in soccer (a draw
is not a home win) and ``mu`` the
expected home margin implied by the pre-game prior: ``mu = sigma * Phi^-1(p0) + c``, with ``p0`` the
de-vigged closing moneyline (``home_prob_devig``; EPL: Pinnacle closing, else Bet365 de-vig), else
``Phi(spread / sigma)`` from the closing spread, else the league's home-win rate (``LeagueClock.home_rate``,
measured on each folder's own games). Baseball uses the
recorded Retrosheet win-expectancy table (``mlb_win_expectancy_table.csv``, cells with at least 30
situations) at each half-inning boundary and the formula otherwise. The final point is exactly 1 or 0
(0.5 for a tie). ``home_spread`` is the expected home margin (positive = home favoured), as in
``GameStateUpdated``.

Selection and staggering are deterministic per game, so simulators loaded with different ``sports`` or
``limit`` still agree on a shared game: ``limit`` keeps the first readable games of a league
ordered by ``sha256(f"{seed}:{game_id}")``, and ``start_offset_s`` is drawn from ``random.Random(f"{seed}:{game_id}")``
uniformly in ``[-1.33, 1.33] x`` the game's length, so at replay time 0 about one game in eight is over,
three in eight are in play and half have not started.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from markets.sim.replay.common import (
    CLOCKS,
    FOLDERS,
    MLB_HALF_INNING_S,
    LeagueClock,
    _Selection,
    _stagger,
    _wanted_leagues,
    start_offset_s,
)
from markets.sim.replay.epl import _load_epl
from markets.sim.replay.lines import _NBA, _NFL, _NHL, _load_lines
from markets.sim.replay.mlb import _load_mlb
from markets.sim.replay.ncaab import _load_ncaab
from markets.sim.replay.reference import mu_from_prior, reference_probability
from markets.sim.replay.rows import abbreviation, american_from_decimal, display_name
from markets.sim.replay_types import ReplayGame

__all__ = [
    "CLOCKS",
    "FOLDERS",
    "MLB_HALF_INNING_S",
    "LeagueClock",
    "abbreviation",
    "american_from_decimal",
    "display_name",
    "load_replay",
    "mu_from_prior",
    "reference_probability",
    "start_offset_s",
]


def load_replay(
    data_dir: Path, *, sports: Sequence[str] | None = None, limit: int | None = None, seed: int = 0
) -> list[ReplayGame]:
    """Load recorded games from ``data_dir`` (a copy of shared/data/winprob) as replay timelines.

    Parameters
    ----------
    data_dir
        Folder holding the sub-folders of :data:`FOLDERS`; missing sub-folders are skipped.
    sports
        League keys (``ncaab nba nhl nfl epl mlb``) or sports (``soccer`` selects ``epl``); all if ``None``.
    limit
        At most this many games per league (deterministic choice, see the module docstring).
    seed
        Seeds the choice of games and their start offsets.

    Returns
    -------
    list[ReplayGame]
        Sorted by ``start_offset_s`` then ``game_id``. Reading is pure: same arguments, same games.

    Raises
    ------
    ValueError
        An unknown entry in ``sports`` or a negative ``limit``.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    selection = _Selection(seed, limit)
    games: list[ReplayGame] = []
    for league in _wanted_leagues(sports):
        folder = data_dir / FOLDERS[league]
        if folder.is_dir():
            games.extend(_stagger(g, seed) for g in _LOADERS[league](folder, selection))
    return sorted(games, key=lambda g: (g.start_offset_s, g.game_id))


_LOADERS: dict[str, Callable[[Path, _Selection], list[ReplayGame]]] = {
    "ncaab": _load_ncaab,
    "nba": lambda folder, selection: _load_lines(_NBA, folder, selection),
    "nhl": lambda folder, selection: _load_lines(_NHL, folder, selection),
    "nfl": lambda folder, selection: _load_lines(_NFL, folder, selection),
    "epl": _load_epl,
    "mlb": _load_mlb,
}
