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

Modules: :mod:`~ementor_kit.cli.programme` (``validate``, ``init``, ``sample``, ``match``),
:mod:`~ementor_kit.cli.engagement`, :mod:`~ementor_kit.cli.survey`,
:mod:`~ementor_kit.cli.report`, :mod:`~ementor_kit.cli.exchanges` (``import-exchanges``),
each with its commands and their parsers; :mod:`~ementor_kit.cli.parser` puts them together
(help in the chosen language) and ``_common`` holds what they share (messages in the
command's language, progress bar, heartbeat, CSV files with their provenance line).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from ementor_kit.cli._common import _lang, _say
from ementor_kit.cli.parser import _language, _parser
from ementor_kit.errors import EmentorKitError

__all__ = ["main"]


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
