"""The ``engagement`` command: engagement measures and status of every pair."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pandas as pd

from ementor_kit.cli._common import _out, _steps, _Sub, _write_csv
from ementor_kit.data.validation import read_programme
from ementor_kit.errors import (
    EmentorKitError,
)
from ementor_kit.graph.engagement_metrics import EngagementThresholds, engagement
from ementor_kit.graph.goals import goal_progress
from ementor_kit.i18n.language import N_
from ementor_kit.provenance import provenance_hash

_THRESHOLDS = (
    ("check_in_days", N_("days without exchange before a check-in")),
    ("at_risk_days", N_("days without exchange before 'at risk'")),
    ("dormant_days", N_("days without exchange before 'dormant'")),
    ("first_contact_days", N_("days after matching before a pair without exchange needs action")),
    ("unanswered_days", N_("days a message may stay unanswered")),
    ("conversation_gap_hours", N_("hours of silence that start a new conversation")),
)


def _cmd_engagement(args: argparse.Namespace) -> int:

    given = {name: getattr(args, name) for name, _ in _THRESHOLDS}
    thresholds = EngagementThresholds(**{k: v for k, v in given.items() if v is not None})
    with _steps(args, 4) as step:
        step("read")
        p = read_programme(args.folder)
        if p.pairs is None or p.interactions is None:
            missing = "pairs.csv" if p.pairs is None else "interactions.csv"
            raise EmentorKitError(
                N_(
                    "{n}: file not found. Fix: engagement needs the pairs in force "
                    "(pairs.csv) and the exchange log (interactions.csv)"
                ).format(n=Path(args.folder) / missing)
            )
        as_of = args.as_of
        if as_of is None and len(p.interactions):
            as_of = pd.Timestamp(p.interactions["timestamp"].max())
        step("goals")
        gp = None
        if p.goals is not None:
            gp = goal_progress(p.goals, p.goal_updates, p.pairs, as_of=as_of)
        step("engagement")
        result = engagement(
            p.interactions, p.pairs, as_of=as_of, thresholds=thresholds, goal_progress=gp
        )
        eng = result.table
        step("write")
        resolved = f"{result.as_of:%Y-%m-%dT%H:%M:%S}+00:00"
        tables = {
            n: getattr(p, n)
            for n in ("interactions", "pairs", "goals", "goal_updates")
            if getattr(p, n) is not None
        }
        settings = (
            f"engagement as_of={resolved} thresholds={dataclasses.asdict(result.thresholds)!r}"
        )
        prov = provenance_hash(tables, settings)
        _write_csv(eng, args.out, "engagement", prov, [f"as_of {resolved}"])
    counts = eng["status"].value_counts()
    _out(
        N_("{n} pairs as of {date}: {counts}; {k} need action").format(
            n=len(eng),
            date=resolved,
            counts=", ".join(f"{s} {int(counts.get(s, 0))}" for s in sorted(counts.index)),
            k=int(eng["needs_action"].sum()),
        )
    )
    return 0


def _add_engagement(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "engagement",
        parents=[common],
        help=N_("engagement measures and status of every pair"),
        description=N_(
            "Engagement of every pair in pairs.csv from interactions.csv (and goals): "
            "exchanges, sync share, response times, regularity, and a status with its rule."
        ),
    )
    p.add_argument("folder", help=N_("programme folder with pairs.csv and interactions.csv"))
    p.add_argument(
        "--as-of",
        help=N_(
            "moment of the assessment: a date (end of that day, UTC) or a time-zone aware "
            "timestamp; default: the last exchange in the log"
        ),
    )
    p.add_argument("--out", required=True, help=N_("CSV file, one row per pair"))
    for name, text in _THRESHOLDS:
        p.add_argument(f"--{name.replace('_', '-')}", type=float, help=text)
    p.set_defaults(run=_cmd_engagement)
