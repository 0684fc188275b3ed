"""The ``ementor-kit`` command line: reproducible runs without a notebook.

Commands
--------
``validate FOLDER``
    Check a programme folder against the data contract.
``init FOLDER --mentors FILE [--mentees FILE] [--role-column COL]``
    Propose ``FOLDER/programme.yaml`` from a raw intake export (CSV, .xlsx, .ods) and print
    the review of every decision. Files outside FOLDER are copied into it unchanged.
``sample --out FOLDER [--seed N]``
    Write a synthetic sample programme.
``match FOLDER --rules R.yaml --out pairs.csv [--time-limit SECONDS]``
    Pair mentees with mentors under a rule set. While the solver runs, a line on stderr every
    5 seconds tells how long it has been running; ``--time-limit`` stops the integer programme
    early with the best pairing found and reports its gap to the optimum.
``engagement FOLDER [--as-of DATE] --out engagement.csv``
    Engagement measures and status of every pair.
``survey score|reliability FILE --instrument NAME --out OUT.csv``
    Score a survey export, or check the reliability of its subscales. FILE is any export
    :func:`~ementor_kit.survey.readers.read_survey` detects or a programme folder's survey CSV;
    ``--rename Q1_1=emx_1,...`` maps question codes to item ids, ``--flatten-codes`` turns
    LimeSurvey codes like ``EMX[SQ001]`` into ``emx_1``, ``--sheet NAME`` picks the sheet of a
    workbook holding several, ``--encoding cp1252`` forces the text encoding of a CSV file
    (detected otherwise). Text cells of the CSV files written that start with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return get a ``'`` prefix, so that a spreadsheet does
    not run them as formulas; ``--raw-csv`` writes them as they are (for other programs).
``survey compare T0 T1 --instrument NAME --out effects.csv``
    Change between two waves, paired by respondent (``--id-col``, read as text in both).
``import-exchanges FOLDER SOURCE... --out interactions.csv [--timezone ZONE] [--format F]``
    The exchange log of WhatsApp chats, mailboxes, Zoom/Meet reports, people resolved through
    the programme's contacts (``--aliases`` CSV: alias, person_id); the import report on
    stderr. Message contents, names and numbers are never written.
``report FOLDER [--rules R.yaml] --out report.html``
    The whole pilot as a self-contained HTML report (pseudonymised, small cells suppressed);
    needs the study's key in ``EMENTOR_KIT_KEY`` or ``--key-file``.

Exit codes: 0 success, 1 failure (invalid data, infeasible rules, missing key, a setting
the library refuses such as an impossible ``--min-answered``, ...), 2 bad usage. Every
file written carries the provenance hash of its inputs, settings and the package version:
CSV files start with one comment line ``# ementor-kit VERSION WHAT; provenance ek1-...;
...`` (read them with ``pandas.read_csv(path, skiprows=1)``), the HTML report states it in
its header. Progress bars go to stderr when it is a terminal (``--no-progress`` turns
them off); results go to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
from tqdm import tqdm

from ementor_kit._version import __version__
from ementor_kit.data.folder import programme_tables, write_programme
from ementor_kit.data.propose import propose_programme
from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.errors import (
    DataValidationError,
    EmentorKitError,
    InvalidArgumentError,
    Problem,
    SolverTimeLimitError,
)
from ementor_kit.exchanges import import_exchanges
from ementor_kit.graph.engagement_metrics import EngagementThresholds, engagement
from ementor_kit.graph.goals import goal_progress
from ementor_kit.i18n.language import N_, resolve_language, translator
from ementor_kit.i18n.text import translate_text
from ementor_kit.matching import match
from ementor_kit.matching.export import neutralise
from ementor_kit.provenance import provenance_hash
from ementor_kit.report import STEPS, pilot_report
from ementor_kit.samples.generator import generate_programme
from ementor_kit.survey.effects import compare_waves
from ementor_kit.survey.instruments import load_instrument
from ementor_kit.survey.internal_consistency import reliability
from ementor_kit.survey.privacy import KEY_ENV_VAR, StudyKey, study_key
from ementor_kit.survey.readers import SurveyExport, detect_format, read_survey
from ementor_kit.survey.scoring import score

__all__ = ["main"]


_lang = ["en"]  # the language of the command running (main sets it from --lang)


def _say(message: str) -> None:
    """A progress line on stderr, in the command's language (through the catalogue)."""
    print(translate_text(message, _lang[0], data=True), file=sys.stderr)


