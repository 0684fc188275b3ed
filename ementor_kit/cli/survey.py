"""The ``survey score|reliability|compare`` commands, their reading options and parsers."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pandas as pd

from ementor_kit.cli._common import _out, _say, _steps, _Sub, _write_csv
from ementor_kit.errors import (
    DataValidationError,
    InvalidArgumentError,
    Problem,
)
from ementor_kit.i18n.language import N_
from ementor_kit.matching.export import neutralise
from ementor_kit.provenance import provenance_hash
from ementor_kit.survey.effects import compare_waves
from ementor_kit.survey.instruments import load_instrument
from ementor_kit.survey.internal_consistency import reliability
from ementor_kit.survey.readers import SurveyExport, detect_format, read_survey
from ementor_kit.survey.scoring import score


def _read_responses(
    path: str, args: argparse.Namespace, id_columns: Sequence[str] = ()
) -> SurveyExport:
    """Read an export (any format ``read_survey`` detects), then rename columns as asked."""

    reading = {"encoding": args.encoding, "sheet": args.sheet}
    options: dict[str, object] = {k: v for k, v in reading.items() if v is not None}
    if id_columns:
        options["id_columns"] = list(id_columns)
    if args.flatten_codes:
        fmt = detect_format(path, encoding=args.encoding, sheet=args.sheet)
        if fmt != "limesurvey":
            raise InvalidArgumentError(
                "--flatten-codes",
                path,
                N_("leave --flatten-codes out for this file"),
                message=N_(
                    "{path}: --flatten-codes applies to LimeSurvey exports only; this file "
                    "is a {fmt} export"
                ).format(path=path, fmt=fmt),
            )
        options["flatten_codes"] = True
    export = read_survey(path, **options)
    columns = export.responses.columns
    mapping: dict[str, str] = {}
    for spec in args.rename or ():
        for part in spec.split(","):
            old, sep, new = part.partition("=")
            if not sep or not old.strip() or not new.strip():
                raise InvalidArgumentError(
                    "--rename", spec, N_("write OLD=NEW pairs, e.g. --rename Q1_1=emx_1,Q1_2=emx_2")
                )
            mapping[old.strip()] = new.strip()
    unknown = [c for c in mapping if c not in columns]
    if unknown:
        raise DataValidationError(
            [
                Problem(
                    path,
                    ", ".join(unknown),
                    (),
                    N_("--rename names column(s) the export does not have"),
                    N_("use column names of the file ({columns}, ...)").format(
                        columns=", ".join(map(str, columns[:12]))
                    ),
                )
            ]
        )
    return export.rename(mapping) if mapping else export


def _spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and header :func:`neutralise`-d (no formula runs in Excel)."""
    safe = df.copy()
    for c in df.columns:
        s = df[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s) or s.dtype == "category":
            safe[c] = s.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    safe.columns = [neutralise(c) if isinstance(c, str) else c for c in df.columns]
    return safe


def _write_survey_csv(
    df: pd.DataFrame, out: str, args: argparse.Namespace, what: str, prov: str, details: list[str]
) -> None:
    """A survey command's CSV: text cells neutralised unless ``--raw-csv``."""
    _write_csv(df if args.raw_csv else _spreadsheet_safe(df), out, what, prov, details)


def _survey_prov(frames: dict[str, pd.DataFrame], instrument, extra: str) -> tuple[str, list[str]]:

    settings = f"instrument={instrument!r}; {extra}"
    return provenance_hash(frames, settings), [f"instrument {instrument.id}"]


def _cmd_survey_score(args: argparse.Namespace) -> int:

    with _steps(args, 3) as step:
        step("read")
        inst = load_instrument(args.instrument)
        df = _read_responses(args.file, args)
        step("score")
        scores = score(df, inst, min_answered=args.min_answered)
        step("write")
        prov, details = _survey_prov(
            {"responses": df.responses}, inst, f"score min_answered={args.min_answered!r}"
        )
        _write_survey_csv(scores, args.out, args, "survey score", prov, details)
    cols = [f"{inst.id}_{s.id}" for s in inst.subscales]
    scored = ", ".join(f"{c} {int(scores[c].notna().sum())}/{len(scores)}" for c in cols)
    _out(
        N_("{file}: {name} scored ({scored})").format(file=args.file, name=inst.name, scored=scored)
    )
    return 0


def _cmd_survey_reliability(args: argparse.Namespace) -> int:

    with _steps(args, 3) as step:
        step("read")
        inst = load_instrument(args.instrument)
        df = _read_responses(args.file, args)
        step("reliability")
        rel = reliability(df, inst, nan_policy=args.nan_policy)
        step("write")
        prov, details = _survey_prov(
            {"responses": df.responses}, inst, f"reliability nan_policy={args.nan_policy}"
        )
        _write_survey_csv(rel.scales, args.out, args, "survey reliability", prov, details)
        if args.items_out:
            what = "survey reliability items"
            _write_survey_csv(rel.items, args.items_out, args, what, prov, details)
    shown = rel.scales[["subscale", "n", "alpha", "alpha_low", "alpha_high", "omega_total"]]
    print(shown.round(3).to_string(index=False))
    return 0


