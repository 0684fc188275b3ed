"""Provenance hashes: one short fingerprint of the inputs, settings and package version of a result.

Every output ementor-kit writes (pairs, engagement tables, scores, reports) carries the hash of
what produced it, so a file found later can be traced to its inputs and re-created exactly.
The hash covers the content of the tables (not their memory layout or the order of their
columns' creation), the settings as text (e.g. rules YAML), and the package version; it never
covers timings or paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd

from ementor_kit._version import __version__

__all__ = ["provenance_hash"]


def _table_bytes(df: pd.DataFrame) -> bytes:
    """Canonical bytes of a table: column names and values as CSV, lists joined by ';'.

    A named index (``set_index("mentee_id")``) holds data and is hashed as leading columns;
    an unnamed one only labels rows (positions left by filtering) and is not hashed.
    """
    canon = df.reset_index() if any(n is not None for n in df.index.names) else df.copy()
    for col in canon.columns:
        if canon[col].dtype == object:
            canon[col] = [
                ";".join(map(str, v)) if isinstance(v, (tuple, list)) else v for v in canon[col]
            ]
    return canon.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S%z").encode(
        "utf-8"
    )


def provenance_hash(tables: Mapping[str, pd.DataFrame], settings: str = "") -> str:
    """Fingerprint of named input tables, settings text and the ementor-kit version.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The inputs, by name. Order of the mapping does not matter; row and column order do
        (they are part of the data), and so does a named index. Timestamps are hashed to
        the second.
    settings : str
        Any settings that shaped the result, as text (rules YAML, thresholds, seed).

    Returns
    -------
    str
        ``"ek1-"`` followed by the first 16 hex digits of a SHA-256 digest.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"mentee_id": ["E001"], "mentor_id": ["M001"]})
    >>> h = provenance_hash({"pairs": df}, settings="objective: score")
    >>> h == provenance_hash({"pairs": df.copy()}, settings="objective: score")
    True
    >>> h == provenance_hash({"pairs": df}, settings="objective: maximin")
    False
    >>> len(h)
    20
    """
    digest = hashlib.sha256()
    digest.update(f"ementor-kit {__version__}\n".encode())
    for name in sorted(tables):
        data = _table_bytes(tables[name])
        digest.update(f"table {name} {len(data)}\n".encode())
        digest.update(data)
    digest.update(f"settings {len(settings)}\n".encode())
    digest.update(settings.encode("utf-8"))
    return "ek1-" + digest.hexdigest()[:16]
