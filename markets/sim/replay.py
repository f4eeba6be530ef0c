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
``sigma`` the league's final-margin standard deviation (same constants as
services/game_shard/probability.py), ``c = 0.5`` in soccer (a draw is not a home win) and ``mu`` the
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

import csv
import dataclasses
import gzip
import hashlib
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from markets.sim.replay_types import ReplayGame, ReplayPoint

MLB_HALF_INNING_S = 600.0
_PHI = NormalDist()
_TABLE_MIN_SITUATIONS = 30
Row = dict[str, str]


@dataclass(frozen=True)
class LeagueClock:
    """Regulation of a league and its reference constants (sigma: final-margin sd; home_rate: P(home))."""

    sport: str
    periods: int
    period_s: float
    overtime_s: float
    sigma: float
    home_rate: float
    draws: bool = False

    @property
    def regulation_s(self) -> float:
        """Regulation length in seconds of game time."""
        return self.periods * self.period_s


CLOCKS: dict[str, LeagueClock] = {
    "ncaab": LeagueClock("ncaab", 2, 1200.0, 300.0, 11.0, 0.720),
    "nba": LeagueClock("nba", 4, 720.0, 300.0, 13.0, 0.586),
    "nhl": LeagueClock("nhl", 3, 1200.0, 300.0, 2.3, 0.544),
    "nfl": LeagueClock("nfl", 4, 900.0, 600.0, 13.5, 0.569),
    "epl": LeagueClock("soccer", 2, 2700.0, 0.0, 1.7, 0.459, draws=True),
    "mlb": LeagueClock("mlb", 9, 2 * MLB_HALF_INNING_S, 2 * MLB_HALF_INNING_S, 4.4, 0.523),
}
FOLDERS: dict[str, str] = {
    "ncaab": "ncaab_pbp_2018_19",
    "nba": "nba_quarters_lines",
    "nhl": "nhl_periods_lines",
    "nfl": "nfl_quarters_lines",
    "epl": "epl_ht_ft_odds",
    "mlb": "mlb",
}


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


@dataclass(frozen=True)
class _Selection:
    """Which games of a league to build: the first ``limit`` readable ones in ``sha256(seed:id)`` order."""

    seed: int
    limit: int | None

    def order(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda gid: hashlib.sha256(f"{self.seed}:{gid}".encode()).hexdigest())

    def take(self, ids: Iterable[str], build: Callable[[str], ReplayGame | None]) -> list[ReplayGame]:
        games: list[ReplayGame] = []
        for game_id in self.order(ids):
            if self.limit is not None and len(games) >= self.limit:
                break
            game = build(game_id)
            if game is not None:
                games.append(game)
        return games


def _wanted_leagues(sports: Sequence[str] | None) -> list[str]:
    if sports is None:
        return list(FOLDERS)
    wanted: list[str] = []
    for name in sports:
        keys = [k for k, c in CLOCKS.items() if name in (k, c.sport)]
        if not keys:
            raise ValueError(f"unknown sport {name!r}; known: {', '.join(FOLDERS)} (or soccer)")
        wanted.extend(k for k in keys if k not in wanted)
    return wanted


def start_offset_s(game_id: str, length_s: float, seed: int) -> float:
    """Replay time of a game's start: uniform in ``[-1.33, 1.33] x length_s``, a pure function of its inputs."""
    length = max(length_s, 1.0)
    return round(random.Random(f"{seed}:{game_id}").uniform(-1.33 * length, 1.33 * length), 3)


def _stagger(game: ReplayGame, seed: int) -> ReplayGame:
    return dataclasses.replace(game, start_offset_s=start_offset_s(game.game_id, game.points[-1].t_s, seed))


# -- reference probability ------------------------------------------------------------------------


def mu_from_prior(p_home: float, clock: LeagueClock) -> float:
    """Expected final home margin implied by a pre-game P(home wins) under the reference formula."""
    p = min(0.99, max(0.01, p_home))
    return clock.sigma * _PHI.inv_cdf(p) + (0.5 if clock.draws else 0.0)


