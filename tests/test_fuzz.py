"""Fuzz harness (issue 12, item 7): damaged copies of every input file type the package reads.

Each test draws one damage of one class (hypothesis, derandomised: CI sees the same cases)
and applies it to one file: the programme folder's people CSVs (read by ``read_programme``,
with the sample's ``programme.yaml`` and in the contract layout without it), ``.xlsx`` and
``.ods`` intake exports (``read_raw`` then ``read_people``), the bundled survey exports
(``read_survey``) and exchange exports written by :mod:`ementor_kit.exchanges.generate`
(``import_exchanges``: WhatsApp, mbox, Zoom).

The invariant, checked on every case:

- either an :class:`~ementor_kit.errors.EmentorKitError` whose message names the damaged file
  and, when the damage touched one row or one column, that row or column;
- or success where every input row is used or reported with a reason: the rows counted
  here, independently of the reader (physical lines, CSV records, message headers), equal
  the rows out plus the rows the reader reports as skipped;
- never any other exception (a raw pandas, openpyxl, ``UnicodeDecodeError`` or ``KeyError``
  traceback).

The number of cases drawn per file type and damage class is printed at the end of the module
(``FUZZ CASES ...`` lines in the terminal summary).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ementor_kit as ek
from ementor_kit.datasets import sample_dir
from ementor_kit.errors import DataValidationError, EmentorKitError
from ementor_kit.exchanges.generate import (
    write_mbox_export,
    write_whatsapp_export,
    write_zoom_report,
)

CLASSES = (
    "cut_row",
    "drop_field",
    "add_field",
    "flip_bytes",
    "shuffle_bytes",
    "reencode",
    "duplicate_header",
    "formula",
    "invisible",
    "empty",
    "header_only",
)
EXAMPLES = 10  # per file type and class (fewer when a class has fewer distinct cases): ~45 s
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: the known bugs stay cheap
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_WHATSAPP_UTF16 = "exchanges.whatsapp: a UTF-16 export is not decoded: every line skipped"
KNOWN = {  # the cases of this run that meet a bug (deterministic: derandomize=True)
}
"""(file type, class) -> the bug that makes the invariant fail: those cases are marked
``xfail(strict=True)``, so the test fails (XPASS) once the bug is fixed."""


def _cases(kinds: tuple[str, ...], known_as: str | None = None) -> list:
    """(kind, class) parameters, with the known bugs marked xfail(strict=True)."""
    out = []
    for kind in kinds:
        for cls in CLASSES:
            reason = KNOWN.get((known_as or kind, cls))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(kind, cls, marks=marks, id=f"{kind}-{cls}"))
    return out


COUNTS: Counter[tuple[str, str]] = Counter()
OUTCOMES: Counter[tuple[str, str, str]] = Counter()

ENCODINGS = ("cp1252", "latin-1", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-8")
FORMULAS = (
    "=1+1",
    "+33 6 12",
    "-2+3",
    "@SUM(1)",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
)
INVISIBLE = {
    "nbsp": "\u00a0",
    "narrow nbsp": "\u202f",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "left-to-right mark": "\u200e",
    "right-to-left override": "\u202e",
    "byte-order mark": "\ufeff",
    "control U+0001": "\x01",
    "control U+001B": "\x1b",
    "delete U+007F": "\x7f",
}
ZONE = "Europe/Paris"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"FUZZ CASES {kind} {cls}: {n}" for (kind, cls), n in sorted(COUNTS.items())]
    by_class = Counter()
    for (_, cls), n in COUNTS.items():
        by_class[cls] += n
    lines += [f"FUZZ CLASS {cls}: {by_class[cls]}" for cls in CLASSES]
    lines += [f"FUZZ OUTCOME {k} {c} {o}: {n}" for (k, c, o), n in sorted(OUTCOMES.items())]
    lines.append(f"FUZZ TOTAL: {sum(COUNTS.values())}")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # shown even when the tests pass
        for line in lines:
            if reporter is not None:
                reporter.write_line(line)
            else:  # pragma: no cover - without the terminal plugin
                print(line)


# --------------------------------------------------------------------------- damages


@dataclass
class Damaged:
    """A damaged file: its bytes and where the damage sits, when it sits in one place.

    ``row``: the 1-based physical line (spreadsheet row) touched; ``column``: the header of
    the field touched; ``lines``: the text, as lines, when it stayed text (for counting rows).
    """

    data: bytes
    row: int | None = None
    column: str | None = None
    text: str | None = None
    encoding: str = "utf-8"


def _split_lines(text: str, quoted: bool = True) -> list[str]:
    """Records with their line ends kept (``\\r\\n``, ``\\n`` or ``\\r``, as the csv module
    splits); with ``quoted``, a line break inside quotes stays inside its record."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    if not quoted:
        return lines
    out: list[str] = []
    open_quote = False
    for line in lines:
        if open_quote:
            out[-1] += line
        else:
            out.append(line)
        open_quote ^= line.count('"') % 2 == 1
    return out


