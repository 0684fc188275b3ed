"""Handle survey data as personal data: keyed pseudonyms, identifier removal, small cells.

* Pseudonymised data is still personal data (GDPR, recital 26): keep the key apart from the
  data. A plain hash of an e-mail address is reversible by trying every address of a
  directory, so :func:`pseudonymise` uses a keyed hash (HMAC-SHA256) with one secret per
  study: waves and pairs link within the study, not across studies. :func:`study_key` reads
  that secret (argument, ``EMENTOR_KIT_KEY`` or a key file, stripped alike), refuses weak
  or published keys and says where it came from (:class:`KeyInfo`).
* :func:`drop_identifiers` removes direct identifiers (IP address, e-mail, names, location,
  tokens, recipient fields); the survey readers call it on import.
* :func:`suppress_small_cells` hides counts below a threshold and then enough other cells
  that no hidden count can be recovered from the published row and column totals.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from ementor_kit._checks import check_instance, check_names, check_whole
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.i18n.language import N_, translator

__all__ = [
    "DEMO_KEYS",
    "IDENTIFIER_COLUMNS",
    "KEY_ENV_VAR",
    "Deidentified",
    "KeyInfo",
    "StudyKey",
    "SuppressedTable",
    "drop_identifiers",
    "pseudonymise",
    "study_key",
    "suppress_small_cells",
]

KEY_ENV_VAR = "EMENTOR_KIT_KEY"
_MIN_KEY = 16
_MIN_DISTINCT = 8

DEMO_KEYS = frozenset(
    {
        "sample-programme-demo-key-not-for-real-data",  # notebook 04
        "demo-key-for-the-synthetic-sample-only",  # notebook 05
        "study-secret-2026-xyz",  # the examples of this module
    }
)
"""Keys published in the notebooks and examples: anyone can recompute their pseudonyms, so
:func:`study_key` refuses them unless ``demo=True``."""

IDENTIFIER_COLUMNS = (
    "IPAddress",
    "IP Address",
    "ipaddr",
    "Email",
    "E-mail",
    "Email Address",
    "EmailAddress",
    "Adresse e-mail",
    "Adresse email",
    "Courriel",
    "RecipientEmail",
    "RecipientFirstName",
    "RecipientLastName",
    "First Name",
    "FirstName",
    "Last Name",
    "LastName",
    "Name",
    "Nom",
    "Prénom",
    "Username",
    "Nom d'utilisateur",
    "LocationLatitude",
    "LocationLongitude",
    "LocationAccuracy",
    "token",
    "refurl",
    "ExternalReference",
    "ExternalDataReference",
)
"""Column names (compared without case, spaces, ``_`` or ``-``) treated as direct identifiers.
Custom variables (SurveyMonkey ``Custom Data 1``, Qualtrics embedded data) are kept: they
usually carry the study's own participant id; name them in ``extra`` when they do not."""