def reference_probability(margin: int, tau: float, mu: float, clock: LeagueClock) -> float:
    """Stern's P(home wins) with ``tau`` of regulation left (see the module docstring), in [0.001, 0.999]."""
    if tau <= 0:
        return 1.0 if margin > 0 else 0.0 if margin < 0 or clock.draws else 0.5
    z = (margin + mu * tau - (0.5 if clock.draws else 0.0)) / (clock.sigma * math.sqrt(tau))
    return round(min(0.999, max(0.001, _PHI.cdf(z))), 4)


def _final_probability(home: int, away: int) -> float:
    return 1.0 if home > away else 0.0 if home < away else 0.5


def _won(home: int, away: int) -> bool | None:
    return None if home == away else home > away


# -- shared helpers -------------------------------------------------------------------------------


def _read_csv(path: Path) -> Iterator[Row]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _num(row: Row, key: str) -> float | None:
    raw = (row.get(key) or "").strip()
    if raw.lower() in ("", "na", "nan", "none"):
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(row: Row, key: str) -> int | None:
    value = _num(row, key)
    return int(value) if value is not None and value == int(value) and value >= 0 else None


def _flag(row: Row, key: str) -> bool:
    return (row.get(key) or "").strip().lower() in ("true", "1", "yes")


def display_name(raw: str) -> str:
    """Words of a name split: ``"SanAntonio"`` -> ``"San Antonio"``, ``"LAClippers"`` -> ``"LA Clippers"``."""
    return " ".join(_words(raw))


def abbreviation(raw: str) -> str:
    """A short code from a team name: ``Boston`` -> ``BOS``, ``San Antonio`` -> ``SA``, ``LA Lakers`` -> ``LAL``."""
    words = _words(raw)
    if not words:
        return "TBD"
    if len(words) == 1:
        return words[0][:3].upper()
    if words[0].isupper() and len(words[0]) <= 3:
        return (words[0] + "".join(w[0] for w in words[1:])).upper()[:4]
    return "".join(w[0] for w in words).upper()[:4]


def _words(raw: str) -> list[str]:
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\.?|[A-Z]+\.?|\d+", raw.replace(".", ". "))


def _slug(raw: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", raw.lower())


def _abbrs(home: str, away: str) -> tuple[str, str]:
    h, a = abbreviation(home), abbreviation(away)
    return (h, a) if h != a else (h + "H", a + "A")


def _point(
    t: float, status: str, period: int, clock: float | None, home: int, away: int, ref: float, **extra: object
) -> ReplayPoint:
    return ReplayPoint(t, status, period, clock, home, away, ref, dict(extra))


def _devig(*decimal_odds: float | None) -> list[float] | None:
    if any(d is None or d <= 1.0 for d in decimal_odds):
        return None
    inverse = [1.0 / d for d in decimal_odds if d is not None]
    total = sum(inverse)
    return [x / total for x in inverse]


def american_from_decimal(odds: float | None) -> int | None:
    """Decimal odds (e.g. 2.5) as American odds (+150); ``None`` when absent or invalid."""
    if odds is None or odds <= 1.0:
        return None
    return round((odds - 1) * 100) if odds >= 2.0 else -round(100 / (odds - 1))


@dataclass(frozen=True)
class _Prior:
    mu: float
    p_home: float


def _prior(clock: LeagueClock, p_home: float | None, home_spread: float | None) -> _Prior:
    if p_home is not None and 0 < p_home < 1:
        return _Prior(mu_from_prior(p_home, clock), p_home)
    if home_spread is not None:
        return _Prior(home_spread, _PHI.cdf(home_spread / clock.sigma))
    return _Prior(mu_from_prior(clock.home_rate, clock), clock.home_rate)


# -- checkpoint sports (NBA, NHL, NFL) ------------------------------------------------------------


@dataclass(frozen=True)
class _LinesFormat:
    league: str
    file: str
    date: str
    home: str
    away: str
    home_periods: tuple[str, ...]
    away_periods: tuple[str, ...]
    home_final: str
    away_final: str
    home_ml: str
    away_ml: str
    spread: Callable[[Row], float | None]


def _checkpoints(
    clock: LeagueClock, periods: list[tuple[int, int]], final: tuple[int, int], prior: _Prior
) -> tuple[ReplayPoint, ...] | None:
    """Pre-game, start, the end of every regulation period but the last, then the final."""
    points = [_point(0.0, "pre", 0, None, 0, 0, round(prior.p_home, 4), phase="pre")]
    points.append(_point(0.0, "in", 1, clock.period_s, 0, 0, round(prior.p_home, 4), phase="start"))
    home = away = 0
    for number, (h, a) in enumerate(periods, start=1):
        home, away = home + h, away + a
        if number == clock.periods:
            break
        tau = (clock.periods - number) / clock.periods
        ref = reference_probability(home - away, tau, prior.mu, clock)
        phase = "halftime" if clock.periods == 4 and number == 2 else "end_period"
        points.append(_point(number * clock.period_s, "in", number, 0.0, home, away, ref, phase=phase))
    if final[0] < home or final[1] < away:
        return None  # the line score exceeds the final: a bad row
    end = clock.regulation_s
    period = clock.periods
    if (home, away) != final:  # overtime (or a shoot-out goal)
        ref = reference_probability(home - away, clock.overtime_s / clock.regulation_s, prior.mu, clock)
        points.append(_point(end, "in", period, 0.0, home, away, ref, phase="end_period"))
        end, period = end + clock.overtime_s, period + 1
    points.append(_point(end, "post", period, 0.0, *final, _final_probability(*final), phase="final"))
    return tuple(points)


def _load_lines(fmt: _LinesFormat, folder: Path, selection: _Selection) -> list[ReplayGame]:
    clock = CLOCKS[fmt.league]
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / fmt.file):
        home, away = (row.get(fmt.home) or "").strip(), (row.get(fmt.away) or "").strip()
        if not (home[:1].isalpha() and away[:1].isalpha()):
            continue
        game_id = f"{fmt.league}-{(row.get(fmt.date) or '').replace('-', '')}-{_slug(home)}-{_slug(away)}"
        rows.setdefault(game_id, row)
    return selection.take(rows, lambda game_id: _lines_game(fmt, clock, game_id, rows[game_id]))