def _out(message: str) -> None:
    """A result line on stdout, in the command's language (through the catalogue)."""
    print(translate_text(message, _lang[0], data=True))


# the steps of the progress bar (translated where shown)
_STEPS: tuple[str, ...] = (N_("generate"), N_("write"), N_("read"), N_("solve"), N_("goals"))
_STEPS += (N_("engagement"), N_("score"), N_("reliability"), N_("compare"))
_STEPS += (N_("import {n} export(s)"),)


def _stamp(what: str, provenance: str, details: Sequence[str] = ()) -> str:
    """The provenance comment line every CSV output starts with."""
    return "; ".join([f"# ementor-kit {__version__} {what}", f"provenance {provenance}", *details])


def _write_csv(
    df: pd.DataFrame, out: str, what: str, provenance: str, details: Sequence[str] = ()
) -> None:
    """Write ``df`` after a provenance comment line (read back with ``skiprows=1``)."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(_stamp(what, provenance, details) + "\n")
    df.to_csv(buf, index=False, lineterminator="\n")
    path.write_text(buf.getvalue(), encoding="utf-8")
    _say(
        N_("wrote {n} rows to {path} (provenance {provenance})").format(
            n=len(df), path=path, provenance=provenance
        )
    )


@contextmanager
def _steps(args: argparse.Namespace, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (terminals only); yields ``step(name)`` to advance it."""

    disable = True if getattr(args, "no_progress", False) else None
    unit = translator(_lang[0]).gettext(N_("step"))
    bar = tqdm(total=total, desc=args.command, unit=unit, file=sys.stderr, disable=disable)
    started = [False]

    def step(name: str) -> None:
        if started[0]:
            bar.update(1)
        started[0] = True
        bar.set_postfix_str(translate_text(name, _lang[0]))

    try:
        yield step
        if started[0]:
            bar.update(1)
    finally:
        bar.close()


_HEARTBEAT_SECONDS = 5.0


