"""``arbees winprob``: train a sport's model on a data folder, or evaluate a model on one.

``train --sport S --data DIR [--out FILE] [--holdout]`` validates the training procedure on the held-out
seasons of DIR (fit on the training split, score on the held-out one; see `shared.winprob.training`),
then refits on all games of DIR and writes that model with the validation scores (the repository's
artifact by default); ``--holdout`` writes the split-fit model instead. ``--derive-from FILE``
instead builds an unvalidated model for a sport without data (cfb, wnba) from its base league's
artifact. ``evaluate --sport S --data DIR [--model FILE]`` scores a model on every game in DIR and prints
one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shared.winprob.datasets import default_folder, load_dataset
from shared.winprob.evaluation import evaluate_states
from shared.winprob.registry import artifact_path, load_model, read_artifact
from shared.winprob.training import train, write_artifact
from shared.winprob.training_derived import DERIVATIONS, derive_artifact
from shared.winprob.types import SPORTS

_DATA_HELP = "folder with the same files and columns as ../shared/data/winprob/<folder> for the sport ({})"


def _layouts() -> str:
    return ", ".join(f"{s}: {default_folder(s)}" for s in SPORTS)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``winprob`` command with its ``train`` and ``evaluate`` sub-commands."""
    top = subparsers.add_parser(
        "winprob",
        help="train and evaluate the win-probability models",
        description="Train and evaluate the per-sport win-probability models (artifacts in shared/winprob/artifacts).",
    )
    sub = top.add_subparsers(dest="winprob_command", metavar="<subcommand>", required=True)
    tr = sub.add_parser(
        "train",
        help="fit a sport's model on a data folder and write its artifact",
        description="Validate the training procedure (fit on the earlier seasons of DIR, score the "
        "latest, held-out ones), then refit on all games of DIR and write a JSON artifact with the "
        "training run and the validation scores.",
    )
    tr.add_argument("--sport", required=True, choices=SPORTS)
    tr.add_argument("--data", type=Path, metavar="DIR", help=_DATA_HELP.format(_layouts()))
    tr.add_argument(
        "--out", type=Path, metavar="FILE", help="artifact to write (default: shared/winprob/artifacts/<sport>.json)"
    )
    tr.add_argument(
        "--holdout",
        action="store_true",
        help="write the model fitted on the training split only (the one the validation scores) "
        "instead of the refit on all games",
    )
    tr.add_argument(
        "--derive-from",
        type=Path,
        dest="derive_from",
        metavar="FILE",
        help=f"build an unvalidated model for {sorted(DERIVATIONS)} from the base league's artifact "
        "instead of training (no --data needed)",
    )
    tr.set_defaults(handler=run_train)
    ev = sub.add_parser(
        "evaluate",
        help="score a model on a data folder; prints one JSON object",
        description="Score a model on every game of DIR: Brier, log loss, calibration error "
        "(10 bins) with its noise floor, overall and per checkpoint, beside the prior alone and any "
        "recorded model column.",
    )
    ev.add_argument("--sport", required=True, choices=SPORTS)
    ev.add_argument("--data", type=Path, required=True, metavar="DIR", help=_DATA_HELP.format(_layouts()))
    ev.add_argument(
        "--model", type=Path, metavar="FILE", help="artifact to evaluate (default: the repository's for the sport)"
    )
    ev.set_defaults(handler=run_evaluate)


def run_train(args: argparse.Namespace) -> int:
    """Handler of ``winprob train``; returns the exit code."""
    out = args.out if args.out is not None else artifact_path(args.sport)
    if args.derive_from is not None:
        body = derive_artifact(read_artifact(args.derive_from), args.sport)
        write_artifact(body, out)
        print(f"wrote {out} (derived from {args.derive_from}, unvalidated)", file=sys.stderr)
        return 0
    if args.data is None:
        print("arbees winprob train: --data is required unless --derive-from is given", file=sys.stderr)
        return 2
    body = train(args.sport, args.data, out, holdout=args.holdout)
    v = body["validation"]
    summary = {"brier": v["brier"], "log_loss": v["log_loss"], "calibration_error": v["calibration_error"]}
    fitted = body["training_run"]["fitted_on"]
    print(
        f"wrote {out} (fitted on {fitted['games']} games: {fitted['rule']}); held-out validation of the "
        f"method {json.dumps(summary)} on {v['states']} states",
        file=sys.stderr,
    )
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Handler of ``winprob evaluate``; prints one JSON object and returns the exit code."""
    model = load_model(args.sport, str(args.model) if args.model is not None else None)
    result = evaluate_states(model, load_dataset(args.sport, args.data))
    raw = read_artifact(args.model if args.model is not None else artifact_path(args.sport))
    result["features"] = raw.get("features", {})
    if not model.validated:
        result["validation_note"] = raw.get("validation_note")
    print(json.dumps(result))
    return 0
