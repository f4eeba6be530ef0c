"""Wire models of ESPN's public site API: the scoreboard and the game summary, as ESPN sends them.

The models are tolerant on purpose: every field is optional, unknown fields are kept (``extra="allow"``,
reachable through ``model_extra``), and loosely typed fields (scores that are strings on the scoreboard
but numbers in ``plays``, moneylines that are numbers in the legacy odds layout and strings such as
``"+150"`` or ``"EVEN"`` in the newer one) keep their wire form. Interpreting them is the job of
:mod:`markets.espn.parsing`.

References
----------
shared/docs/venues.md §3.2 (scoreboard) and §3.3 (summary); recorded samples in
tests/contract/espn/resources/ (see PROVENANCE.md there).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

Scalar = str | int | float


class EspnModel(BaseModel):
    """Base of the wire models: camelCase aliases, unknown fields kept, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", frozen=True, coerce_numbers_to_str=True
    )


# -- status -----------------------------------------------------------------------------------------


class EspnStatusType(EspnModel):
    """``status.type``: ``state`` is ``pre | in | post``; ``name`` is e.g. ``STATUS_POSTPONED``."""

    id: str | None = None
    name: str | None = None
    state: str | None = None
    completed: bool | None = None
    description: str | None = None
    detail: str | None = None
    short_detail: str | None = None


class EspnStatus(EspnModel):
    """``status``: ``clock`` is seconds left in the period (soccer: seconds elapsed); header may omit it."""

    clock: float | None = None
    display_clock: str | None = None
    period: int | None = None
    type: EspnStatusType = EspnStatusType()


# -- teams and competitors --------------------------------------------------------------------------


class EspnTeam(EspnModel):
    """``competitors[].team``."""

    id: str | None = None
    abbreviation: str | None = None
    display_name: str | None = None
    short_display_name: str | None = None
    name: str | None = None
    location: str | None = None


class EspnLinescore(EspnModel):
    """One period of a competitor's line score (``value`` is absent in summary headers)."""

    value: float | None = None
    display_value: str | None = None
    period: int | None = None


class EspnCompetitor(EspnModel):
    """One side of a competition; pick sides by ``home_away``, never by list position."""

    id: str | None = None
    home_away: str | None = None
    order: int | None = None
    winner: bool | None = None
    score: Scalar | dict[str, Any] | None = None
    team: EspnTeam = EspnTeam()
    linescores: list[EspnLinescore] = []
    possession: bool | None = None


# -- odds -------------------------------------------------------------------------------------------


class EspnProvider(EspnModel):
    """The bookmaker behind an odds entry (lower ``priority`` is ESPN's preferred one)."""

    id: str | None = None
    name: str | None = None
    priority: int | None = None


class EspnTeamOdds(EspnModel):
    """``homeTeamOdds`` / ``awayTeamOdds`` (legacy layout carries ``moneyLine`` here)."""

    favorite: bool | None = None
    underdog: bool | None = None
    money_line: Scalar | None = None
    spread_odds: Scalar | None = None
    team_id: str | None = None


class EspnDrawOdds(EspnModel):
    """``drawOdds`` (soccer)."""

    money_line: Scalar | None = None


class EspnQuote(EspnModel):
    """One quote of the newer layout: ``{"odds": "-155"}`` or ``{"line": "-1.5", "odds": "+125"}``."""

    odds: Scalar | None = None
    line: Scalar | None = None


class EspnQuoteHistory(EspnModel):
    """Opening and closing quote of one side in the newer layout."""

    open: EspnQuote | None = None
    close: EspnQuote | None = None
    current: EspnQuote | None = None


class EspnSidedQuotes(EspnModel):
    """``moneyline`` / ``pointSpread`` of the newer layout, keyed by side."""

    home: EspnQuoteHistory | None = None
    away: EspnQuoteHistory | None = None
    draw: EspnQuoteHistory | None = None


class EspnOdds(EspnModel):
    """An entry of ``competitions[0].odds`` or of the summary's ``pickcenter``/``odds``.

    ``spread`` is the home team's line (negative when the home team is favoured: ``details`` "MEX -1.5"
    with MEX at home has ``spread`` -1.5).
    """

    provider: EspnProvider | None = None
    details: str | None = None
    over_under: float | None = None
    spread: float | None = None
    home_team_odds: EspnTeamOdds | None = None
    away_team_odds: EspnTeamOdds | None = None
    draw_odds: EspnDrawOdds | None = None
    moneyline: EspnSidedQuotes | None = None
    point_spread: EspnSidedQuotes | None = None


