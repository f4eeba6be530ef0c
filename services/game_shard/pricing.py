"""Pricing a game state with the calibrated per-sport win-probability models (:mod:`shared.winprob`).

:func:`situation` translates our ``GameStateUpdated`` into the models' ``GameSituation``: the clock
(ESPN reports soccer's running clock as elapsed seconds; the models want seconds left in the half),
baseball's half inning, and the pre-game prior — the spread or moneylines from ESPN when present,
otherwise the market's own pre-game price for the home team when the shard saw one.
"""

from __future__ import annotations

from pathlib import Path

from shared.messages import GameStateUpdated, WinProbabilityUpdated
from shared.winprob import GameSituation, WinProbability, load_model

SOCCER_HALF_S = 45 * 60


def _seconds_left_in_period(state: GameStateUpdated) -> float | None:
    clock = state.clock_seconds
    if clock is None:
        return None
    if state.sport == "soccer":
        half_end = SOCCER_HALF_S * max(1, min(state.period, 2))
        return max(0.0, half_end - clock)
    return clock


def situation(state: GameStateUpdated, pregame_home_prob: float | None = None) -> GameSituation:
    """The models' view of ``state``; ``pregame_home_prob`` is used only when ESPN gave no odds."""
    has_odds = state.home_spread is not None or (state.home_moneyline is not None and state.away_moneyline is not None)
    top = None if state.inning_half is None else state.inning_half == "top"
    return GameSituation(
        sport=state.sport,
        home_score=state.home_score,
        away_score=state.away_score,
        period=max(1, state.period),
        seconds_left_in_period=_seconds_left_in_period(state),
        is_final=state.status == "post" and state.completed,
        home_spread=state.home_spread,
        home_moneyline=state.home_moneyline,
        away_moneyline=state.away_moneyline,
        draw_moneyline=state.draw_moneyline,
        prior_home_prob=None if has_odds else pregame_home_prob,
        home_timeouts=state.home_timeouts,
        away_timeouts=state.away_timeouts,
        possession=state.possession,
        down=state.down,
        distance=state.distance,
        yards_to_goal=state.yards_to_goal,
        outs=state.outs,
        bases=state.bases,
        top_of_inning=top,
        home_red_cards=state.home_red_cards or 0,
        away_red_cards=state.away_red_cards or 0,
    )


def price(
    state: GameStateUpdated, pregame_home_prob: float | None = None, models_dir: Path | None = None
) -> WinProbability:
    """The sport's model answer for ``state`` (the model promoted into ``models_dir`` when there is one)."""
    return load_model(state.sport, models_dir=models_dir).probability(situation(state, pregame_home_prob))


def probability_message(
    state: GameStateUpdated, pregame_home_prob: float | None = None, models_dir: Path | None = None
) -> WinProbabilityUpdated:
    """The ``WinProbabilityUpdated`` for ``state`` (caused by it, stamped with the game's time)."""
    wp = price(state, pregame_home_prob, models_dir)
    return state.caused(
        WinProbabilityUpdated,
        game_id=state.game_id,
        home=wp.home,
        away=wp.away,
        draw=wp.draw,
        model=wp.model,
        model_version=wp.model_version,
        ts_event=state.ts_event,
    )
