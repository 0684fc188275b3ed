"""The ``report`` command: the whole pilot as one HTML report, with the study's key."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ementor_kit.cli._common import _lang, _out, _say, _steps, _Sub
from ementor_kit.data.validation import read_programme
from ementor_kit.errors import (
    EmentorKitError,
    InvalidArgumentError,
)
from ementor_kit.i18n.language import N_
from ementor_kit.report import STEPS, pilot_report
from ementor_kit.survey.privacy import KEY_ENV_VAR, StudyKey, study_key


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
