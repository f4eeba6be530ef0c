"""Stage timestamps along the money path, for the tick-to-order benchmark (off unless ``ARBEES_TRACE_DIR`` is set).

A stamp is ``(stage, key, t_ns)`` with ``t_ns`` from ``time.monotonic_ns()`` (CLOCK_MONOTONIC: one clock
for every process on the machine, so stamps taken in different processes compare). A link ``(kind, from,
to)`` ties the keys of one chain together: the tick's message id to the signal it caused, the signal to its
intent, the intent to its order. Stamps are kept in memory (a tuple appended to a list: well under a
microsecond) and written as JSON lines to ``$ARBEES_TRACE_DIR/<process>-<pid>.jsonl`` when the process
exits, so tracing adds no I/O to the path it measures.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from pathlib import Path

ENV = "ARBEES_TRACE_DIR"


class Tracer:
    """Collects stamps and links of one process; a no-op when ``directory`` is ``None``."""

    def __init__(self, directory: Path | None, name: str) -> None:
        self.directory = directory
        self.name = name
        self.enabled = directory is not None
        self._stamps: list[tuple[str, str, int]] = []
        self._links: list[tuple[str, str, str]] = []
        if self.enabled:
            atexit.register(self.flush)

    def stamp(self, stage: str, key: object, t_ns: int | None = None) -> None:
        """Note that ``key`` reached ``stage`` now (or at ``t_ns``)."""
        if self.enabled:
            self._stamps.append((stage, str(key), time.monotonic_ns() if t_ns is None else t_ns))

    def link(self, kind: str, source: object, target: object) -> None:
        """Note that ``source`` caused ``target`` (``kind`` names the hop, e.g. ``tick->signal``)."""
        if self.enabled:
            self._links.append((kind, str(source), str(target)))

    def flush(self) -> None:
        """Append what was collected to this process's file and forget it."""
        if self.directory is None or not (self._stamps or self._links):
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self.name}-{os.getpid()}.jsonl"
        with path.open("a") as out:
            for stage, key, t_ns in self._stamps:
                out.write(json.dumps({"s": stage, "k": key, "t": t_ns}) + "\n")
            for kind, source, target in self._links:
                out.write(json.dumps({"l": kind, "a": source, "b": target}) + "\n")
        self._stamps.clear()
        self._links.clear()


def _process_name() -> str:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return "-".join(args[:2]) or Path(sys.argv[0]).stem or "python"


def _from_env() -> Tracer:
    directory = os.environ.get(ENV)
    return Tracer(Path(directory) if directory else None, _process_name())


TRACE = _from_env()
"""This process's tracer."""