def _norm(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


_IDENT = {_norm(c) for c in IDENTIFIER_COLUMNS}


@dataclass(frozen=True, eq=False)
class Deidentified:
    """What :func:`drop_identifiers` returns: the table without identifiers, and their names.

    Attributes
    ----------
    table : DataFrame
        A copy of the input without the identifier columns.
    dropped : tuple of str
        Names of the columns removed, in the input's order.

    Examples
    --------
    >>> import pandas as pd
    >>> drop_identifiers(pd.DataFrame({"Email": ["a@example.org"], "Q1": [3]}))
    Deidentified(1 rows, dropped=('Email',))
    """

    table: pd.DataFrame
    dropped: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Deidentified({len(self.table)} rows, dropped={self.dropped!r})"


def drop_identifiers(df: pd.DataFrame, *, extra: Iterable[str] = ()) -> Deidentified:
    """Remove direct identifier columns, reporting which ones were removed.

    Parameters
    ----------
    df : DataFrame
        A survey table (as the readers give it).
    extra : iterable of str
        More column names to treat as identifiers (e.g. an embedded field holding e-mails).

    Returns
    -------
    Deidentified
        ``table``, a copy without the identifier columns (names compared ignoring case,
        spaces, ``_`` and ``-``), and ``dropped``, the names of the columns removed.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ResponseId": ["R_1"], "IPAddress": ["192.0.2.1"],
    ...                    "RecipientEmail": ["a@example.org"], "Q1": [3]})
    >>> out = drop_identifiers(df)
    >>> list(out.table.columns), out.dropped
    (['ResponseId', 'Q1'], ('IPAddress', 'RecipientEmail'))
    """
    more = {_norm(c) for c in extra}
    drop = [c for c in df.columns if _norm(c) in _IDENT or _norm(c) in more]
    return Deidentified(table=df.drop(columns=drop), dropped=tuple(str(c) for c in drop))


@dataclass(frozen=True)
class KeyInfo:
    """Where the study's key came from, and its fingerprint: safe to print, log or publish.

    Attributes
    ----------
    source : {"argument", "environment", "file"}
        ``key=...`` was passed, the ``EMENTOR_KIT_KEY`` environment variable was read, or a
        key file (``key_file=...``, ``ementor-kit report --key-file``).
    fingerprint : str
        8 hex digits of HMAC-SHA256(key, ``b"ementor-kit key fingerprint"``): tells two keys
        apart (two reports with the same fingerprint used the same key) without revealing it.
    demo : bool
        The key was accepted with ``demo=True`` (a published demonstration key: its pseudonyms
        protect nobody).
    path : str or None
        The key file (``source == "file"`` only). Left out of ``str()``, which goes into reports.

    Examples
    --------
    >>> info = study_key("0123456789abcdef").info
    >>> info
    KeyInfo(source='argument', fingerprint='030190bc', demo=False, path=None)
    >>> print(info)
    key passed as an argument, fingerprint 030190bc
    """

    source: str
    fingerprint: str
    demo: bool = False
    path: str | None = None

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str | None = None) -> str:
        """Where the key came from and its fingerprint, in ``lang``.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            ``str(self)`` in English.

        Examples
        --------
        >>> study_key("0123456789abcdef").info.in_language("fr")
        'clé passée en argument, empreinte 030190bc'
        """
        t = translator(lang)
        where = {
            "argument": N_("passed as an argument"),
            "environment": N_("from the {var} environment variable"),
            "file": N_("from a key file"),
        }.get(self.source, N_("from {var}"))
        kind = N_("demo key (published, not for real data)") if self.demo else N_("key")
        return t.gettext("{kind} {where}, fingerprint {fingerprint}").format(
            kind=t.gettext(kind),
            where=t.gettext(where).format(
                var=KEY_ENV_VAR if self.source == "environment" else self.source
            ),
            fingerprint=self.fingerprint,
        )


class StudyKey(bytes):
    """The study's secret as bytes, with :class:`KeyInfo` on where it came from.

    What :func:`study_key` returns; usable wherever a key is taken (``pseudonymise``,
    ``pilot_report``), where it is not checked again (a ``demo=True`` key stays accepted).
    ``repr()`` and ``str()`` never show the secret.

    Parameters
    ----------
    raw : bytes
        The secret, already checked.
    info : KeyInfo, optional
        Its source; default: an argument.

    Examples
    --------
    >>> key = study_key("0123456789abcdef")
    >>> key
    StudyKey(<hidden>, source='argument', fingerprint='030190bc')
    >>> key == b"0123456789abcdef", key.info.source
    (True, 'argument')
    """

    info: KeyInfo

    def __new__(cls, raw: bytes, info: KeyInfo | None = None) -> StudyKey:
        self = super().__new__(cls, raw)
        self.info = info or KeyInfo("argument", _fingerprint(bytes(raw)))
        return self

    def __repr__(self) -> str:
        demo = ", demo" if self.info.demo else ""
        return (
            f"StudyKey(<hidden>, source={self.info.source!r}, "
            f"fingerprint={self.info.fingerprint!r}{demo})"
        )

    __str__ = __repr__

    def __reduce__(self) -> tuple[type[StudyKey], tuple[bytes, KeyInfo]]:
        return (StudyKey, (bytes(self), self.info))


def _fingerprint(raw: bytes) -> str:
    return hmac.new(raw, b"ementor-kit key fingerprint", hashlib.sha256).hexdigest()[:8]