@contextmanager
def _heartbeat(args: argparse.Namespace, what: str, hint: str = "") -> Iterator[None]:
    """A line on stderr every few seconds while the block runs (a solver gives no progress).

    A thread prints ``ementor-kit COMMAND: WHAT, N s elapsed`` every ``_HEARTBEAT_SECONDS``,
    above the progress bar; ``hint`` is added to the first line. Off with ``--no-progress``.
    """
    if getattr(args, "no_progress", False):
        yield
        return
    done = threading.Event()
    start = time.perf_counter()

    def beat() -> None:
        tail = f" ({hint})" if hint else ""
        while not done.wait(_HEARTBEAT_SECONDS):
            elapsed = time.perf_counter() - start
            tqdm.write(
                f"ementor-kit {args.command}: {what}, {elapsed:.0f} s elapsed{tail}", sys.stderr
            )
            tail = ""

    thread = threading.Thread(target=beat, name="ementor-kit heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


# --------------------------------------------------------------------------- commands


def _cmd_validate(args: argparse.Namespace) -> int:

    programme = read_programme(args.folder)
    _out(N_("{folder}: valid — {programme}").format(folder=args.folder, programme=repr(programme)))
    return 0


def _cmd_init(args: argparse.Namespace) -> int:

    folder = Path(args.folder)
    target = folder / "programme.yaml"
    if target.exists() and not args.force:
        raise EmentorKitError(
            N_("{target} exists. Fix: edit it, or pass --force to replace it.").format(
                target=target
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    inside: list[Path | None] = []
    for given in [args.mentors, args.mentees]:
        if given is None:
            inside.append(None)
            continue
        src, dest = Path(given), folder / Path(given).name
        if not src.is_file():
            raise EmentorKitError(N_("{src}: file not found. Fix: check the path.").format(src=src))
        if not dest.exists():
            shutil.copyfile(src, dest)  # byte for byte: the raw file is never rewritten
            _say(N_("copied {src} to {dest}").format(src=src, dest=dest))
        elif not dest.samefile(src) and dest.read_bytes() != src.read_bytes():
            raise EmentorKitError(
                N_(
                    "{dest} exists and differs from {src}. Fix: give the file in {folder}, "
                    "or rename one of them."
                ).format(dest=dest, src=src, folder=folder)
            )
        inside.append(dest)
    spec = propose_programme(inside[0], inside[1], role_column=args.role_column)
    spec.to_yaml(target)
    for row in spec.review().fillna("").itertuples(index=False):
        what = f"{row.column!r} -> {row.roles}.{row.attribute} ({row.type})" if row.column else ""
        seen = f" | seen: {row.values_seen[:60]}" if row.values_seen else ""
        check = f" | check: {row.check}" if row.check else ""
        print(f"{row.file} | {what or 'file'} | {row.confidence}{seen}{check}")
    _say(
        N_(
            "wrote {target}: check the lines above with a 'check' note, edit it if needed, "
            "then run ementor-kit validate {folder}"
        ).format(target=target, folder=folder)
    )
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:

    with _steps(args, 2) as step:
        step("generate")
        programme = generate_programme(
            n_mentees=args.mentees, n_mentors=args.mentors, weeks=args.weeks, seed=args.seed
        )
        step("write")
        written = write_programme(programme, args.out)
    settings = (
        f"sample seed={args.seed} mentees={args.mentees} mentors={args.mentors} weeks={args.weeks}"
    )
    prov = provenance_hash(programme_tables(programme), settings)
    stamp = Path(args.out) / "provenance.txt"
    stamp.write_text(_stamp("sample", prov, [settings]).lstrip("# ") + "\n", encoding="utf-8")
    _out(
        N_("wrote {n} files to {out}: {programme}").format(
            n=len(written), out=args.out, programme=repr(programme)
        )
    )
    _say(N_("provenance {prov} (in {stamp})").format(prov=prov, stamp=stamp))
    return 0


def _rules_of(args: argparse.Namespace, programme: Programme) -> Any:
    """``--rules`` when given, else the rules of programme.yaml when it declares some (else
    ``None``: match() proposes them for declared attributes, or takes the sample's defaults)."""
    if args.rules:
        return Path(args.rules)
    if programme.spec is not None and programme.spec.rules:
        return programme.spec
    return None


def _cmd_match(args: argparse.Namespace) -> int:

    with _steps(args, 3) as step:
        step("read")
        programme = read_programme(args.folder)
        step("solve")
        limit = args.time_limit
        if limit is None:
            hint = "no time limit; --time-limit SECONDS stops early with the best pairing found"
        else:
            hint = f"time limit {limit:g} s"
        with _heartbeat(args, "solving", hint):
            try:
                result = match(
                    programme.mentors,
                    programme.mentees,
                    _rules_of(args, programme),
                    objective=args.objective,
                    time_limit=limit,
                )
            except SolverTimeLimitError:
                raise SolverTimeLimitError(
                    N_(
                        "no pairing meeting every rule and quota was found within --time-limit "
                        "{limit:g} s; nothing was written. Fix: give a larger --time-limit, or "
                        "leave it out"
                    ).format(limit=limit)
                ) from None
        step("write")
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        result.to_csv(out)
        if args.unmatched:
            _write_csv(
                result.unmatched,
                args.unmatched,
                "unmatched",
                result.provenance,
                [f"objective {result.objective}", f"status {result.status}"],
            )
    _say(
        N_("wrote {n} pairs to {out} (provenance {provenance})").format(
            n=len(result.pairs), out=out, provenance=result.provenance
        )
    )
    if result.status == "time_limit":
        _say(
            N_(
                "time limit of {limit:g} s reached: the pairing is the best found, not proven "
                "optimal (gap at most {gap:.3g} points of the objective); a larger "
                "--time-limit may improve it"
            ).format(limit=limit, gap=result.gap)
        )
    print(result.summary())
    return 0


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


def _report_key(args: argparse.Namespace) -> StudyKey:
    """The study key from --key-file or EMENTOR_KIT_KEY, checked, with where it came from
    (``.info``: the report says so); refuse without one."""

    if args.key_file:
        path = Path(args.key_file)
        try:
            key = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise InvalidArgumentError(
                "--key-file",
                str(path),
                N_("give the file holding the study's secret key"),
                message=N_("{path}: key file not found").format(path=path),
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise EmentorKitError(
                N_("{path}: cannot read the key file ({exc})").format(path=path, exc=exc)
            ) from None
        if not key:
            raise InvalidArgumentError(
                "--key-file",
                str(path),
                N_("put the study's key in it"),
                message=N_("{path}: the key file is empty").format(path=path),
            )
        folder = Path(args.folder).resolve()
        if folder == path.resolve().parent or folder in path.resolve().parents:
            _say(
                N_(
                    "warning: the key file {path} is inside the data folder; keep the key apart "
                    "from the data (anyone holding both can re-identify the pseudonyms)"
                ).format(path=path)
            )
    else:
        key = os.environ.get(KEY_ENV_VAR, "")
        if not key:
            raise InvalidArgumentError(
                "--key-file",
                None,
                N_(
                    "set the {KEY_ENV_VAR} environment variable or pass --key-file FILE. "
                    'Create a key once per study with `python -c "import secrets; '
                    'print(secrets.token_hex(32))"` and keep it apart from the data'
                ).format(KEY_ENV_VAR=KEY_ENV_VAR),
                message=N_(
                    "the report pseudonymises every participant id and needs the study's "
                    "secret key; no report was written"
                ),
            )
    # refuses weak keys before any work; the source (file or environment) travels with the key
    return study_key(key_file=args.key_file) if args.key_file else study_key()


def _cmd_report(args: argparse.Namespace) -> int:

    key = _report_key(args)
    with _steps(args, len(STEPS) + 2) as step:
        step("read")
        programme = read_programme(args.folder)
        report = pilot_report(
            programme,
            Path(args.rules) if args.rules else None,
            key=key,
            as_of=args.as_of,
            k=args.k,
            pair_lists=not args.no_pair_lists,
            progress=step,
            lang=args.lang,
        )
        step("write")
        report.to_html(args.out)
    _say(
        N_("wrote {out} (provenance {provenance})").format(
            out=args.out, provenance=report.provenance
        )
    )
    _out(
        N_("{out}: pilot report, provenance {provenance}, counts below {k} hidden").format(
            out=args.out, provenance=report.provenance, k=args.k
        )
    )
    _say(N_("pseudonyms: {info}").format(info=key.info.in_language(_lang[0])))
    return 0


# --------------------------------------------------------------------------- parser


_ARGPARSE_WORDS = {  # argparse's own words (it ships no French catalogue)
    "positional arguments": N_("positional arguments"),
    "options": N_("options"),
    "show this help message and exit": N_("show this help message and exit"),
    "show program's version number and exit": N_("show program's version number and exit"),
}


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with the word before the usage in the chosen language."""

    lang = "en"

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None and self.lang != "en":
            prefix = translator(self.lang).gettext(N_("usage: "))
        super().add_usage(usage, actions, groups, prefix)


def _translated(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """The parser with its descriptions, help texts and group titles in ``lang``: they are
    English message ids, translated through the catalogue (English is left as it is)."""
    if lang == "en":
        return parser
    t = translator(lang)
    formatter: type[argparse.HelpFormatter] = type("_LangFormatter", (_Formatter,), {"lang": lang})
    parser.formatter_class = formatter
    parser.description = parser.description and translate_text(parser.description, lang)
    parser.epilog = parser.epilog and translate_text(parser.epilog, lang)
    for group in parser._action_groups:  # argparse keeps its groups privately
        if group.title in _ARGPARSE_WORDS:
            group.title = t.gettext(_ARGPARSE_WORDS[group.title])
    for action in parser._actions:
        if action.help in _ARGPARSE_WORDS:
            action.help = t.gettext(_ARGPARSE_WORDS[action.help])
        elif isinstance(action.help, str):
            action.help = translate_text(action.help, lang)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = choice.help and translate_text(choice.help, lang)
            for sub in dict.fromkeys(action.choices.values()):
                _translated(sub, lang)
    return parser


def _language(argv: Sequence[str]) -> str:
    """The language asked for by ``--lang`` (before parsing: the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return resolve_language(argv[i + 1])
        if arg.startswith("--lang="):
            return resolve_language(arg.split("=", 1)[1])
    return resolve_language(None)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help in ``lang``."""
    return _translated(_english_parser(), lang)


def _english_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ementor-kit",
        description=N_("Pairing, engagement and survey analysis for e-mentoring programmes."),
        epilog=N_(
            "Exit codes: 0 ok, 1 failure (e.g. invalid data), 2 bad usage. CSV outputs "
            "start with a provenance comment line: read them with pandas.read_csv(path, "
            "skiprows=1)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"ementor-kit {__version__}")
    parser.add_argument(
        "--lang",
        help=N_(
            "language of the help, the messages and the report: en or fr (default: the "
            "EMENTOR_KIT_LANG environment variable, then the locale, then English)"
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--no-progress", action="store_true", help=N_("no progress bar on stderr"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_init(sub)
    _add_validate(sub)
    _add_sample(sub, common)
    _add_match(sub, common)
    _add_engagement(sub, common)
    _add_survey(sub, common)
    _add_report(sub, common)
    _add_import_exchanges(sub, common)
    return parser


# The sub-commands' parsers, in the order ``ementor-kit --help`` lists them. ``sub`` is what
# ``add_subparsers`` returned; ``common`` the parent parser of the shared --no-progress.
_Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # argparse names the type of add_subparsers() privately


def _add_init(sub: _Sub) -> None:
    p = sub.add_parser(
        "init",
        help=N_("propose programme.yaml from a raw intake export and print the review"),
        description=N_(
            "Read the intake export (CSV in any encoding and separator, .xlsx, .ods), "
            "propose the attributes, types, recodings and starting rules, write "
            "FOLDER/programme.yaml and print one line per decision with what to check."
        ),
    )
    p.add_argument("folder", help=N_("programme folder to write programme.yaml in"))
    p.add_argument("--mentors", required=True, help=N_("mentors' export (or the single export)"))
    p.add_argument("--mentees", help=N_("mentees' export"))
    p.add_argument("--role-column", help=N_("single export: the column telling roles apart"))
    p.add_argument("--force", action="store_true", help=N_("replace an existing programme.yaml"))
    p.set_defaults(run=_cmd_init)


def _add_validate(sub: _Sub) -> None:
    p = sub.add_parser("validate", help=N_("check a programme folder against the data contract"))
    p.add_argument("folder", help=N_("folder holding mentors.csv, mentees.csv, ..."))
    p.set_defaults(run=_cmd_validate)


def _add_sample(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sample", parents=[common], help=N_("write a synthetic sample programme"))
    p.add_argument("--out", required=True, help=N_("folder to write"))
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--mentees", type=int, default=300)
    p.add_argument("--mentors", type=int, default=90)
    p.add_argument("--weeks", type=int, default=16)
    p.set_defaults(run=_cmd_sample)


def _add_match(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "match",
        parents=[common],
        help=N_("pair mentees with mentors under a rule set"),
        description=N_(
            "Score every mentee-mentor pair under the rules and find the optimal "
            "pairing; writes the pairs (with each criterion's points) as CSV."
        ),
    )
    p.add_argument("folder", help=N_("programme folder (mentors.csv and mentees.csv are used)"))
    p.add_argument(
        "--rules",
        help=N_(
            "rules YAML (e.g. data/samples/rules/default.yaml); default: the rules of the "
            "folder's programme.yaml, else those proposed from its attributes, else the default "
            "rules of the sample's layout"
        ),
    )
    p.add_argument("--out", required=True, help=N_("CSV file for the pairs"))
    p.add_argument("--unmatched", help=N_("optional CSV file for everyone left unpaired and why"))
    p.add_argument(
        "--objective",
        choices=["coverage_then_score", "score", "maximin"],
        help=N_("override the rules' objective"),
    )
    p.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help=N_(
            "stop the integer programme (quotas, maximin) after SECONDS and keep the best "
            "pairing found, reporting its gap to the optimum (default: no limit; the limit is "
            "part of the provenance)"
        ),
    )
    p.set_defaults(run=_cmd_match)


def _seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type of ``--time-limit``)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


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


def _add_report(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help=N_("the whole pilot as a self-contained HTML report"),
        description=N_(
            "Intake, pairing, engagement, surveys, reliability, pre/post effects, "
            "agreement and engagement versus outcomes, as one HTML file with pseudonymised ids and "
            "small cells suppressed. Needs the study's secret key (EMENTOR_KIT_KEY or --key-file)."
        ),
    )
    p.add_argument("folder", help=N_("programme folder"))
    p.add_argument(
        "--rules",
        help=N_(
            "rules YAML for the pairing section (default: the rules of the folder's "
            "programme.yaml, else the default rules)"
        ),
    )
    p.add_argument("--out", required=True, help=N_("HTML file to write"))
    p.add_argument(
        "--as-of", help=N_("moment of the engagement assessment (default: last exchange)")
    )
    p.add_argument(
        "--k",
        type=int,
        default=5,
        help=N_("smallest count shown, at least 2: counts 1 to k - 1 are hidden (default 5)"),
    )
    p.add_argument("--key-file", help=N_("file holding the study's key (else EMENTOR_KIT_KEY)"))
    p.add_argument(
        "--no-pair-lists",
        action="store_true",
        help=N_("aggregates only: leave out the pseudonymised check-in and unpaired lists"),
    )
    p.set_defaults(run=_cmd_report)


def _cmd_import_exchanges(args: argparse.Namespace) -> int:
    with _steps(args, 3) as step:
        step("read")
        programme = read_programme(args.folder)
        step(f"import {len(args.sources)} export(s)")
        dayfirst = True if args.dayfirst else False if args.monthfirst else None
        result = import_exchanges(
            args.sources,
            programme,
            format=args.format,
            channel=args.channel,
            timezone=args.timezone,
            aliases=args.aliases,
            dayfirst=dayfirst,
        )
        step("write")
        log = result.log.assign(
            timestamp=result.log["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        )
        settings = f"format {args.format}; timezone {args.timezone}; channel {args.channel}"
        _write_csv(
            log,
            args.out,
            "import-exchanges",
            provenance_hash({"interactions": result.log}, settings),
            [f"{result.counts['read']} messages read"],
        )
    _say(result.report)
    return 0


def _add_import_exchanges(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import-exchanges",
        parents=[common],
        help=N_("the exchange log from WhatsApp, e-mail, Slack, Teams, Zoom and Meet exports"),
        description=N_(
            "Read chat, e-mail and video-meeting exports (WhatsApp, mbox/.eml, Slack "
            "workspace exports, Teams chat messages and attendance reports, Zoom, Meet, a CSV log) "
            "into interactions.csv, people resolved through the programme's declared contacts; "
            "message contents, names and numbers are never written. The import report and the "
            "progress bar go to stderr. Calendar files (.ics) hold planned sessions and are not "
            "read here."
        ),
    )
    p.add_argument("folder", help=N_("programme folder (its people are the contacts)"))
    p.add_argument(
        "sources",
        nargs="+",
        help=N_(
            "export files or folders (.txt, .zip, .mbox, .eml, .json, .csv; a Slack export's "
            "folder)"
        ),
    )
    p.add_argument("--out", required=True, help=N_("interactions.csv to write"))
    p.add_argument("--timezone", help=N_("IANA zone of exports without offsets (Europe/Paris)"))
    p.add_argument(
        "--format",
        choices=(
            "whatsapp",
            "email",
            "slack",
            "teams-chat",
            "teams-attendance",
            "zoom",
            "meet",
        ),
        help=N_("default: detected from each file"),
    )
    p.add_argument("--channel", help=N_("channel of every exchange (default: the format's)"))
    p.add_argument("--aliases", help=N_("CSV with columns alias, person_id"))
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", action="store_true", help=N_("WhatsApp / Teams attendance dates are DD/MM")
    )
    order.add_argument(
        "--monthfirst", action="store_true", help=N_("WhatsApp / Teams attendance dates are MM/DD")
    )
    p.set_defaults(run=_cmd_import_exchanges)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Examples
    --------
    >>> main(["validate", "no/such/folder"])
    1
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = _language(argv)
    except EmentorKitError as error:
        _say(f"ementor-kit: {error}")
        return 2
    parser = _parser(lang)
    args = parser.parse_args(argv)
    args.lang = lang
    _lang[0] = lang
    run: Callable[[argparse.Namespace], int] = args.run
    name = args.command
    if getattr(args, "survey_command", None):
        name += " " + args.survey_command
    try:
        return run(args)
    except EmentorKitError as error:
        _say(f"ementor-kit {name}: {error.in_language(lang)}")
        return 1
    except (OSError, ValueError) as error:  # e.g. a setting the library refuses
        _say(f"ementor-kit {name}: {error}")
        return 1


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    sys.exit(main())