def _lines_game(fmt: _LinesFormat, clock: LeagueClock, game_id: str, row: Row) -> ReplayGame | None:
    home_p = [_int(row, k) for k in fmt.home_periods]
    away_p = [_int(row, k) for k in fmt.away_periods]
    final = (_int(row, fmt.home_final), _int(row, fmt.away_final))
    if final[0] is None or final[1] is None:
        return None
    if any(v is None for v in home_p + away_p):
        return None
    spread = fmt.spread(row)
    home_spread = None if spread is None else 0.0 - spread
    prior = _prior(clock, _num(row, "home_prob_devig"), home_spread)
    periods = [(h, a) for h, a in zip(home_p, away_p, strict=True) if h is not None and a is not None]
    points = _checkpoints(clock, periods, (final[0], final[1]), prior)
    if points is None:
        return None
    home, away = display_name(row[fmt.home]), display_name(row[fmt.away])
    home_abbr, away_abbr = _abbrs(home, away)
    ml_home, ml_away = _num(row, fmt.home_ml), _num(row, fmt.away_ml)
    return ReplayGame(
        game_id=game_id,
        sport=clock.sport,
        league=fmt.league,
        home_team=home,
        away_team=away,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=points,
        home_won=_won(final[0], final[1]),
        home_spread=home_spread,
        home_moneyline=int(ml_home) if ml_home is not None and abs(ml_home) >= 100 else None,
        away_moneyline=int(ml_away) if ml_away is not None and abs(ml_away) >= 100 else None,
        source=f"{FOLDERS[fmt.league]}/{fmt.file} {row.get(fmt.date, '')}",
    )


def _checked_spread(row: Row, *keys: str) -> float | None:
    """The first plausible home line among ``keys`` (|line| <= 30 and on the moneyline favourite's side)."""
    prob = _num(row, "home_prob_devig")
    for key in keys:
        line = _num(row, key)
        if line is None or abs(line) > 30:
            continue
        if prob is not None and line != 0 and (line < 0) != (prob > 0.5):
            continue
        return line
    return None


