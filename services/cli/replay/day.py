"""A whole game day (``arbees replay --date D``): every recorded game of the chosen leagues played on one date.

The simulators choose their games themselves (``--data``, ``--sports``, ``--limit``, ``--seed``), so a day is
given to all of them as a data folder: :func:`write_day_folder` copies each league's folder keeping only
the rows of that date (files with a ``date``/``Date`` column; files keyed by ``game_id`` only, such as the
NCAAB play-by-play, keep the rows of the day's games; other files, such as the MLB win-expectancy table,
are linked). Every simulator loaded from that folder with a ``--limit`` of at least the day's game count
replays exactly the day's games, with the same ids and start times as from the full folder (both are pure
functions of the seed and the game id).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from markets.sim.replay import CLOCKS, FOLDERS, load_replay
from markets.sim.replay_types import ReplayGame

DATE_COLUMNS = ("date", "Date")
ID_COLUMN = "game_id"
Row = dict[str, str]


def parse_day(text: str) -> dt.date | None:
    """A recorded date (``2014-10-28`` or ``20190320``), or None when it is neither."""
    text = text.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def game_day(game: ReplayGame) -> dt.date | None:
    """The date a recorded game was played (the readers end ``source`` with it)."""
    return parse_day(game.source.rsplit(" ", 1)[-1]) if game.source else None


def game_days(data: Path, sports: Sequence[str] | None, seed: int = 0) -> Counter[dt.date]:
    """How many recorded games of ``sports`` (all leagues when None) each date has."""
    return Counter(d for g in load_replay(data, sports=sports, limit=None, seed=seed) if (d := game_day(g)))


def leagues_of(sports: Sequence[str] | None) -> list[str]:
    """The league keys ``sports`` selects (all when None; ``soccer`` is ``epl``), as the replay loader reads them.

    Raises
    ------
    ValueError
        An unknown league or sport.
    """
    if sports is None:
        return list(FOLDERS)
    leagues: list[str] = []
    for name in sports:
        keys = [k for k, clock in CLOCKS.items() if name in (k, clock.sport)]
        if not keys:
            raise ValueError(f"unknown sport {name!r}; known: {', '.join(FOLDERS)} (or soccer)")
        leagues.extend(k for k in keys if k not in leagues)
    return leagues


def write_day_folder(data: Path, day: dt.date, sports: Sequence[str] | None, out: Path) -> Path:
    """Write under ``out`` a copy of ``data`` holding only ``day``'s games of ``sports``; returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for league in leagues_of(sports):
        source = data / FOLDERS[league]
        if source.is_dir():
            _filter_folder(source, out / FOLDERS[league], day)
    return out


def _filter_folder(source: Path, target: Path, day: dt.date) -> None:
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.iterdir() if p.is_file())
    headers = {p: _header(p) for p in files if _is_csv(p)}
    day_ids: set[str] = set()
    for path, header in headers.items():
        column = next((c for c in DATE_COLUMNS if c in header), None)
        if column is not None:
            day_ids |= _copy_rows(path, target / path.name, _on_day(column, day))
    for path, header in headers.items():
        if not any(c in header for c in DATE_COLUMNS) and ID_COLUMN in header:
            _copy_rows(path, target / path.name, lambda row: row[ID_COLUMN] in day_ids)
    for path in files:
        if not (target / path.name).exists():
            (target / path.name).symlink_to(path.resolve())


def _on_day(column: str, day: dt.date) -> Callable[[Row], bool]:
    return lambda row: parse_day(row[column]) == day


def _is_csv(path: Path) -> bool:
    return path.name.endswith((".csv", ".csv.gz"))


@contextmanager
def _open(path: Path, write: bool = False) -> Iterator[TextIO]:
    gz = path.name.endswith(".gz")
    if write:
        f = gzip.open(path, "wt", newline="", encoding="utf-8") if gz else path.open("w", newline="", encoding="utf-8")
    else:
        f = gzip.open(path, "rt", newline="", encoding="utf-8") if gz else path.open(newline="", encoding="utf-8")
    with f:
        yield f


def _header(path: Path) -> list[str]:
    with _open(path) as f:
        return next(csv.reader(f), [])


def _copy_rows(source: Path, target: Path, keep: Callable[[Row], bool]) -> set[str]:
    """Copy the header and the rows ``keep`` accepts; returns their ``game_id`` values (if the file has any)."""
    ids: set[str] = set()
    with _open(source) as f, _open(target, write=True) as out:
        reader = csv.DictReader(f)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(reader.fieldnames or [])
        for row in reader:
            if keep(row):
                writer.writerow([row[name] for name in reader.fieldnames or []])
                if ID_COLUMN in row:
                    ids.add(row[ID_COLUMN])
    return ids


def largest_days(counts: Counter[dt.date], n: int = 3) -> str:
    """The ``n`` dates with most games, for a message (``2017-12-23 (39 games), ...``)."""
    return ", ".join(f"{d.isoformat()} ({c} games)" for d, c in counts.most_common(n))