def _fields(line: str, sep: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter=sep), [])


def _join(fields: list[str], sep: str, end: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=end).writerow(fields)
    return buf.getvalue()


def _end(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def damage_text(
    draw,
    cls: str,
    text: str,
    *,
    sep: str,
    header_line: int,
    data_lines: range,
    quoted: bool = True,
) -> Damaged:
    """One damage of class ``cls`` to a CSV-like text (``header_line``: 0-based index of the
    header line; ``data_lines``: the 0-based line indices holding records)."""
    lines = _split_lines(text, quoted)
    header = _fields(lines[header_line], sep)
    if cls == "empty":
        return Damaged(b"", text="")
    if cls == "header_only":
        kept = "".join(lines[: header_line + 1])
        return Damaged(kept.encode("utf-8"), text=kept)
    if cls in ("flip_bytes", "shuffle_bytes"):
        return Damaged(damage_bytes(draw, cls, text.encode("utf-8")))
    if cls == "reencode":
        enc = draw(st.sampled_from(ENCODINGS), label="encoding")
        errors = draw(st.sampled_from(["strict", "replace"]), label="errors")
        try:
            data = text.encode(enc)
        except UnicodeEncodeError:
            data = text.encode(enc, errors="replace")
            errors = "replace"
        if errors == "replace" and enc.startswith("utf-16") and draw(st.booleans(), label="bom"):
            bom = codecs.BOM_UTF16_LE if enc != "utf-16-be" else codecs.BOM_UTF16_BE
            data = data if data.startswith(bom) else bom + data
        return Damaged(data, text=data.decode(enc, errors="replace").removeprefix("\ufeff"))
    i = draw(st.sampled_from(list(data_lines)), label="line")
    fields = _fields(lines[i], sep) or [""]
    if cls == "cut_row":
        body = lines[i].rstrip("\r\n")
        at = draw(st.integers(1, max(len(body) - 1, 1)), label="cut at")
        cut = "".join(lines[:i]) + body[:at]
        return Damaged(cut.encode("utf-8"), row=i + 1, text=cut)
    if cls == "duplicate_header":
        j = draw(st.integers(0, len(header) - 1), label="column")
        other = draw(st.integers(0, len(header) - 1).filter(lambda k: k != j), label="copy of")
        new_header = list(header)
        new_header[j] = header[other]
        lines[header_line] = _join(new_header, sep, _end(lines[header_line]))
        out = "".join(lines)
        return Damaged(out.encode("utf-8"), row=header_line + 1, column=header[other], text=out)
    j = draw(st.integers(0, max(len(fields) - 1, 0)), label="field")
    column = header[j] if j < len(header) else None
    if cls == "drop_field":
        del fields[j]
    elif cls == "add_field":
        fields.insert(j, draw(st.sampled_from(["x", "", "2", "fr"]), label="added"))
        column = None
    elif cls == "formula":
        fields[j] = draw(st.sampled_from(FORMULAS), label="formula") + (
            fields[j] if draw(st.booleans(), label="keep value") else ""
        )
    elif cls == "invisible":
        fields[j] = invisible(draw, fields[j])
    else:  # pragma: no cover - every class is handled above
        raise AssertionError(cls)
    lines[i] = _join(fields, sep, _end(lines[i]) or "")
    out = "".join(lines)
    return Damaged(out.encode("utf-8"), row=i + 1, column=column, text=out)


def invisible(draw, value: str) -> str:
    """``value`` with an invisible difference: a character, NFD accents or Arabic-Indic digits."""
    how = draw(st.sampled_from(["char", "nfd", "digits"]), label="invisible")
    if how == "nfd":
        return unicodedata.normalize("NFD", value + "é")
    if how == "digits":
        return (value or "1").translate(ARABIC_INDIC) + (
            "" if any(c.isdigit() for c in value) else "٢"
        )
    char = INVISIBLE[draw(st.sampled_from(sorted(INVISIBLE)), label="char")]
    at = draw(st.integers(0, len(value)), label="at")
    return value[:at] + char + value[at:]


def damage_bytes(draw, cls: str, data: bytes) -> bytes:
    """Flip 1 to 4 bytes, or shuffle a window of up to 16 bytes."""
    buf = bytearray(data)
    if not buf:
        return bytes(buf)
    if cls == "flip_bytes":
        for _ in range(draw(st.integers(1, 4), label="flips")):
            at = draw(st.integers(0, len(buf) - 1), label="at")
            buf[at] ^= draw(st.integers(1, 255), label="xor")
        return bytes(buf)
    at = draw(st.integers(0, len(buf) - 1), label="at")
    width = draw(st.integers(2, 16), label="width")
    window = buf[at : at + width]
    order = draw(st.permutations(range(len(window))), label="order")
    buf[at : at + width] = bytes(window[k] for k in order)
    return bytes(buf)


def cut_bytes(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)), label="cut at")]


