"""The ``validate``, ``init``, ``sample`` and ``match`` commands and their parsers.

``validate`` and ``init`` print their summary and review in the command's language
(``--lang fr`` or ``EMENTOR_KIT_LANG=fr``); English output is unchanged.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from ementor_kit.cli._common import _heartbeat, _lang, _out, _say, _stamp, _steps, _Sub, _write_csv
from ementor_kit.data.folder import programme_tables, write_programme
from ementor_kit.data.propose import propose_programme
from ementor_kit.data.review_text import check_text
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.errors import (
    EmentorKitError,
    SolverTimeLimitError,
)
from ementor_kit.i18n import format_number
from ementor_kit.i18n.language import N_, translator
from ementor_kit.matching import match
from ementor_kit.provenance import provenance_hash
from ementor_kit.samples.generator import generate_programme
from ementor_kit.widgets.app_text import confidence_text, type_text


def _cmd_validate(args: argparse.Namespace) -> int:

    programme = read_programme(args.folder)
    lang = _lang[0]
    line = N_("{folder}: valid — {programme}")
    if lang == "en":
        _out(line.format(folder=args.folder, programme=repr(programme)))
    else:  # the counts in words of the language (the repr is English)
        summary = programme_summary(programme, lang)
        print(translator(lang).gettext(line).format(folder=args.folder, programme=summary))
    return 0


def programme_summary(programme: Programme, lang: str | None = None) -> str:
    """What a programme folder holds, in ``lang``: ``repr(programme)`` in English, the counts
    in words of the language otherwise.

    Parameters
    ----------
    programme : Programme
        As :func:`~ementor_kit.read_programme` returns it.
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    str

    Examples
    --------
    >>> import ementor_kit as ek
    >>> p = ek.load_sample()
    >>> programme_summary(p, "en") == repr(p)
    True
    >>> print(programme_summary(p, "fr").replace("\u202f", " "))
    90 mentor·es, 300 mentoré·es, 281 binômes, 11 182 échanges, 568 objectifs, 2 663 mises à jour d'objectifs, 283 réponses au questionnaire mentee_t0, 217 réponses au questionnaire mentee_t1, 210 réponses au questionnaire mentor_t1
    """
    t = translator(lang)
    if t.lang == "en":
        return repr(programme)

    def n(k: int) -> str:
        return format_number(k, 0, t.lang)

    sizes = {"mentors": len(programme.mentors), "mentees": len(programme.mentees)}
    for name in ("pairs", "interactions", "goals", "goal_updates"):
        df = getattr(programme, name)
        if df is not None:
            sizes[name] = len(df)
    words = {
        "mentors": lambda k: t.ngettext("{n} mentor", "{n} mentors", k),
        "mentees": lambda k: t.ngettext("{n} mentee", "{n} mentees", k),
        "pairs": lambda k: t.ngettext("{n} pair", "{n} pairs", k),
        "interactions": lambda k: t.ngettext("{n} exchange", "{n} exchanges", k),
        "goals": lambda k: t.ngettext("{n} goal", "{n} goals", k),
        "goal_updates": lambda k: t.ngettext("{n} goal update", "{n} goal updates", k),
    }
    out = [words[name](k).format(n=n(k)) for name, k in sizes.items()]
    for survey, df in sorted(programme.surveys.items()):
        text = t.ngettext("{n} {survey} response", "{n} {survey} responses", len(df))
        out.append(text.format(n=n(len(df)), survey=survey))
    if programme.preferences is not None:
        k = len(programme.preferences)
        out.append(t.ngettext("{n} preference", "{n} preferences", k).format(n=n(k)))
    return ", ".join(out)


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
    for line in review_lines(spec, _lang[0]):
        print(line)
    _say(
        N_(
            "wrote {target}: check the lines above with a 'check' note, edit it if needed, "
            "then run ementor-kit validate {folder}"
        ).format(target=target, folder=folder)
    )
    return 0


def review_lines(spec: ProgrammeSpec, lang: str | None = None) -> list[str]:
    """The review ``init`` prints, one line per decision of the proposal, in ``lang``.

    ``file | 'column' -> role.attribute (type) | how sure | seen: ... | check: ...``; in
    French the type, how sure, the answers seen of a file's own line and what to check are
    worded as the coordinator app words them (:mod:`~ementor_kit.widgets.app_text`).

    Parameters
    ----------
    spec : ProgrammeSpec
        The proposal (:func:`~ementor_kit.propose_programme`).
    lang : str, optional
        ``"en"`` or ``"fr"``; default the process language.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import ementor_kit as ek
    >>> folder = ek.example_intake()
    >>> spec = ek.propose_programme(folder / "mentors.csv", folder / "mentees.csv")
    >>> print(review_lines(spec, "en")[6])
    mentors.csv | 'Langues parlées' -> mentors.languages (language) | high | seen: Français (5), Anglais (3), Créole réunionnais, Arabe
    >>> print(review_lines(spec, "fr")[6])
    mentors.csv | 'Langues parlées' -> mentors.languages (langues) | élevé | vu : Français (5), Anglais (3), Créole réunionnais, Arabe
    """
    t = translator(lang)
    out = []
    for row in spec.review(lang="en").fillna("").itertuples(index=False):
        if t.lang == "en":
            what = (
                f"{row.column!r} -> {row.roles}.{row.attribute} ({row.type})" if row.column else ""
            )
            seen = f" | seen: {row.values_seen[:60]}" if row.values_seen else ""
            check = f" | check: {row.check}" if row.check else ""
            out.append(f"{row.file} | {what or 'file'} | {row.confidence}{seen}{check}")
            continue
        kind = type_text(row.type, t)
        what = f"{row.column!r} -> {row.roles}.{row.attribute} ({kind})" if row.column else ""
        values = check_text(row.values_seen, t) if not row.column else row.values_seen
        seen = t.gettext(" | seen: {values}").format(values=values[:60]) if values else ""
        check = t.gettext(" | check: {check}").format(check=check_text(row.check, t))
        line = f"{row.file} | {what or t.gettext('file')} | {confidence_text(row.confidence, t)}"
        out.append(line + seen + (check if row.check else ""))
    return out


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
