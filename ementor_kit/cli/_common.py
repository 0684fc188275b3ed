"""What the commands share: messages in the command's language, the progress bar, the
solver's heartbeat and the CSV files with their provenance line.
"""

from __future__ import annotations

import argparse
import io
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

import pandas as pd
from tqdm import tqdm

from ementor_kit._version import __version__
from ementor_kit.i18n.language import N_, translator
from ementor_kit.i18n.text import translate_text

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


# The sub-commands' parsers, in the order ``ementor-kit --help`` lists them. ``sub`` is what
# ``add_subparsers`` returned; ``common`` the parent parser of the shared --no-progress.
_Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # argparse names the type of add_subparsers() privately