# --------------------------------------------------------------------------- the invariant


def _names_damage(err: EmentorKitError, file: str, d: Damaged) -> None:
    """The message names the file; when the damage is row/column-local, the row or column."""
    text = str(err)
    assert file in text, f"the message does not name {file}: {text}"
    if not isinstance(err, DataValidationError) or (d.row is None and d.column is None):
        return
    mine = [p for p in err.problems if file in p.file]
    assert mine, f"no problem names {file}: {text}"
    where = [
        p
        for p in mine
        if (d.row is not None and (d.row in p.rows or _mentions_line(str(p), d.row)))
        or (d.column is not None and p.column is not None and d.column.strip() in p.column)
    ]
    assert where, f"the damage at row {d.row}, column {d.column!r} is not located: {text}"


def _mentions_line(text: str, row: int) -> bool:
    """Whether a message names line/row ``row`` in its text (``line 5``, ``lines 4, 5``)."""
    return re.search(rf"\b(?:line|row)s? (?:\d+, )*{row}\b", text) is not None


def run(kind: str, cls: str, file: str, d: Damaged, read, count_in=None) -> None:
    """Read the damaged file and check the invariant; ``read()`` returns (rows out, reported)."""
    COUNTS[kind, cls] += 1
    try:
        out, reported = read()
    except EmentorKitError as err:
        OUTCOMES[kind, cls, "refused"] += 1
        _names_damage(err, file, d)
        return
    OUTCOMES[kind, cls, "read"] += 1
    if count_in is not None:
        rows_in = count_in()
        assert rows_in == out + reported, (
            f"{file}: {rows_in} rows in, {out} out + {reported} reported ({cls}, row {d.row})"
        )


def _nonblank_records(text: str, sep: str) -> list[list[str]]:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    return [r for r in rows if any(c.strip() for c in r)]


# --------------------------------------------------------------------------- people CSVs


SAMPLE = Path(sample_dir())
PEOPLE = {"mentors.csv": "mentors", "mentees.csv": "mentees"}