_NEW_KEY = N_(
    'create one per study with `python -c "import secrets; '
    'print(secrets.token_hex(32))"` and keep it apart from the data (never '
    "in the repository or the data folder)"
)


def _read_key_file(key_file: str | os.PathLike[str]) -> str:
    check_instance("key_file", key_file, (str, os.PathLike), N_("pass the path of the key file"))
    path = Path(key_file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidArgumentError(
            "key_file",
            str(path),
            N_("give the file holding the study's secret key"),
            N_("{path}: key file not found").format(path=path),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError(
            "key_file",
            str(path),
            N_("give a readable UTF-8 text file holding the key"),
            N_("{path}: cannot read the key file ({name})").format(
                path=path, name=type(exc).__name__
            ),
        ) from None


def _checked_key(raw: bytes, distinct: int, demo: bool, where: str) -> None:
    """Refuse a key that is empty, short, of few distinct characters or published.

    ``where`` names where the key was read: empty for an argument, else " in EMENTOR_KIT_KEY"
    or " in the key file PATH".
    """
    hidden = "<hidden>"  # never the secret itself, not even in the exception
    what = N_("the pseudonymisation key{where}").format(where=where)
    if not raw:
        raise InvalidArgumentError(
            "key", hidden, _NEW_KEY, N_("{what} is empty or white space only").format(what=what)
        )
    if len(raw) < _MIN_KEY:
        raise InvalidArgumentError(
            "key",
            hidden,
            N_("use a key of at least {MIN_KEY} bytes (e.g. secrets.token_hex(32))").format(
                MIN_KEY=_MIN_KEY
            ),
            N_("{what} is {n} bytes long").format(what=what, n=len(raw)),
        )
    if distinct < _MIN_DISTINCT:
        raise InvalidArgumentError(
            "key",
            hidden,
            N_(
                "use a random key of at least {MIN_DISTINCT} different characters: {NEW_KEY}"
            ).format(MIN_DISTINCT=_MIN_DISTINCT, NEW_KEY=_NEW_KEY),
            N_(
                "{what} has only {distinct} different character{what2} (a repeated "
                "pattern is guessed at once)"
            ).format(what=what, distinct=distinct, what2="s" if distinct != 1 else ""),
        )
    if not demo and raw in _DEMO_BYTES:
        raise InvalidArgumentError(
            "key",
            hidden,
            N_(
                "{NEW_KEY}; for the synthetic sample only, pass study_key(key, "
                "demo=True) and use what it returns as the key"
            ).format(NEW_KEY=_NEW_KEY),
            N_(
                "{what} is a published demonstration key: anyone can recompute its pseudonyms"
            ).format(what=what),
        )


_DEMO_BYTES = frozenset(k.encode("utf-8") for k in DEMO_KEYS)


def study_key(
    key: str | bytes | None = None,
    *,
    key_file: str | os.PathLike[str] | None = None,
    demo: bool = False,
) -> StudyKey:
    """The study's secret key, checked, with where it came from.

    The key is ``key``, else the content of ``key_file``, else the ``EMENTOR_KIT_KEY``
    environment variable. Text is stripped of white space at both ends wherever it comes
    from (a key file's final newline, a pasted space), so one key always gives the same
    pseudonyms; bytes are a binary secret and are used as given. Call it first to refuse a
    bad key before any work (what :func:`pseudonymise` does).

    Rule: at least 16 bytes (UTF-8) and at least 8 different characters (bytes for a binary
    key), and not one of :data:`DEMO_KEYS` unless ``demo=True``. A key made by
    ``secrets.token_hex(32)`` always passes.

    Parameters
    ----------
    key : str, bytes or StudyKey, optional
        The secret. A :class:`StudyKey` (what this function returns) is taken as it is.
    key_file : str or path, optional
        A UTF-8 text file holding the secret (not with ``key``).
    demo : bool
        Accept a published demonstration key (the notebooks' synthetic sample): its
        pseudonyms can be recomputed by anyone, never use it for real data.

    Returns
    -------
    StudyKey
        The key as bytes; ``.info`` (:class:`KeyInfo`) holds its source and fingerprint.

    Raises
    ------
    InvalidArgumentError
        No key given and none in the environment; an empty, short, repetitive or published
        key; both ``key`` and ``key_file``; a key file that cannot be read (an
        :class:`~ementor_kit.errors.ArgumentTypeError` when ``key`` is neither text nor bytes).

    Examples
    --------
    >>> study_key("0123456789abcdef").info.source
    'argument'
    >>> study_key("short")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'key': the pseudonymisation key is 5 bytes long. Fix: use a key of at least 16 bytes ...
    >>> study_key("a" * 16)
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: argument 'key': the pseudonymisation key has only 1 different character ...
    >>> study_key("study-secret-2026-xyz", demo=True)
    StudyKey(<hidden>, source='argument', fingerprint='8b173555', demo)
    """
    if isinstance(key, StudyKey) and key_file is None:
        return key
    check_instance("demo", demo, bool, N_("pass demo=True or demo=False"))
    path = None
    if key is not None and key_file is not None:
        raise InvalidArgumentError(
            "key_file",
            str(key_file),
            N_("pass key=... or key_file=..., not both"),
            N_("both a key and a key file were given"),
        )
    if key is not None:
        source = "argument"
    elif key_file is not None:
        source, path, key = "file", str(key_file), _read_key_file(key_file)
    else:
        source, key = "environment", os.environ.get(KEY_ENV_VAR)
        if key is None or key == "":
            raise InvalidArgumentError(
                "key",
                None,
                N_("pass key=... or set the {KEY_ENV_VAR} environment variable. {NEW_KEY}").format(
                    KEY_ENV_VAR=KEY_ENV_VAR, NEW_KEY=_NEW_KEY
                ),
                N_("pseudonymise needs a secret key"),
            )
    check_instance(
        "key", key, (str, bytes, bytearray), N_("pass the study's secret as text or bytes")
    )
    if isinstance(key, str):
        text = key.strip()
        raw, distinct = text.encode("utf-8"), len(set(text))
    else:
        raw = bytes(key)
        distinct = len(set(raw))
    where = {"environment": f" in {KEY_ENV_VAR}", "file": f" in the key file {path}"}
    _checked_key(raw, distinct, demo, where.get(source, ""))
    return StudyKey(raw, KeyInfo(source, _fingerprint(raw), demo, path))


def pseudonymise(
    df: pd.DataFrame,
    columns: str | Sequence[str],
    key: str | bytes | None = None,
    *,
    length: int = 16,
    prefix: str = "",
    normalise: bool = False,
) -> pd.DataFrame:
    """Replace identifiers by keyed pseudonyms (HMAC-SHA256, hex).

    The same value gets the same pseudonym in every column and every table pseudonymised
    with the same key, so waves and pairs still link; without the key the pseudonyms cannot
    be recomputed from a list of candidate identifiers.

    Parameters
    ----------
    df : DataFrame
        The table holding the identifiers.
    columns : str or sequence of str
        Columns to pseudonymise (e.g. ``["respondent_id", "target_id"]``).
    key : str, bytes or StudyKey, optional
        Secret of the study (see :func:`study_key` for what is refused); default: the
        ``EMENTOR_KIT_KEY`` environment variable. Refuses to run without one.
    length : int
        Hex characters kept (8-64; 16 = 64 bits, collisions are checked).
    prefix : str
        Text put in front of every pseudonym.
    normalise : bool
        Strip spaces and ignore case first (for e-mail addresses typed differently).

    Returns
    -------
    DataFrame
        A copy with those columns replaced; missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent_id": ["E001", "E002", None],
    ...                    "target_id": ["M001", "E001", "M002"]})
    >>> key = study_key("study-secret-2026-xyz", demo=True)  # published: examples only
    >>> out = pseudonymise(df, ["respondent_id", "target_id"], key=key)
    >>> out["respondent_id"].iloc[0] == out["target_id"].iloc[1]
    True
    >>> out["respondent_id"].iloc[0], bool(out["respondent_id"].isna().iloc[2])
    ('8bafb0607afe5e9b', True)
    """
    raw_key = study_key(key)
    cols = [columns] if isinstance(columns, str) else list(columns)
    check_names("columns", cols, df.columns, what=N_("column to pseudonymise"))
    check_whole("length", length, minimum=8, maximum=64, example="16 hex characters")
    seen: dict[str, str] = {}
    out = df.copy()
    for c in cols:
        s = df[c]
        mapped: list[str | None] = []
        for v in s.tolist():
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                mapped.append(None)
                continue
            text = str(v)
            if normalise:
                text = "".join(text.split()).casefold()
            if text in seen:
                mapped.append(seen[text])
                continue
            digest = hmac.new(raw_key, text.encode("utf-8"), hashlib.sha256).hexdigest()
            seen[text] = prefix + digest[:length]
            mapped.append(seen[text])
        out[c] = pd.Series(mapped, index=s.index, dtype="str")
    if len(set(seen.values())) != len(seen):
        raise InvalidArgumentError(
            "length",
            length,
            N_("use a larger length"),
            message=N_(
                "two different identifiers got the same pseudonym with length={length}"
            ).format(length=length),
        )
    return out


# --------------------------------------------------------------------------- small cells


def _lines(r: int, c: int) -> list[list[tuple[int, int]]]:
    """Additive equations of a table with margins (row r and column c hold the totals)."""
    lines = [[(i, j) for j in range(c + 1)] for i in range(r + 1)]
    lines += [[(i, j) for i in range(r + 1)] for j in range(c + 1)]
    return lines


def _determined(full: np.ndarray, hidden: np.ndarray, lines) -> list[tuple[int, int]]:
    """Hidden cells whose value the published cells and the equations fix exactly."""
    cells = [tuple(x) for x in np.argwhere(hidden)]
    if not cells:
        return []
    pos = {cell: n for n, cell in enumerate(cells)}
    a = np.zeros((len(lines), len(cells)))
    for e, line in enumerate(lines):
        for i, j in line[:-1]:
            if (i, j) in pos:
                a[e, pos[(i, j)]] += 1
        total = line[-1]
        if total in pos:
            a[e, pos[total]] -= 1
    _, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9 * max(1.0, sv.max(initial=0))).sum())
    null = vt[rank:]
    if null.size == 0:
        return cells
    free = np.abs(null).max(axis=0) > 1e-9
    return [cells[n] for n in range(len(cells)) if not free[n]]


