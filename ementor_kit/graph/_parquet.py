"""The files of a Parquet exchange log and one schema for all of them (private).

A log may come as one ``.parquet`` file or a folder of them (a platform export, a data
warehouse, Spark's ``part-*.parquet``; other files such as ``_SUCCESS`` are not part of it).
Readers that take a schema from the first file and cast the others to it (Arrow datasets,
DuckDB) would read a later file's naive local times as UTC, drop its extra columns and fill
its missing ones with nulls, without a word. So every file's footer is read here first: each
must have the first file's columns, each column of the same kind (text, number, time-zone
aware timestamp, ...), or the file is named with what differs.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_

_EMPTY, _TEXT, _NUMBER = N_("no value"), N_("text"), N_("numbers")
_AWARE = N_("timestamp with time zone")


def _kind(t: pa.DataType) -> str:
    """What a column holds, as the log's checks see it (types of one kind cast losslessly)."""
    if pa.types.is_dictionary(t):
        return _kind(t.value_type)
    if pa.types.is_null(t):
        return _EMPTY
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return _TEXT
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return _NUMBER
    if pa.types.is_timestamp(t):
        return _AWARE if t.tz else N_("timestamp without time zone")
    return str(t)


def _common(types: list[pa.DataType]) -> pa.DataType:
    """One type that holds every file's column (of one kind, or all null in some files)."""
    typed = [t for t in types if not pa.types.is_null(t)]
    if not typed:
        return pa.null()
    if all(t == typed[0] for t in typed):
        return typed[0]
    kind = _kind(typed[0])
    if kind == _TEXT:
        return pa.large_string()
    if kind == _NUMBER:
        whole = all(pa.types.is_integer(t) for t in typed)
        return pa.int64() if whole else pa.float64()
    if pa.types.is_timestamp(typed[0]):  # in the finest unit of the files (instants kept)
        finest = max(typed, key=lambda t: ["s", "ms", "us", "ns"].index(t.unit)).unit
        return pa.timestamp(finest, "UTC" if kind == _AWARE else None)
    return typed[0]


def _problem(file: str, message: str, fix: str, column: str | None = None) -> DataValidationError:
    return DataValidationError([Problem(file, column, (), message, fix)])


def log_files(path: Path) -> tuple[list[str], pa.Schema]:
    """The ``.parquet`` files of the log at ``path`` (a file, or a folder's files in name order)
    and a schema holding all of them; ``DataValidationError`` naming the file that cannot be
    read or whose columns, or their kinds, differ from the first file's."""
    if not path.exists():
        raise _problem(
            str(path),
            N_("file not found"),
            N_("give the folder of the log's .parquet files (or one .parquet file)"),
        )
    files = sorted(str(f) for f in path.glob("*.parquet")) if path.is_dir() else [str(path)]
    if not files:
        raise _problem(
            str(path),
            N_("no .parquet file in the folder"),
            N_("write the log as .parquet files into this folder"),
        )
    schemas = []
    for f in files:
        try:
            schemas.append(pq.read_schema(f))
        except (pa.ArrowInvalid, OSError) as exc:
            raise _problem(
                f,
                N_("not a readable Parquet file ({exc})").format(exc=exc),
                N_("rewrite it, or move it out of the log's folder"),
            ) from None
    first = schemas[0]
    names = [n for n in first.names if not n.startswith("__")]  # pandas' index columns aside
    for f, s in zip(files[1:], schemas[1:], strict=True):
        own = [n for n in s.names if not n.startswith("__")]
        missing = [n for n in names if n not in own]
        extra = [n for n in own if n not in names]
        if missing or extra:
            if not extra:
                text = N_("its columns differ from those of {first}: missing {missing}")
            elif not missing:
                text = N_("its columns differ from those of {first}: unexpected {extra}")
            else:
                text = N_(
                    "its columns differ from those of {first}: missing {missing}; "
                    "unexpected {extra}"
                )
            raise _problem(
                f,
                text.format(
                    first=Path(files[0]).name, missing=", ".join(missing), extra=", ".join(extra)
                ),
                N_("write every file of the log with the same columns"),
            )
    for n in names:  # each column's kind against the first file where it holds values
        kinds = [_kind(s.field(n).type) for s in schemas]
        ref = next((k for k, kind in enumerate(kinds) if kind != _EMPTY), 0)
        for f, kind in zip(files, kinds, strict=True):
            if kind not in (kinds[ref], _EMPTY):
                raise _problem(
                    f,
                    N_("holds {kind} where {first} holds {first_kind}").format(
                        kind=kind, first=Path(files[ref]).name, first_kind=kinds[ref]
                    ),
                    N_(
                        "write every file of the log with the same column types (timestamps "
                        "with their time zone)"
                    ),
                    column=n,
                )
    schema = pa.schema([(n, _common([s.field(n).type for s in schemas])) for n in names])
    return files, schema