def _people_folder(tmp: Path, declared: bool) -> Path:
    folder = tmp / ("declared" if declared else "contract")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("mentors.csv", "mentees.csv") + (("programme.yaml",) if declared else ()):
        shutil.copy(SAMPLE / name, folder / name)
    return folder


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("declared", [True, False], ids=["programme.yaml", "contract"])
@FUZZ
@given(data=st.data())
def test_people_csv(tmp_path_factory, declared, cls, data):
    folder = _people_folder(tmp_path_factory.getbasetemp() / "people", declared)
    file = data.draw(st.sampled_from(sorted(PEOPLE)), label="file")
    text = (folder / file).read_text(encoding="utf-8")
    n = len(_split_lines(text))
    d = damage_text(data.draw, cls, text, sep=",", header_line=0, data_lines=range(1, n))
    (folder / file).write_bytes(d.data)
    kind = f"people[{'programme.yaml' if declared else 'contract'}]"

    def read():
        prog = ek.read_programme(folder)
        table = getattr(prog, PEOPLE[file])
        ids = table[f"{PEOPLE[file][:-1]}_id"].dropna()
        assert all(v.isprintable() and unicodedata.is_normalized("NFC", v) for v in ids)
        if not declared:
            return len(table), 0
        people = ek.read_people(folder)
        return len(table), sum(
            1 for f, _, why in people.skipped if f == file and why == "empty row"
        )

    def count_in():
        assert d.text is not None, "bytes damage read as success must still count"
        return len(_nonblank_records(d.text, ",")) - 1 + _blank_data_lines(d.text)

    run(kind, cls, file, d, read, count_in if d.text is not None else None)


def _blank_data_lines(text: str) -> int:
    """Lines after the header holding only separators and spaces (',,,'): rows a reader skips."""
    lines = [ln for ln in _split_lines(text)[1:] if ln.strip()]
    return sum(1 for ln in lines if not ln.strip(" \t,;\r\n"))


# --------------------------------------------------------------------------- workbooks


INTAKE = Path(ek.example_intake())


def _intake_grid() -> list[list[str | None]]:
    raw = ek.read_raw(INTAKE / "mentees.csv")
    header = [str(c) for c in raw.frame.columns]
    return [
        header,
        *(
            [None if v is None else str(v) for v in row]
            for row in raw.frame.itertuples(index=False)
        ),
    ]


def damage_grid(draw, cls: str, grid: list[list[str | None]]) -> tuple[list[list[object]], Damaged]:
    """One damage of ``cls`` to a sheet's cells; bytes classes are applied to the file later."""
    grid = [list(r) for r in grid]
    header = grid[0]
    if cls == "empty":
        return [], Damaged(b"")
    if cls == "header_only":
        return grid[:1], Damaged(b"")
    i = draw(st.integers(1, len(grid) - 1), label="row")
    j = draw(st.integers(0, len(header) - 1), label="column")
    if cls == "cut_row":  # a cut copy: the rows below gone, the rest of this row empty
        grid = grid[: i + 1]
        grid[i] = grid[i][:j] + [None] * (len(header) - j)
        return grid, Damaged(b"", row=i + 1)
    if cls == "drop_field":
        del grid[i][j]
        return grid, Damaged(b"", row=i + 1, column=header[j])
    if cls == "add_field":
        grid[i].insert(j, draw(st.sampled_from(["x", "2", "fr"]), label="added"))
        return grid, Damaged(b"", row=i + 1)
    if cls == "duplicate_header":
        other = draw(st.integers(0, len(header) - 1).filter(lambda k: k != j), label="copy of")
        grid[0][j] = header[other]
        return grid, Damaged(b"", column=header[other])
    if cls == "formula":
        grid[i][j] = draw(st.sampled_from(FORMULAS), label="formula")
        return grid, Damaged(b"", row=i + 1, column=header[j])
    if cls == "invisible":
        grid[i][j] = invisible(draw, grid[i][j] or "")
        return grid, Damaged(b"", row=i + 1, column=header[j])
    raise AssertionError(cls)  # pragma: no cover


def _write_xlsx(grid: list[list[object]], path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Réponses"
    for row in grid:
        ws.append(row)
    wb.save(path)


def _write_ods(grid: list[list[object]], path: Path) -> None:
    width = max((len(r) for r in grid), default=0)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in grid])
    frame.to_excel(path, engine="odf", header=False, index=False, sheet_name="Réponses")