def _pinned(full: np.ndarray, hidden: np.ndarray, lines, skip: set) -> list[tuple[int, int]]:
    """Hidden cells that non-negativity and the published cells confine to less than one unit.

    For each hidden cell, two linear programmes find the smallest and largest value it can
    take given every table equation and counts >= 0 (what an attacker can work out).
    """
    cells = [tuple(x) for x in np.argwhere(hidden)]
    pos = {cell: n for n, cell in enumerate(cells)}
    a_eq = np.zeros((len(lines), len(cells)))
    b_eq = np.zeros(len(lines))
    for e, line in enumerate(lines):
        for n, cell in enumerate(line):
            sign = -1.0 if n == len(line) - 1 else 1.0
            if cell in pos:
                a_eq[e, pos[cell]] += sign
            else:
                b_eq[e] -= sign * full[cell]
    out = []
    for cell, n in pos.items():
        if cell in skip:
            continue
        c = np.zeros(len(cells))
        c[n] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        top = np.inf if hi.status == 3 else -hi.fun
        if top - lo.fun < 1 - 1e-9:
            out.append(cell)
    return out


def _exposed(full: np.ndarray, hidden: np.ndarray, lines) -> list[tuple[int, int]]:
    """Hidden cells an attacker can pin down: exactly (linear algebra) or to within one unit."""
    exact = _determined(full, hidden, lines)
    return sorted(set(exact) | set(_pinned(full, hidden, lines, set(exact))))