_NBA = _LinesFormat(
    "nba", "nba_games_quarters_lines.csv", "date", "home", "away",
    ("home_1q", "home_2q", "home_3q", "home_4q"), ("away_1q", "away_2q", "away_3q", "away_4q"),
    "home_final", "away_final", "home_ml", "away_ml",
    lambda r: None if _flag(r, "spread_suspect") else _checked_spread(r, "home_spread_close", "home_spread_open"),
)  # fmt: skip
_NHL = _LinesFormat(
    "nhl", "nhl_games_periods_lines.csv", "date", "home", "away",
    ("home_p1", "home_p2", "home_p3"), ("away_p1", "away_p2", "away_p3"),
    "home_final", "away_final", "home_ml_close", "away_ml_close",
    lambda r: None,
)  # fmt: skip
_NFL = _LinesFormat(
    "nfl", "nfl_games_quarters_lines.csv", "date", "home_team", "away_team",
    ("home_q1", "home_q2", "home_q3", "home_q4"), ("away_q1", "away_q2", "away_q3", "away_q4"),
    "home_final", "away_final", "home_close_ml", "away_close_ml",
    # Known bad rows carry a total in the closing spread (PROVENANCE.md): prefer the opening line then.
    lambda r: _checked_spread(r, "home_open_spread" if _flag(r, "spread_suspect") else "home_close_spread"),
)  # fmt: skip


# -- NCAA basketball play-by-play -----------------------------------------------------------------


def _load_ncaab(folder: Path, selection: _Selection) -> list[ReplayGame]:
    meta = {row["game_id"]: row for row in _read_csv(folder / "games.csv") if _num(row, "home_win") is not None}
    # The play-by-play is read for the chosen games only (1.2 M rows); a chosen game without plays is dropped.
    chosen = selection.order(f"ncaab-{gid}" for gid in meta)[: selection.limit]
    raw_ids = {gid.removeprefix("ncaab-") for gid in chosen}
    plays: dict[str, list[Row]] = {gid: [] for gid in raw_ids}
    with gzip.open(folder / "states.csv.gz", "rt", newline="", encoding="utf-8") as fh:
        header = next(csv.reader([fh.readline()]))
        for line in fh:  # ~1.2 M rows: look at the game id before parsing the line
            bucket = plays.get(line[: line.find(",")])
            if bucket is not None:
                bucket.append(dict(zip(header, next(csv.reader([line])), strict=False)))
    games = [_ncaab_game(meta[gid], plays[gid]) for gid in sorted(raw_ids)]
    return [g for g in games if g is not None]


def _ncaab_elapsed(half: int, secs_remaining: float) -> tuple[float, float]:
    """``(game seconds elapsed, seconds left in the period)`` from ncaahoopR's half and game clock."""
    if half <= 2:
        left = secs_remaining - (1200 if half == 1 else 0)
        return 2400 - secs_remaining, max(0.0, left)
    left = min(secs_remaining, 300)
    return 2400 + (half - 3) * 300 + (300 - left), left


def _ncaab_game(meta: Row, rows: list[Row]) -> ReplayGame | None:
    clock = CLOCKS["ncaab"]
    final_home, final_away = _int(meta, "final_home"), _int(meta, "final_away")
    if not rows or final_home is None or final_away is None:
        return None
    final = (final_home, final_away)
    favored_by = _num(meta, "home_favored_by")
    prior = _prior(clock, None, favored_by)
    first = _num(rows[0], "win_prob")
    ref = first if first is not None else round(prior.p_home, 4)
    points = [_point(0.0, "pre", 0, None, 0, 0, ref, phase="pre")]
    t_prev, previous = 0.0, None
    for seq, row in enumerate(rows):
        key = tuple(row.values())
        half, secs = _int(row, "half"), _num(row, "secs_remaining")
        home, away = _int(row, "home_score"), _int(row, "away_score")
        if key == previous or half is None or secs is None or home is None or away is None:
            continue
        previous = key
        t, left = _ncaab_elapsed(half, secs)
        t_prev = max(t_prev, t)
        recorded = _num(row, "win_prob")
        if recorded is not None:
            ref = recorded
        extra: dict[str, object] = {"phase": "play", "play": seq}
        for side in ("home", "away"):
            timeouts = _int(row, f"{side}_time_out_remaining")
            if timeouts is not None:
                extra[f"{side}_timeouts"] = timeouts
        points.append(ReplayPoint(t_prev, "in", half, left, home, away, ref, extra))
    last_period = max(points[-1].period, 2)
    points.append(_point(t_prev, "post", last_period, 0.0, *final, _final_probability(*final), phase="final"))
    home_name, away_name = meta["home"], meta["away"]
    home_abbr, away_abbr = _abbrs(home_name, away_name)
    return ReplayGame(
        game_id=f"ncaab-{meta['game_id']}",
        sport="ncaab",
        league="ncaab",
        home_team=home_name,
        away_team=away_name,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=tuple(points),
        home_won=_won(*final),
        home_spread=favored_by,
        source=f"{FOLDERS['ncaab']} {meta.get('date', '')}",
    )