_WORKBOOKS: dict[str, bytes] = {}


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@FUZZ
@given(data=st.data())
def test_intake_workbook(tmp_path_factory, suffix, cls, data):
    folder = tmp_path_factory.getbasetemp() / f"intake{suffix}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(INTAKE / "mentors.csv", folder / "mentors.csv")
    spec = (INTAKE / "programme.yaml").read_text(encoding="utf-8")
    assert "path: mentees.csv" in spec
    (folder / "programme.yaml").write_text(
        spec.replace("path: mentees.csv", f"path: mentees{suffix}"), encoding="utf-8"
    )
    file = f"mentees{suffix}"
    path = folder / file
    write = _write_xlsx if suffix == ".xlsx" else _write_ods
    grid = _intake_grid()
    if cls in ("flip_bytes", "shuffle_bytes", "reencode"):
        if suffix not in _WORKBOOKS:  # written once: a workbook stores the time it was saved
            write(grid, path)
            _WORKBOOKS[suffix] = path.read_bytes()
        raw = _WORKBOOKS[suffix]
        if cls == "reencode":  # a workbook has no text encoding: a cut file instead
            d = Damaged(cut_bytes(data.draw, raw))
        else:
            d = Damaged(damage_bytes(data.draw, cls, raw))
        path.write_bytes(d.data)
        rows_in = cells_in = None
    else:
        damaged, d = damage_grid(data.draw, cls, grid)
        if cls == "empty" and data.draw(st.booleans(), label="zero bytes"):
            path.write_bytes(b"")
        else:
            write(damaged, path)
        rows_in = sum(1 for r in damaged[1:] if any(c is not None and str(c).strip() for c in r))
        width = len(damaged[0]) if damaged else 0
        cells_in = sum(1 for r in damaged[1:] for c in r[:width] if c not in (None, ""))

    def read():
        raw = ek.read_raw(path)
        people = ek.read_people(folder)
        assert len(raw.frame) == len(people.mentees)
        if cells_in is not None:  # no value lost on the way (a formula read as empty)
            assert int(raw.frame.notna().to_numpy().sum()) == cells_in
        return len(people.mentees), sum(
            1 for f, _, why in people.skipped if f == file and why == "empty row"
        )

    run(f"intake{suffix}", cls, file, d, read, None if rows_in is None else lambda: rows_in)


# --------------------------------------------------------------------------- survey exports


SURVEYS = Path(ek.example_export("qualtrics.csv")).parent
SURVEY_CSV = sorted(p.name for p in SURVEYS.glob("*.csv"))
SURVEY_BINARY = sorted(p.name for p in SURVEYS.iterdir() if p.suffix in (".xlsx", ".sav"))


def _survey_layout(name: str) -> tuple[str, str, int]:
    """(text, separator, header rows) of a bundled CSV export."""
    data = (SURVEYS / name).read_bytes()
    text = data.decode("utf-8-sig")
    export = ek.read_survey(SURVEYS / name)
    sep = ";" if name == "limesurvey_semicolon.csv" else ","
    return text, sep, export.header_rows


@pytest.mark.parametrize(("kind", "cls"), _cases(("survey",)))
@FUZZ
@given(data=st.data())
def test_survey_export(tmp_path_factory, kind, cls, data):
    folder = tmp_path_factory.getbasetemp() / "surveys"
    folder.mkdir(parents=True, exist_ok=True)
    binary = cls in ("flip_bytes", "shuffle_bytes", "cut_row", "empty") and data.draw(
        st.booleans(), label="binary file"
    )
    name = data.draw(st.sampled_from(SURVEY_BINARY if binary else SURVEY_CSV), label="file")
    path = folder / name
    if binary:
        raw = (SURVEYS / name).read_bytes()
        if cls == "cut_row":
            d = Damaged(cut_bytes(data.draw, raw))
        elif cls == "empty":
            d = Damaged(b"")
        else:
            d = Damaged(damage_bytes(data.draw, cls, raw))
        path.write_bytes(d.data)
        count_in = None
    else:
        text, sep, header_rows = _survey_layout(name)
        n = len(_split_lines(text))
        d = damage_text(
            data.draw,
            cls,
            text,
            sep=sep,
            header_line=0,
            data_lines=range(header_rows, n),
        )
        path.write_bytes(d.data)

        def count_in():
            return len(_nonblank_records(d.text, sep)) - header_rows

        if d.text is None or cls in ("duplicate_header", "header_only") and header_rows > 1:
            count_in = None  # the header rows themselves were touched: no count to compare

    def read():
        return len(ek.read_survey(path).responses), 0

    run(f"survey[{'binary' if binary else 'csv'}]", cls, name, d, read, count_in)