@dataclass(frozen=True, eq=False)
class SuppressedTable:
    """What :func:`suppress_small_cells` returns: the table to publish and what it hides.

    Attributes
    ----------
    table : DataFrame
        Counts as ``Int64`` with ``<NA>`` where suppressed (with totals when asked).
    primary : list of (row, column)
        Labels of the cells hidden because they are small.
    secondary : list of (row, column)
        Labels of the other cells hidden so that no small count can be worked out.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"a": [12, 3], "b": [15, 9]}, index=["x", "y"])
    >>> suppress_small_cells(t, k=5)
    SuppressedTable(3 x 3, 1 primary, 3 secondary)
    """

    table: pd.DataFrame
    primary: list[tuple[Hashable, Hashable]]
    secondary: list[tuple[Hashable, Hashable]]

    def __repr__(self) -> str:
        rows, cols = self.table.shape
        return (
            f"SuppressedTable({rows} x {cols}, {len(self.primary)} primary, "
            f"{len(self.secondary)} secondary)"
        )


def _checked_counts(table: pd.DataFrame) -> np.ndarray:
    """The table's values as floats, every one a non-negative whole count (else every bad
    column named at once)."""
    problems = []
    values = np.empty(table.shape, dtype=float)
    for j, col in enumerate(table.columns):
        v = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = np.isnan(v) | (v < 0) | (v != np.round(v))
        if bad.any():
            problems.append(
                Problem(
                    "table",
                    str(col),
                    tuple(int(i) + 2 for i in np.flatnonzero(bad)),
                    N_("not a non-negative whole count"),
                    N_("pass counts (e.g. from pd.crosstab), without totals"),
                )
            )
        values[:, j] = v
    if problems:
        raise DataValidationError(problems)
    return values