# -- English Premier League -----------------------------------------------------------------------


def _load_epl(folder: Path, selection: _Selection) -> list[ReplayGame]:
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / "epl_matches_ht_ft_odds.csv"):
        home, away = (row.get("HomeTeam") or "").strip(), (row.get("AwayTeam") or "").strip()
        if home and away:
            rows.setdefault(f"epl-{(row.get('Date') or '').replace('-', '')}-{_slug(home)}-{_slug(away)}", row)
    return selection.take(rows, lambda game_id: _epl_game(game_id, rows[game_id]))


def _epl_odds(row: Row) -> tuple[float | None, float | None, float | None]:
    for prefix in ("PSC", "PS", "B365", "Avg"):
        home, draw, away = (_num(row, f"{prefix}{side}") for side in "HDA")
        if _devig(home, draw, away) is not None:
            return home, draw, away
    return None, None, None


def _epl_game(game_id: str, row: Row) -> ReplayGame | None:
    clock = CLOCKS["epl"]
    ht_home, ht_away, ft_home, ft_away = (_int(row, k) for k in ("HTHG", "HTAG", "FTHG", "FTAG"))
    if ht_home is None or ht_away is None or ft_home is None or ft_away is None:
        return None
    ht, ft = (ht_home, ht_away), (ft_home, ft_away)
    if ft_home < ht_home or ft_away < ht_away:
        return None
    odds = _epl_odds(row)
    devigged = _devig(*odds)
    handicap = _num(row, "AHCh") if _num(row, "AHCh") is not None else _num(row, "AHh")
    home_spread = None if handicap is None else 0.0 - handicap
    prior = _prior(clock, devigged[0] if devigged else None, home_spread)
    p0 = round(prior.p_home, 4)
    half = reference_probability(ht[0] - ht[1], 0.5, prior.mu, clock)
    points = (
        _point(0.0, "pre", 0, None, 0, 0, p0, phase="pre", draw_moneyline=american_from_decimal(odds[1])),
        _point(0.0, "in", 1, 0.0, 0, 0, p0, phase="start"),
        _point(2700.0, "in", 1, 2700.0, ht[0], ht[1], half, phase="halftime"),
        _point(5400.0, "post", 2, 5400.0, *ft, 1.0 if ft_home > ft_away else 0.0, phase="final"),
    )  # fmt: skip
    home, away = row["HomeTeam"].strip(), row["AwayTeam"].strip()
    home_abbr, away_abbr = _abbrs(home, away)
    return ReplayGame(
        game_id=game_id,
        sport="soccer",
        league="epl",
        home_team=home,
        away_team=away,
        home_abbr=home_abbr,
        away_abbr=away_abbr,
        start_offset_s=0.0,
        points=points,
        home_won=ft[0] > ft[1],
        home_spread=home_spread,
        home_moneyline=american_from_decimal(odds[0]),
        away_moneyline=american_from_decimal(odds[2]),
        source=f"{FOLDERS['epl']} {row.get('Date', '')}",
    )


# -- MLB ------------------------------------------------------------------------------------------

_Table = dict[tuple[str, int, int], float]


def _load_mlb_table(folder: Path) -> _Table:
    """(batting side, inning, run diff of the batting side) -> P(batting side wins), 0 outs, bases empty."""
    path = folder / "mlb_win_expectancy_table.csv"
    table: _Table = {}
    if not path.exists():
        return table
    for row in _read_csv(path):
        n, pct = _num(row, "n_situations"), _num(row, "win_pct_batting")
        inning, diff = _num(row, "inning"), _num(row, "run_diff_batting")
        if row.get("outs") != "0" or row.get("base_code") != "1" or None in (n, pct, inning, diff):
            continue
        if n is not None and pct is not None and n >= _TABLE_MIN_SITUATIONS:
            table[(row["batting_team"], int(inning or 0), int(diff or 0))] = pct
    return table