# --------------------------------------------------------------------------- exchange exports


@pytest.fixture(scope="module")
def people():
    """The sample's people only (the exchange imports resolve names against them)."""
    return ek.read_people(SAMPLE)


@pytest.fixture(scope="module")
def exchange_files(tmp_path_factory, people) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exchanges")
    mentors, mentees = people
    mentor, mentee = mentors["mentor_id"].iloc[0], mentees["mentee_id"].iloc[0]
    names = {
        mentor: mentors["display_name"].iloc[0],
        mentee: mentees["display_name"].iloc[0],
    }
    t = pd.Timestamp("2026-09-12T16:00:00Z")
    log = pd.DataFrame(
        {
            "timestamp": [t + pd.Timedelta(hours=7 * k) for k in range(12)],
            "sender_id": [mentor if k % 3 else mentee for k in range(12)],
        }
    )
    chat = write_whatsapp_export(log, names, folder / f"WhatsApp Chat with {names[mentee]}.txt")
    m = pd.Timedelta(minutes=1)
    zoom = write_zoom_report(
        pd.DataFrame(
            {
                "name": [names[mentor], names[mentee], names[mentee]],
                "email": ["", "", ""],
                "join": [t, t + 2 * m, t + 30 * m],
                "leave": [t + 60 * m, t + 20 * m, t + 60 * m],
            }
        ),
        folder / "participants.csv",
    )
    mails = pd.DataFrame(
        {
            "sender": ["hugo@example.org", "mateo@example.org", "hugo@example.org"],
            "to": ["mateo@example.org", "hugo@example.org", "mateo@example.org"],
            "timestamp": pd.to_datetime(
                ["2026-09-12T12:03:00Z", "2026-09-12T18:00:00Z", "2026-09-13T08:00:00Z"]
            ),
            "message_id": ["<1@x>", "<2@x>", "<3@x>"],
            "in_reply_to": ["", "<1@x>", "<2@x>"],
        }
    )
    box = write_mbox_export(mails, folder / "mentor.mbox")
    # the 'From ' lines carry the time of writing: fixed, so that every run draws alike
    fixed = re.sub(rb"(?m)^From (\S+) .*$", rb"From \1 Sat Sep 12 12:03:00 2026", box.read_bytes())
    box.write_bytes(fixed)
    return {"whatsapp": chat, "zoom": zoom, "mbox": box}


ALIASES = pd.DataFrame(
    {"alias": ["hugo@example.org", "mateo@example.org"], "person_id": ["M001", "E001"]}
)
_WHATSAPP_START = re.compile(r"^[\ufeff\u200e\u200f]?\[?\d{1,2}/\d{1,2}/\d{2,4}")


def _exchange_rows(kind: str, text: str) -> int | None:
    """Messages or attendances in an export's text, counted without the importer."""
    lines = [ln.rstrip("\r\n") for ln in _split_lines(text, kind == "zoom")]
    if kind == "whatsapp":
        return sum(1 for ln in lines if _WHATSAPP_START.match(ln))
    if kind == "mbox":
        return sum(1 for ln in lines if ln.startswith("From "))
    head = next((k for k, ln in enumerate(lines) if ln.startswith("Name (Original Name)")), None)
    return None if head is None else sum(1 for ln in lines[head + 1 :] if ln.strip(" ,"))


