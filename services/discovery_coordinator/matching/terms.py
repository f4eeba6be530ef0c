"""Settlement equivalence: does a venue market settle on the result our models price?

Our models price the winner of the whole game as ESPN records it: overtime and extra innings count;
soccer league matches have three results (home, draw, away) after 90 minutes plus stoppage time. A
market matches only if its written rules settle on exactly that, and a postponed game is waited for (it
settles on the rescheduled game), not settled at once. Anything else is refused with the reason. The
rules are read, not assumed: wording we do not recognise is refused as ``settlement_terms_unrecognised``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.messages.market_data import Sport

# A part of the game, a margin or a total: a different bet from the game's winner.
_PARTIAL = re.compile(
    r"\b(first|second|1st|2nd|3rd|4th) (half|quarter|period|inning|innings|five|5)\b|\bhalftime\b|\bhalf-time\b"
    r"|\bby (more than|at least) \d|\b\d+(\.5)? (points|goals|runs|runs or more|or more)\b|\bover/under\b"
    r"|\bspread\b|\btotal (points|goals|runs|score)\b|\bcombined\b|\bexact score\b|\bdouble chance\b"
    r"|\bdraw no bet\b|\bto qualify\b|\bto advance\b|\blift the trophy\b",
    re.IGNORECASE,
)
_REGULATION = re.compile(
    r"\b(in regulation|regulation time|regulation only|excluding overtime|not including overtime)\b", re.I
)
_OT_INCLUDED = re.compile(
    r"\b(includ\w* (any )?(overtime|extra innings|ot)|overtime (periods? )?(count|included))\b", re.I
)
_EXTRA_TIME = re.compile(r"\b(extra time|penalt(y|ies) shoot-?out|penalties)\b", re.I)
_POSTPONED = re.compile(r"[^.]*\bpostpone\w*[^.]*\.?", re.I)
_WAITS = re.compile(r"\b(remain open|rescheduled|make-up|makeup|completed|played)\b", re.I)
_KALSHI_WINNER = re.compile(
    r"^if (?P<team>.+?) wins the (?P<matchup>.+?) game originally scheduled for "
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})",
    re.IGNORECASE,
)
_KALSHI_TIE = re.compile(r"^if the (?P<matchup>.+?) game originally scheduled for .+? ends in a (tie|draw)", re.I)
_RESOLVES = re.compile(r"\bresolve", re.I)


@dataclass(frozen=True, slots=True)
class Terms:
    """The verdict on a market's rules: ``code`` is ``None`` when they settle on the game's result."""

    code: str | None
    reason: str
    team: str | None = None
    draw: bool = False
    postponement_stated: bool = True

    @property
    def ok(self) -> bool:
        """True when the market settles on the result we price."""
        return self.code is None


def _common(text: str, sport: Sport) -> Terms | None:
    """Refusals that apply to every venue's wording."""
    partial = _PARTIAL.search(text)
    if partial:
        return Terms("settlement_terms", f"settles on a part, margin or total of the game ({partial.group(0)!r})")
    if sport != "soccer" and _REGULATION.search(text) and not _OT_INCLUDED.search(text):
        return Terms(
            "settlement_terms", "settles on regulation time only; our models price the winner including overtime"
        )
    if (
        sport == "soccer"
        and _EXTRA_TIME.search(text)
        and not re.search(r"\b(not|excluding|does not)\b[^.]*extra time", text, re.I)
    ):
        return Terms("settlement_terms", "counts extra time or penalties; a league match is priced on 90 minutes")
    for sentence in _POSTPONED.findall(text):
        if not _WAITS.search(sentence):
            return Terms("postponement_rule", f"settles a postponed game without waiting for it: {sentence.strip()!r}")
    return None


def kalshi_terms(rules_primary: str, rules_secondary: str, sport: Sport) -> Terms:
    """Read a Kalshi game market's rules (``rules_primary`` states what YES pays on)."""
    text = " ".join(t.strip() for t in (rules_primary, rules_secondary) if t.strip())
    refused = _common(text, sport)
    if refused is not None:
        return refused
    winner = _KALSHI_WINNER.search(rules_primary.strip())
    if winner:
        return Terms(
            None,
            f"YES pays if {winner.group('team')} wins the game of {winner.group('date')}",
            team=winner.group("team"),
        )
    tie = _KALSHI_TIE.search(rules_primary.strip())
    if tie and sport == "soccer":
        return Terms(None, "YES pays if the match ends in a draw", draw=True)
    return Terms(
        "settlement_terms_unrecognised", f"rules not recognised as a game-winner market: {rules_primary[:160]!r}"
    )


def polymarket_terms(description: str, sport: Sport, *, market_type: str | None, has_line: bool) -> Terms:
    """Read a Polymarket game market's description (and its declared market type)."""
    if market_type not in (None, "", "moneyline") or has_line:
        return Terms("not_moneyline", f"a {market_type or 'line'} market, not the game's winner")
    text = " ".join(description.split())
    if not text:
        return Terms("settlement_terms_unrecognised", "no description: the market's rules cannot be checked")
    refused = _common(text, sport)
    if refused is not None:
        return refused
    if not _RESOLVES.search(text) or not re.search(r"\b(win|wins|won|winner|draw|tie)\b", text, re.I):
        return Terms(
            "settlement_terms_unrecognised", f"description does not say it resolves on the winner: {text[:160]!r}"
        )
    stated = bool(_POSTPONED.search(text))
    reason = "resolves on the game's result" + ("" if stated else " (no postponement rule stated)")
    return Terms(None, reason, postponement_stated=stated)