# -- situation --------------------------------------------------------------------------------------


class EspnPlayEnd(EspnModel):
    """``lastPlay.end`` (football)."""

    yard_line: int | None = None
    yards_to_endzone: int | None = None


class EspnLastPlay(EspnModel):
    """``situation.lastPlay``."""

    id: str | None = None
    text: str | None = None
    end: EspnPlayEnd | None = None


class EspnSituation(EspnModel):
    """``competitions[0].situation`` while a game is in play (football and baseball fields).

    ``possession`` is the team id of the side with the ball; ``yardLine`` is an absolute field position
    whose orientation is not documented, so parsing uses ``possessionText`` ("LAC 33") instead.
    """

    down: int | None = None
    distance: int | None = None
    yard_line: int | None = None
    possession: str | None = None
    possession_text: str | None = None
    down_distance_text: str | None = None
    short_down_distance_text: str | None = None
    is_red_zone: bool | None = None
    home_timeouts: int | None = None
    away_timeouts: int | None = None
    last_play: EspnLastPlay | None = None
    balls: int | None = None
    strikes: int | None = None
    outs: int | None = None
    on_first: bool | None = None
    on_second: bool | None = None
    on_third: bool | None = None


class EspnDetailTeam(EspnModel):
    """``team`` reference inside a soccer ``details`` entry."""

    id: str | None = None


class EspnDetail(EspnModel):
    """A soccer key event in ``competitions[0].details`` (goals, cards)."""

    red_card: bool | None = None
    yellow_card: bool | None = None
    scoring_play: bool | None = None
    team: EspnDetailTeam | None = None


# -- scoreboard -------------------------------------------------------------------------------------


class EspnCompetition(EspnModel):
    """``events[i].competitions[0]`` (and the summary's ``header.competitions[0]``)."""

    id: str | None = None
    date: str | None = None
    status: EspnStatus | None = None
    competitors: list[EspnCompetitor] = []
    odds: list[EspnOdds | None] | None = None
    situation: EspnSituation | None = None
    details: list[EspnDetail] | None = None


class EspnEvent(EspnModel):
    """``events[i]``: ``id`` is the event id the summary takes as ``?event=``."""

    id: str
    date: str | None = None
    name: str | None = None
    short_name: str | None = None
    status: EspnStatus | None = None
    competitions: list[EspnCompetition] = []


class EspnScoreboard(EspnModel):
    """``GET /apis/site/v2/sports/{sport}/{league}/scoreboard``."""

    events: list[EspnEvent] = []


# -- summary ----------------------------------------------------------------------------------------


class EspnHeader(EspnModel):
    """The summary's ``header`` (trimmed captures may hold only ``id``)."""

    id: str | None = None
    competitions: list[EspnCompetition] = []


class EspnWinProbability(EspnModel):
    """One element of ``winprobability``: P(home) on a 0–1 scale after ``playId``."""

    home_win_percentage: float | None = None
    tie_percentage: float | None = None
    play_id: str | None = None


class EspnPlayPeriod(EspnModel):
    """``plays[].period``."""

    number: int | None = None
    display_value: str | None = None


class EspnPlayClock(EspnModel):
    """``plays[].clock``."""

    value: float | None = None
    display_value: str | None = None


class EspnPlay(EspnModel):
    """One element of ``plays`` (scores are numbers here, unlike the header)."""

    id: str | None = None
    sequence_number: Scalar | None = None
    text: str | None = None
    home_score: Scalar | None = None
    away_score: Scalar | None = None
    period: EspnPlayPeriod | None = None
    clock: EspnPlayClock | None = None
    scoring_play: bool | None = None
    score_value: Scalar | None = None


class EspnSummary(EspnModel):
    """``GET /apis/site/v2/sports/{sport}/{league}/summary?event=ID`` (top-level keys vary by sport)."""

    header: EspnHeader = EspnHeader()
    pickcenter: list[EspnOdds | None] | None = None
    odds: list[EspnOdds | None] | None = None
    situation: EspnSituation | None = None
    plays: list[EspnPlay] | None = None
    winprobability: list[EspnWinProbability] | None = None