def _secondary(full: np.ndarray, primary: np.ndarray, hidden: np.ndarray, r: int, c: int) -> None:
    """Secondary suppression in place on ``hidden`` (the table with its margins, r x c inside)."""
    lines = _lines(r, c)
    interior = np.zeros_like(hidden)
    interior[:r, :c] = True
    exposed = _exposed(full, hidden, lines)
    exposed = _free_by_rectangles(full, primary, hidden, interior, lines, exposed)
    _free_one_by_one(full, hidden, interior, lines, exposed)


def _free_by_rectangles(
    full: np.ndarray,
    primary: np.ndarray,
    hidden: np.ndarray,
    interior: np.ndarray,
    lines: Any,
    exposed: Any,
) -> Any:
    """Step 1 of secondary suppression: for each exposed small cell, the cheapest rectangle
    of cells whose hiding frees it; returns the cells still exposed."""
    r, c = full.shape[0] - 1, full.shape[1] - 1  # the interior, inside the margins
    # 1) rectangles: hiding the corners (i, j), (i, l), (m, j), (m, l) leaves one free
    #    direction (+t, -t, -t, +t) in every equation; pick the cheapest that frees the cell
    for target in [tuple(x) for x in np.argwhere(primary)]:
        if target not in exposed:
            continue
        i, j = target
        options = []
        for m in range(r + 1):
            for col in range(c + 1):
                if m == i or col == j:
                    continue
                corners = [(i, col), (m, j), (m, col)]
                new = [x for x in corners if not hidden[x]]
                cost = (
                    sum(0 if interior[x] else 10**9 for x in new),
                    sum(int(full[x]) for x in new),
                    len(new),
                    (m, col),
                )
                options.append((cost, new))
        for _, new in sorted(options)[:25]:
            for x in new:
                hidden[x] = True
            left = _exposed(full, hidden, lines)
            if target not in left:
                exposed = left
                break
            for x in new:
                hidden[x] = False
    return exposed


def _free_one_by_one(
    full: np.ndarray, hidden: np.ndarray, interior: np.ndarray, lines: Any, exposed: Any
) -> None:
    """Step 2 of secondary suppression: add one cell at a time until nothing is exposed."""
    # 2) whatever is still exposed: add one cell at a time, sharing a line with the exposed
    #    cell, leaving the fewest exposed cells; interior before totals, then smallest
    while exposed:
        target = min(exposed)
        best = None
        for line in lines:
            if target not in line:
                continue
            for cell in line:
                if hidden[cell]:
                    continue
                hidden[cell] = True
                left = _determined(full, hidden, lines)
                hidden[cell] = False
                rank = (
                    len(left),
                    0 if interior[cell] else 1,
                    0 if full[cell] > 0 else 1,
                    int(full[cell]),
                    cell,
                )
                if best is None or rank < best[0]:
                    best = (rank, cell)
        if best is not None:
            chosen = best[1]
        else:  # every cell of its lines is hidden: widen to any cell
            rest = [tuple(x) for x in np.argwhere(~hidden)]
            if not rest:
                break
            chosen = rest[0]
        hidden[chosen] = True
        exposed = _exposed(full, hidden, lines)