def _load_mlb(folder: Path, selection: _Selection) -> list[ReplayGame]:
    rows: dict[str, Row] = {}
    for row in _read_csv(folder / "mlb_2019_game_linescores.csv"):
        gid = f"mlb-{row.get('date', '')}-{_slug(row.get('home', ''))}-{_slug(row.get('visitor', ''))}"
        rows.setdefault(f"{gid}-{row.get('game_num', '0')}", row)
    table = _load_mlb_table(folder) if rows and selection.limit != 0 else {}
    return selection.take(rows, lambda game_id: _mlb_game(game_id, rows[game_id], table))


def _innings(line: str) -> list[int | None] | None:
    runs: list[int | None] = []
    for cell in line.split():
        if cell.lower() == "x":
            runs.append(None)
        elif cell.isdigit():
            runs.append(int(cell))
        else:
            return None
    return runs


def _mlb_reference(table: _Table, batting: str, inning: int, home: int, away: int) -> float:
    """P(home wins) as the next half inning starts (0 outs, bases empty)."""
    diff = home - away if batting == "home" else away - home
    pct = table.get((batting, min(inning, 25), diff))
    if pct is not None:
        return pct if batting == "home" else round(1.0 - pct, 4)
    clock = CLOCKS["mlb"]
    halves_left = max(1, 18 - (2 * (inning - 1) + (1 if batting == "home" else 0)))
    return reference_probability(home - away, halves_left / 18, mu_from_prior(clock.home_rate, clock), clock)


def _mlb_game(game_id: str, row: Row, table: _Table) -> ReplayGame | None:
    away_runs, home_runs = _innings(row.get("visitor_line", "")), _innings(row.get("home_line", ""))
    final = (_int(row, "home_runs"), _int(row, "visitor_runs"))
    if not away_runs or not home_runs or len(away_runs) != len(home_runs) or final[0] is None or final[1] is None:
        return None
    start = _mlb_reference(table, "visitor", 1, 0, 0)
    points = [
        _point(0.0, "pre", 0, None, 0, 0, start, phase="pre"),
        _point(0.0, "in", 1, None, 0, 0, start, phase="start", inning_half="top"),
    ]
    home = away = halves = 0
    innings = len(away_runs)
    for inning, (top, bottom) in enumerate(zip(away_runs, home_runs, strict=True), start=1):
        if top is None:
            return None
        away, halves = away + top, halves + 1
        if bottom is None and inning == innings:
            break  # "x": the home side led and did not bat
        ref = _mlb_reference(table, "home", inning, home, away)
        points.append(_point(halves * MLB_HALF_INNING_S, "in", inning, None, home, away, ref, phase="mid_inning"))
        if bottom is None:
            return None
        home, halves = home + bottom, halves + 1
        if inning == innings:
            break
        ref = _mlb_reference(table, "visitor", inning + 1, home, away)
        points.append(_point(halves * MLB_HALF_INNING_S, "in", inning, None, home, away, ref, phase="end_inning"))
    if (home, away) != final:
        return None  # the line score does not add up to the final
    t_end = halves * MLB_HALF_INNING_S
    points.append(_point(t_end, "post", innings, None, *final, _final_probability(*final), phase="final"))
    return ReplayGame(
        game_id=game_id,
        sport="mlb",
        league="mlb",
        home_team=row["home"],
        away_team=row["visitor"],
        home_abbr=row["home"],
        away_abbr=row["visitor"],
        start_offset_s=0.0,
        points=tuple(points),
        home_won=_won(*final),
        source=f"{FOLDERS['mlb']}/mlb_2019_game_linescores.csv {row.get('date', '')}",
    )


_LOADERS: dict[str, Callable[[Path, _Selection], list[ReplayGame]]] = {
    "ncaab": _load_ncaab,
    "nba": lambda folder, selection: _load_lines(_NBA, folder, selection),
    "nhl": lambda folder, selection: _load_lines(_NHL, folder, selection),
    "nfl": lambda folder, selection: _load_lines(_NFL, folder, selection),
    "epl": _load_epl,
    "mlb": _load_mlb,
}
