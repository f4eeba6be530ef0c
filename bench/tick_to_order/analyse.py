"""From the processes' stamps to per-order stage latencies: each order's chain tick → signal → intent → venue.

Stages (stamp names as the services write them, see :mod:`shared.tracing`):

- ``published``: the driver publishes the price update (in the benchmark process);
- ``signal``: the game shard's signal is on the signals stream (XADD done);
- ``intent``: the risk gate's approved intent is on the submit stream (XADD done, after its commit);
- ``venue``: the order request reached the simulator (stamped by the simulator's outermost layer).

Intermediate stamps (the shard heard the tick, the gate and the execution service read their messages, the
engine starts sending) are reported too, to show where the time goes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from markets.sim.kalshi.stats import percentile
from shared.bus import keys

SIGNAL_XADD = "xadd:" + keys.SIGNALS
SUBMIT_XADD = "xadd:" + keys.ORDER_SUBMIT


def summary_ms(values_ns: list[int]) -> dict[str, float]:
    """count, p50, p99 and max in milliseconds."""
    ms = sorted(v / 1e6 for v in values_ns)
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "max_ms": round(max(ms), 3) if ms else 0.0,
    }


@dataclass
class Traces:
    """Every stamp (stage -> key -> first time) and link (kind -> source -> targets) of a run."""

    stamps: dict[str, dict[str, int]]
    links: dict[str, dict[str, list[str]]]

    @classmethod
    def load(cls, directory: Path) -> Traces:
        """Read every process's file."""
        stamps: dict[str, dict[str, int]] = defaultdict(dict)
        links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for path in sorted(directory.glob("*.jsonl")):
            for line in path.read_text().splitlines():
                row = json.loads(line)
                if "s" in row:
                    stamps[row["s"]].setdefault(row["k"], row["t"])
                else:
                    links[row["l"]][row["a"]].append(row["b"])
        return cls(dict(stamps), {k: dict(v) for k, v in links.items()})

    def stage(self, name: str) -> dict[str, int]:
        """Stamps of one stage by key."""
        return self.stamps.get(name, {})


@dataclass(frozen=True)
class Chain:
    """The keys and stamps of one order from its tick."""

    tick: str
    signal: str
    submit: str
    order: str
    t: dict[str, int]


def chains(traces: Traces, published: dict[str, int]) -> list[Chain]:
    """Every order that reached the venue, with its stamps along the way."""
    out = []
    tick_signal = traces.links.get("tick->signal", {})
    signal_submit = traces.links.get("signal->submit", {})
    submit_order = traces.links.get("submit->order", {})
    stages = {
        "tick_received": traces.stage("tick.received"),
        "signal": traces.stage(SIGNAL_XADD),
        "signal_read": traces.stage(keys.SIGNALS),
        "intent": traces.stage(SUBMIT_XADD),
        "intent_read": traces.stage(keys.ORDER_SUBMIT),
        "sending": traces.stage("order.sending"),
        "checked": traces.stage("kalshi.checked"),
        "journalled": traces.stage("kalshi.journalled"),
        "request": traces.stage("kalshi.request"),
        "venue": traces.stage("venue.received"),
    }
    by_key = {"tick_received": "tick", "signal": "signal", "signal_read": "signal", "intent": "submit",
              "intent_read": "submit", "sending": "order", "venue": "order", "checked": "order",
              "journalled": "order", "request": "order"}  # fmt: skip
    for tick, signals in tick_signal.items():
        if tick not in published:
            continue
        for signal in signals:
            for submit in signal_submit.get(signal, []):
                for order in submit_order.get(submit, []):
                    keys_of = {"tick": tick, "signal": signal, "submit": submit, "order": order}
                    t = {"published": published[tick]}
                    for stage, stamps in stages.items():
                        value = stamps.get(keys_of[by_key[stage]])
                        if value is not None:
                            t[stage] = value
                    if "venue" in t:
                        out.append(Chain(tick, signal, submit, order, t))
    return out


STAGES = (
    ("published -> signal", "published", "signal"),
    ("signal -> intent", "signal", "intent"),
    ("intent -> venue", "intent", "venue"),
    ("total: published -> venue", "published", "venue"),
)
DETAIL = (
    ("published -> shard heard it", "published", "tick_received"),
    ("shard heard it -> signal", "tick_received", "signal"),
    ("signal -> gate read it", "signal", "signal_read"),
    ("gate read it -> intent", "signal_read", "intent"),
    ("intent -> execution read it", "intent", "intent_read"),
    ("execution read it -> engine sends", "intent_read", "sending"),
    ("engine sends -> venue", "sending", "venue"),
    ("   engine: checks (market, balance)", "sending", "checked"),
    ("   engine: journal (fsync)", "checked", "journalled"),
    ("   engine: to the HTTP request", "journalled", "request"),
    ("   HTTP request -> venue", "request", "venue"),
)


def stage_figures(found: list[Chain], stages: tuple[tuple[str, str, str], ...]) -> dict[str, dict[str, float]]:
    """Summary per stage over every chain that has both stamps."""
    return {name: summary_ms([c.t[b] - c.t[a] for c in found if a in c.t and b in c.t]) for name, a, b in stages}