def suppress_small_cells(
    table: pd.DataFrame,
    k: int = 5,
    *,
    margins: bool = True,
    suppress_zeros: bool = False,
    total_label: str = "Total",
) -> SuppressedTable:
    """Hide counts below ``k``, plus enough other cells that none can be recomputed.

    Primary suppression hides every count from 1 to k - 1 (and 0 too with
    ``suppress_zeros``), totals included. Secondary suppression then hides more cells - for
    each exposed small cell the cheapest rectangle of interior cells that frees it (fewest
    people hidden), then, if needed, single cells chosen greedily - until no hidden count can
    be worked out from the published cells and the row and column totals: every hidden cell
    is checked over all the table's equations at once (linear algebra), and with two linear
    programmes that also use the fact that counts are not negative (each hidden cell must
    keep a range of at least one unit).

    Parameters
    ----------
    table : DataFrame
        Non-negative whole counts, without totals (e.g. ``pd.crosstab(a, b)``).
    k : int
        Smallest count that may be shown (5 is common for dashboards, 10 in health
        statistics).
    margins : bool
        Add (and protect) row and column totals. Without margins only primary suppression
        applies - do not publish totals elsewhere then.
    suppress_zeros : bool
        Treat zeros as small cells too (a zero can disclose that nobody in a group gave an
        answer).
    total_label : str
        Label of the total row and column.

    Returns
    -------
    SuppressedTable
        ``table``: counts as ``Int64`` with ``<NA>`` where suppressed; ``primary`` and
        ``secondary``: the hidden cells as (row, column) labels.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"sync": [12, 3, 20], "async": [15, 9, 11]},
    ...                  index=["cohort A", "cohort B", "cohort C"])
    >>> safe = suppress_small_cells(t, k=5)
    >>> safe.table
              sync  async  Total
    cohort A  <NA>   <NA>     27
    cohort B  <NA>   <NA>     12
    cohort C    20     11     31
    Total       35     35     70
    >>> safe.primary
    [('cohort B', 'sync')]
    """
    fix = N_("pass a non-empty DataFrame of counts, e.g. pd.crosstab(a, b)")
    check_instance("table", table, pd.DataFrame, fix)
    if table.empty:
        raise InvalidArgumentError("table", table, fix, message=N_("the table is empty"))
    check_whole("k", k, minimum=1, example="5 or 10")
    values = _checked_counts(table)
    if margins and (total_label in table.index or total_label in table.columns):
        raise InvalidArgumentError(
            "total_label",
            total_label,
            N_(
                "pass counts without totals (they are added and protected here) or "
                "choose another total_label"
            ),
            message=N_("the table already has a {total_label!r} row or column").format(
                total_label=total_label
            ),
        )
    counts = values.astype(np.int64)
    r, c = counts.shape
    if margins:
        full = np.zeros((r + 1, c + 1), dtype=np.int64)
        full[:r, :c] = counts
        full[:r, c] = counts.sum(axis=1)
        full[r, :c] = counts.sum(axis=0)
        full[r, c] = counts.sum()
        index = [*table.index, total_label]
        columns = [*table.columns, total_label]
    else:
        full = counts
        index, columns = list(table.index), list(table.columns)
    lo = 0 if suppress_zeros else 1
    primary = (full >= lo) & (full < k)
    hidden = primary.copy()
    if margins and hidden.any():
        _secondary(full, primary, hidden, r, c)
    out = pd.DataFrame(full, index=index, columns=columns).astype("Int64")
    out = out.mask(hidden)
    out.index.name, out.columns.name = table.index.name, table.columns.name
    labels = np.array(index, dtype=object), np.array(columns, dtype=object)
    return SuppressedTable(
        table=out,
        primary=[(labels[0][i], labels[1][j]) for i, j in np.argwhere(primary)],
        secondary=[(labels[0][i], labels[1][j]) for i, j in np.argwhere(hidden & ~primary)],
    )
