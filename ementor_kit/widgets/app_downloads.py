"""The coordinator app's downloads, built in memory from the current result.

The pairs workbook (names and contacts joined), the French-Excel CSV, the rules' YAML, the
session (:func:`~ementor_kit.widgets.app_session.session_zip`) and the programme
description; with the shortlist or circles format, the workbook and the CSV are the
format's (:func:`~ementor_kit.widgets.app_formats.format_files`). Nothing is written on the
server: the workbook passes through a private temporary folder removed at once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ementor_kit.data.people import People
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.data.validation import Programme
from ementor_kit.i18n import Translator
from ementor_kit.matching import MatchResult, MatchRules
from ementor_kit.matching.export import coordinator_csv, write_excel
from ementor_kit.widgets.app_formats import FormatResult, FormatSettings, format_files
from ementor_kit.widgets.app_session import session_zip
from ementor_kit.widgets.app_text import Decision

__all__ = ["download_files", "download_texts"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_files(
    result: MatchResult,
    rules: MatchRules,
    prog: Programme | People,
    *,
    format_result: FormatResult | None = None,
    format_settings: FormatSettings | None = None,
    files: Mapping[str, bytes] | None = None,
    spec: ProgrammeSpec | None = None,
    decisions: Sequence[Decision] = (),
) -> dict[str, tuple[str, str, bytes]]:
    """The files of ``result``, built in memory.

    Parameters
    ----------
    result, rules : MatchResult, MatchRules
        The current result and the rules it was solved with.
    prog : Programme or People
        The people (their names and contacts are joined in the workbook and the CSV).
    format_result, format_settings : optional
        The shortlist or circles format's result and settings (else one mentor per mentee).
    files, spec, decisions : optional
        The uploaded exports, the programme they were read with and the coordinator's
        decisions (for the session and ``programme.yaml``; none for the bundled sample).

    Returns
    -------
    dict
        ``{"workbook", "csv", "rules", "session", "programme": (file name, MIME type,
        bytes)}``.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> prog = ek.load_sample()
    >>> rules = ek.MatchRules()
    >>> result = ek.match(prog.mentors, prog.mentees, rules)
    >>> out = download_files(result, rules, prog)
    >>> sorted(out), out["csv"][0] == f"pairs_{result.provenance}.csv"
    (['csv', 'programme', 'rules', 'session', 'workbook'], True)
    """
    settings = format_settings if format_settings is not None else FormatSettings()
    stem = result.provenance
    kind = "pairs"
    if format_result is not None:
        book, text = format_files(format_result, settings, rules, stem, prog)
        csv = "\ufeff" + text
        kind, stem = settings.format, f"{stem}_{settings.tag()}"
    else:
        with tempfile.TemporaryDirectory(prefix="ek-download-") as tmp:
            book = write_excel(result, Path(tmp) / "pairs.xlsx", prog).read_bytes()
        csv = "\ufeff" + coordinator_csv(result, prog, excel_fr=True)
    out = {
        "workbook": (f"{kind}_{stem}.xlsx", XLSX, book),
        "csv": (f"{kind}_{stem}.csv", "text/csv", csv.encode("utf-8")),
        "rules": (
            f"rules_{result.provenance}.yaml",
            "application/x-yaml",
            (f"# provenance: {result.provenance}\n" + rules.to_yaml()).encode("utf-8"),
        ),
    }
    session = session_zip(
        rules,
        settings,
        files=files or {},
        spec=spec,
        decisions=list(decisions),
        provenance=result.provenance,
    )
    out["session"] = (f"session_{result.provenance}.zip", "application/zip", session)
    described = spec if spec is not None else getattr(prog, "spec", None)
    if isinstance(described, ProgrammeSpec):
        out["programme"] = ("programme.yaml", "application/x-yaml", described.to_yaml().encode())
    elif spec is None:
        out["programme"] = (
            "programme.txt",
            "text/plain",
            b"The bundled sample programme: ementor_kit.load_sample()\n",
        )
    return out


def download_texts(t: Translator, format: str = "one_to_one") -> dict[str, str]:
    """The link text of each download, in ``t``'s language (``format`` names the workbook).

    Examples
    --------
    >>> from ementor_kit.i18n import translator
    >>> download_texts(translator("fr"))["workbook"]
    'Classeur des binômes (.xlsx)'
    """
    texts = {
        "workbook": t.gettext("Pairs workbook (.xlsx)"),
        "csv": t.gettext("Pairs for French Excel (.csv)"),
        "rules": t.gettext("Rules (.yaml)"),
        "programme": t.gettext("Programme description"),
        "session": t.gettext("Session: data, rules and locks (.zip)"),
    }
    if format == "shortlist":
        texts["workbook"] = t.gettext("Shortlists workbook (.xlsx)")
        texts["csv"] = t.gettext("Shortlists for French Excel (.csv)")
    elif format == "circles":
        texts["workbook"] = t.gettext("Circles workbook (.xlsx)")
        texts["csv"] = t.gettext("Circles for French Excel (.csv)")
    return texts
