"""The ``ementor-kit`` command line: reproducible runs without a notebook.

Exit codes: 0 success, 1 failure (invalid data, infeasible rules, ...), 2 bad usage.
Every file written carries the provenance hash of its inputs and settings.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ementor_kit.errors import EmentorKitError

__all__ = ["main"]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _write_csv(df: pd.DataFrame, out: str, provenance: str) -> None:
    """Write ``df`` with a ``provenance`` column so every row names what produced it."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.assign(provenance=provenance).to_csv(path, index=False, lineterminator="\n")
    _say(f"wrote {len(df)} rows to {path} (provenance {provenance})")


def _cmd_validate(args: argparse.Namespace) -> int:
    from ementor_kit.validation import read_programme

    programme = read_programme(args.folder)
    print(f"{args.folder}: valid — {programme!r}")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from ementor_kit.samples import generate_programme, write_programme

    programme = generate_programme(
        n_mentees=args.mentees, n_mentors=args.mentors, weeks=args.weeks, seed=args.seed
    )
    written = write_programme(programme, args.out)
    print(f"wrote {len(written)} files to {args.out}: {programme!r}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ementor-kit",
        description="Pairing, engagement and survey analysis for e-mentoring programmes.",
        epilog="Exit codes: 0 ok, 1 failure (e.g. invalid data), 2 bad usage.",
    )
    from ementor_kit import __version__

    parser.add_argument("--version", action="version", version=f"ementor-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a programme folder against the data contract")
    p.add_argument("folder", help="folder holding mentors.csv, mentees.csv, ...")
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("sample", help="write a synthetic sample programme")
    p.add_argument("--out", required=True, help="folder to write")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--mentees", type=int, default=300)
    p.add_argument("--mentors", type=int, default=90)
    p.add_argument("--weeks", type=int, default=16)
    p.set_defaults(run=_cmd_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Examples
    --------
    >>> main(["validate", "no/such/folder"])
    1
    """
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except EmentorKitError as error:
        _say(f"ementor-kit {args.command}: {error}")
        return 1


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    sys.exit(main())
