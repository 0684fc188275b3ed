"""Canonical bytes of tables and their digest: what :mod:`ementor_kit.provenance` hashes (private).

Shared by the provenance hash and by what keeps the bytes of tables that do not change (the
tables of a :class:`~ementor_kit.matching.PreparedPeople`, hashed once for every solve).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ementor_kit._version import __version__

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# seconds since 1970 of 1000-01-01 and 10000-01-01: inside, a year has 4 digits in both
# numpy's and strftime's formatting
_FAST_YEARS = (-30610224000, 253402300800)


def _offset_text(seconds: int) -> str:
    """``strftime("%z")`` of a UTC offset: ``+HHMM``, with seconds when it has any."""
    tz = datetime.timezone(datetime.timedelta(seconds=seconds))
    return datetime.datetime(2000, 1, 1, tzinfo=tz).strftime("%z")


def _csv_times(s: pd.Series) -> np.ndarray | None:
    """The cells ``to_csv(date_format=_DATE_FORMAT)`` writes for a datetime column, vectorised.

    pandas formats such a column with one ``strftime`` call per value (5 s for a million
    rows); here numpy formats the local time to the second (floored, as strftime does) and
    each distinct UTC offset is formatted once. None (use ``to_csv``) outside years
    1000-9999, where the two formattings could differ.
    """
    tz = getattr(s.dtype, "tz", None)
    local = (s.dt.tz_localize(None) if tz is not None else s).to_numpy().astype("datetime64[s]")
    missing = np.isnat(local)
    sec = local.view("i8")[~missing]
    if len(sec) and (sec.min() < _FAST_YEARS[0] or sec.max() >= _FAST_YEARS[1]):
        return None
    cells = np.datetime_as_string(local, unit="s")
    if tz is not None:
        utc = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[s]")
        offset = np.where(missing, 0, local.view("i8") - utc.view("i8"))
        unique, which = np.unique(offset, return_inverse=True)
        texts = np.array([_offset_text(int(o)) for o in unique], dtype=str)
        cells = np.char.add(cells, texts[0] if len(unique) == 1 else texts[which])
    cells = cells.astype(object)
    cells[missing] = None
    return cells


def table_bytes(df: pd.DataFrame) -> bytes:
    """Canonical bytes of a table: column names and values as CSV, lists joined by ';'.

    A named index (``set_index("mentee_id")``) holds data and is hashed as leading columns;
    an unnamed one only labels rows (positions left by filtering) and is not hashed. The
    bytes are those of ``to_csv(index=False, lineterminator="\\n",
    date_format="%Y-%m-%dT%H:%M:%S%z")`` on that table; datetime columns are formatted
    beforehand the same way, only faster (:func:`_csv_times`).
    """
    canon = df.reset_index() if any(n is not None for n in df.index.names) else df
    canon = canon.copy(deep=False)  # columns are replaced below, never written into
    for i in range(canon.shape[1]):
        col = canon.iloc[:, i]
        if col.dtype == object:
            joined = [";".join(map(str, v)) if isinstance(v, (tuple, list)) else v for v in col]
            canon.isetitem(i, joined)
        elif isinstance(col.dtype, pd.DatetimeTZDtype) or (
            isinstance(col.dtype, np.dtype) and col.dtype.kind == "M"
        ):
            cells = _csv_times(col)
            if cells is not None:
                canon.isetitem(i, cells)
    text = canon.to_csv(index=False, lineterminator="\n", date_format=_DATE_FORMAT)
    return text.encode("utf-8")


def hash_bytes(table_bytes: Mapping[str, bytes], settings: str = "") -> str:
    """:func:`~ementor_kit.provenance.provenance_hash` of tables given as :func:`table_bytes`."""
    digest = hashlib.sha256()
    digest.update(f"ementor-kit {__version__}\n".encode())
    for name in sorted(table_bytes):
        data = table_bytes[name]
        digest.update(f"table {name} {len(data)}\n".encode())
        digest.update(data)
    digest.update(f"settings {len(settings)}\n".encode())
    digest.update(settings.encode("utf-8"))
    return "ek1-" + digest.hexdigest()[:16]
