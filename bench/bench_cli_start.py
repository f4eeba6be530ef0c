"""Start-up time of the ``arbees`` command: ``arbees --help`` and ``arbees <command> --help`` for every command.

Each is run ``--runs`` times as a fresh process (wall time from spawn to exit, output discarded), beside the
baseline ``python -c pass`` with the same interpreter, measured in the same run and interleaved with the
commands so both see the same machine load. Prints median and p90 per command and the ratio of medians
against the baseline; ``--json`` adds one JSON object on the last line. The commands are found by walking
the real parser (deferred ones included), so a new command is timed without editing this file.

    .venv/bin/python bench/bench_cli_start.py --runs 10 [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.cli.loader import DeferredSubParsers  # noqa: E402
from services.cli.main import build_parser  # noqa: E402

HELP_BUDGET_S = 0.5
"""Issue 13: ``arbees --help`` answers in under half a second."""


def arbees_argv() -> list[str]:
    """The installed ``arbees`` script beside this interpreter, else ``python -m services.cli.main``."""
    script = Path(sys.executable).parent / "arbees"
    return [str(script)] if script.exists() else [sys.executable, "-m", "services.cli.main"]


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of ``parser`` (``()``, ``("run",)``, ``("sim", "kalshi")``...), parents first."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name in list(action._name_parser_map):
                sub = action.load(name) if isinstance(action, DeferredSubParsers) else action._name_parser_map[name]
                yield from commands(sub, (*prefix, name))


def timed(argv: list[str]) -> float:
    """Wall seconds of one run of ``argv``; raises when it fails."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def p90(values: list[float]) -> float:
    """90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    base = arbees_argv()
    paths = list(dict.fromkeys(commands(build_parser())))
    argvs = {"python -c pass": [sys.executable, "-c", "pass"]} | {
        " ".join(("arbees", *p, "--help")): [*base, *p, "--help"] for p in paths
    }
    samples: dict[str, list[float]] = {name: [] for name in argvs}
    for argv in argvs.values():  # one warm-up each: the first run pays for cold caches
        timed(argv)
    for _ in range(args.runs):
        for name, argv in argvs.items():
            samples[name].append(timed(argv))
    baseline = statistics.median(samples["python -c pass"])
    rows = {
        name: {
            "median_s": round(statistics.median(values), 4),
            "p90_s": round(p90(values), 4),
            "ratio_to_baseline": round(statistics.median(values) / baseline, 2),
        }
        for name, values in samples.items()
    }
    width = max(len(n) for n in rows)
    print(f"{'command':<{width}}  median ms   p90 ms   x python -c pass   ({args.runs} runs each, interleaved)")
    for name, row in rows.items():
        print(
            f"{name:<{width}}  {row['median_s'] * 1000:9.1f} {row['p90_s'] * 1000:8.1f} "
            f"{row['ratio_to_baseline']:10.2f}x"
        )
    top = rows["arbees --help"]["median_s"]
    worst = max((r["median_s"], n) for n, r in rows.items() if n != "python -c pass")
    verdict = "ok" if top < HELP_BUDGET_S else "OVER BUDGET"
    print(f"arbees --help median {top * 1000:.0f} ms against a {HELP_BUDGET_S * 1000:.0f} ms budget: {verdict}")
    print(f"slowest: {worst[1]} ({worst[0] * 1000:.0f} ms)")
    if args.json:
        result = {
            "runs": args.runs,
            "baseline_median_s": round(baseline, 4),
            "help_budget_s": HELP_BUDGET_S,
            "help_within_budget": top < HELP_BUDGET_S,
            "commands": rows,
        }
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