@pytest.mark.parametrize(("kind", "cls"), _cases(("whatsapp", "mbox", "zoom")))
@FUZZ
@given(data=st.data())
def test_exchange_export(exchange_files, tmp_path_factory, people, kind, cls, data):
    source = exchange_files[kind]
    text = source.read_text(encoding="utf-8")
    quoted = kind == "zoom"
    lines = _split_lines(text, quoted)
    if kind == "zoom":
        head = next(k for k, ln in enumerate(lines) if ln.startswith("Name (Original Name)"))
        rows, sep = range(head + 1, len(lines)), ","
    else:
        head, rows, sep = 0, range(1, len(lines)), ("," if kind == "mbox" else " - ")[0]
    if cls == "duplicate_header" and kind != "zoom":  # no header: the first line repeated
        d = Damaged((lines[0] + text).encode("utf-8"), row=1, text=lines[0] + text)
    else:
        d = damage_text(
            data.draw, cls, text, sep=sep, header_line=head, data_lines=rows, quoted=quoted
        )
    if kind != "zoom":  # no header, no fields: the row is the place, the column means nothing
        d.column = None
    folder = tmp_path_factory.getbasetemp() / f"exchange-{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / source.name
    path.write_bytes(d.data)

    def read():
        result = ek.import_exchanges(path, people, timezone=ZONE, aliases=ALIASES, dayfirst=True)
        c = result.counts
        assert c["read"] == c["used"] + c["skipped"], c
        return c["used"], c["skipped"]

    def count_in():
        return _exchange_rows(kind, d.text)

    counted = d.text is not None and _exchange_rows(kind, d.text) is not None
    run(f"exchanges[{kind}]", cls, path.name, d, read, count_in if counted else None)


# --------------------------------------------------------------------------- the bugs found

# Each bug the harness found in a reader this harness may not change, as its smallest
# reproducer: xfail(strict=True), so the test fails (XPASS) once the bug is fixed.


def _chat(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "WhatsApp Chat with Mateo P..txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_whatsapp_line_with_a_damaged_header_is_reported(tmp_path, people):
    path = _chat(
        tmp_path,
        "12/09/2026 14:03 - Hugo J. : a\n12/09/2026 - Hugo J. : b\n"
        "13/09/2026 14:05 - Mateo P. : c\n",
    )
    try:
        c = ek.import_exchanges(path, people, timezone=ZONE, dayfirst=True).counts
    except DataValidationError as err:
        assert "line 2" in str(err) or "row 2" in str(err)
        return
    assert c["read"] == 3  # read: 2 (the middle line became the body of the first message)


def test_whatsapp_utf16_export_is_read(tmp_path, people):
    text = "12/09/2026 14:03 - Hugo J. : a\n13/09/2026 14:05 - Mateo P. : c\n"
    path = _chat(tmp_path, text.encode("utf-16"))
    c = ek.import_exchanges(path, people, timezone=ZONE, dayfirst=True).counts
    assert c["used"] == 2  # used: 0, skipped: 3


def _mbox(exchange_files, tmp_path, old: bytes, new: bytes) -> Path:
    path = tmp_path / "mentor.mbox"
    path.write_bytes(exchange_files["mbox"].read_bytes().replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"Message-ID: <1@x>", b"Message-ID: <1\xe9@x>"), (b"Date: Sat", b"Date: S\xe9t")],
)
def test_mbox_header_with_a_non_ascii_byte(exchange_files, tmp_path, people, old, new):
    path = _mbox(exchange_files, tmp_path, old, new)
    try:
        ek.import_exchanges(path, people, aliases=ALIASES)
    except EmentorKitError as err:
        assert "mentor.mbox" in str(err)


def test_mbox_with_a_byte_order_mark_keeps_its_first_message(exchange_files, tmp_path, people):
    path = tmp_path / "mentor.mbox"
    path.write_bytes(codecs.BOM_UTF8 + exchange_files["mbox"].read_bytes())
    assert ek.import_exchanges(path, people, aliases=ALIASES).counts["read"] == 3  # 2


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "renamed header",
    ],
)
def test_unrecognised_meeting_report_is_refused_naming_the_file(
    exchange_files, tmp_path, people, damage
):
    path = tmp_path / "participants.csv"
    text = exchange_files["zoom"].read_text(encoding="utf-8")
    path.write_text(
        "" if damage == "empty" else text.replace(",Join Time,", ",Name (Original Name),"),
        encoding="utf-8",
    )
    with pytest.raises(EmentorKitError, match="participants.csv"):
        ek.import_exchanges(path, people, timezone=ZONE)


def test_damaged_survey_workbook_is_a_data_validation_error(tmp_path):
    data = bytearray((SURVEYS / "msforms.xlsx").read_bytes())
    data[2507], data[2508] = data[2508], data[2507]
    path = tmp_path / "msforms.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(DataValidationError, match="msforms.xlsx"):
        ek.read_survey(path)