def _cmd_survey_compare(args: argparse.Namespace) -> int:

    with _steps(args, 3) as step:
        step("read")
        inst = load_instrument(args.instrument)
        t0 = _read_responses(args.t0, args, [args.id_col])
        t1 = _read_responses(args.t1, args, [args.id_col])
        step("compare")
        cw = compare_waves(t0, t1, inst, id_col=args.id_col, min_answered=args.min_answered)
        step("write")
        prov, details = _survey_prov(
            {"t0": t0.responses, "t1": t1.responses},
            inst,
            f"compare id_col={args.id_col} min_answered={args.min_answered!r}",
        )
        _write_survey_csv(cw.effects, args.out, args, "survey compare", prov, details)
        if args.attrition_out:
            what = "survey attrition"
            _write_survey_csv(cw.attrition, args.attrition_out, args, what, prov, details)
    shown = cw.effects[["subscale", "n_pairs", "mean_diff", "ci_low", "ci_high", "d_z", "d_av"]]
    print(shown.round(3).to_string(index=False))
    n0 = int((cw.unpaired["status"] == "T0 only").sum())
    n1 = int((cw.unpaired["status"] == "T1 only").sum())
    _say(
        N_(
            "{n0} respondent(s) answered T0 only, {n1} T1 only (left out of the paired comparison)"
        ).format(n0=n0, n1=n1)
    )
    return 0


_FILE_HELP = N_(
    "survey export (Qualtrics, LimeSurvey, Google Forms, SurveyMonkey, Microsoft Forms, "
    "SPSS .sav) or a programme folder's survey CSV (surveys/mentee_t1.csv)"
)


_INSTRUMENT_HELP = N_("instrument: gse, mfq, wai, emx, or a YAML definition")


def _reading_options() -> argparse.ArgumentParser:
    """Parent parser of the options that read a survey export (``--rename``, ...) and write
    the survey commands' CSV files (``--raw-csv``)."""
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--rename",
        action="append",
        metavar="OLD=NEW[,OLD=NEW...]",
        help=N_("rename export columns to item ids (e.g. Q1_1=emx_1,Q1_2=emx_2); repeatable"),
    )
    reading.add_argument(
        "--flatten-codes",
        action="store_true",
        help=N_("LimeSurvey: turn codes like EMX[SQ001] into emx_1"),
    )
    reading.add_argument(
        "--sheet",
        help=N_(
            "workbook (.xlsx) export: the sheet holding the responses, needed when several "
            "sheets hold data"
        ),
    )
    reading.add_argument(
        "--encoding",
        help=N_(
            "CSV export (or an old SPSS file): its text encoding (e.g. cp1252, utf-8); "
            "detected when left out"
        ),
    )
    reading.add_argument(
        "--raw-csv",
        action="store_true",
        help=N_(
            "write text cells as they are, for other programs; by default a text cell "
            "starting with = + - @, a tab or a carriage return gets a ' prefix, so that a "
            "spreadsheet opening the CSV does not run it as a formula"
        ),
    )
    return reading


def _add_survey(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "survey", help=N_("score, reliability and wave comparison of survey exports")
    )
    ssub = p.add_subparsers(dest="survey_command", required=True, metavar="SURVEY_COMMAND")
    parents = [common, _reading_options()]
    _add_survey_score(ssub, parents)
    _add_survey_reliability(ssub, parents)
    _add_survey_compare(ssub, parents)


def _add_survey_score(ssub: _Sub, parents: list[argparse.ArgumentParser]) -> None:
    q = ssub.add_parser("score", parents=parents, help=N_("subscale scores of every response"))
    q.add_argument("file", help=_FILE_HELP)
    q.add_argument("--instrument", required=True, help=_INSTRUMENT_HELP)
    q.add_argument("--min-answered", type=int, help=N_("least answered items for a score"))
    q.add_argument("--out", required=True, help=N_("CSV file, one row per response"))
    q.set_defaults(run=_cmd_survey_score)


def _add_survey_reliability(ssub: _Sub, parents: list[argparse.ArgumentParser]) -> None:
    q = ssub.add_parser(
        "reliability", parents=parents, help=N_("alpha (Feldt CI) and omega of every subscale")
    )
    q.add_argument("file", help=_FILE_HELP)
    q.add_argument("--instrument", required=True, help=_INSTRUMENT_HELP)
    q.add_argument("--nan-policy", choices=["pairwise", "listwise"], default="pairwise")
    q.add_argument("--out", required=True, help=N_("CSV file, one row per subscale"))
    q.add_argument("--items-out", help=N_("optional CSV file of item statistics"))
    q.set_defaults(run=_cmd_survey_reliability)


def _add_survey_compare(ssub: _Sub, parents: list[argparse.ArgumentParser]) -> None:
    q = ssub.add_parser(
        "compare", parents=parents, help=N_("change between two waves, paired by respondent")
    )
    q.add_argument("t0", help=N_("first wave: {formats}").format(formats=_FILE_HELP))
    q.add_argument("t1", help=N_("second wave, same formats"))
    q.add_argument("--instrument", required=True, help=_INSTRUMENT_HELP)
    q.add_argument("--id-col", default="respondent_id", help=N_("column identifying respondents"))
    q.add_argument("--min-answered", type=int, help=N_("least answered items for a score"))
    q.add_argument("--out", required=True, help=N_("CSV file of effects, one row per subscale"))
    q.add_argument(
        "--attrition-out", help=N_("optional CSV file comparing dropouts and completers")
    )
    q.set_defaults(run=_cmd_survey_compare)
