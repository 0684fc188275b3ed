"""read_raw: a coordinator's own export read as text, exactly as written."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit import DataValidationError, InvalidArgumentError, RawTable, read_raw


def _write(path, rows, *, sep=";", encoding="utf-8", newline="\r\n"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _problems(excinfo):
    return [str(p) for p in excinfo.value.problems]


def test_excel_fr_csv_cp1252_semicolon_crlf_quoted_header_with_comma(tmp_path):
    p = tmp_path / "mentees.csv"
    p.write_bytes(
        '"Nom, prénom";Adresse e-mail;Langues parlées;Heures\r\n'
        "Lefèvre, Anaïs;a@b.fr;Français, Anglais;1,5\r\n"
        '"Hoarau; Zoé";z@b.fr;Français;2\r\n'.encode("cp1252")
    )
    raw = read_raw(p)
    assert isinstance(raw, RawTable)
    assert list(raw.frame.columns) == ["Nom, prénom", "Adresse e-mail", "Langues parlées", "Heures"]
    assert raw.frame["Nom, prénom"].tolist() == ["Lefèvre, Anaïs", "Hoarau; Zoé"]
    assert raw.frame["Langues parlées"].tolist() == ["Français, Anglais", "Français"]
    assert (raw.encoding, raw.separator, raw.decimal) == ("cp1252", ";", ",")
    assert raw.rows == (2, 3) and raw.skipped == ()
    assert all(raw.frame[c].dtype == object for c in raw.frame.columns)


def test_utf8_with_bom_keeps_the_first_header_clean(tmp_path):
    p = _write(
        tmp_path / "m.csv", [["Horodateur", "Domaine"], ["x", "Santé"]], encoding="utf-8-sig"
    )
    raw = read_raw(p)
    assert raw.encoding == "utf-8-sig"
    assert list(raw.frame.columns) == ["Horodateur", "Domaine"]
    assert raw.frame["Domaine"].tolist() == ["Santé"]


def test_plain_utf8_comma_file_and_point_decimals(tmp_path):
    p = _write(
        tmp_path / "m.csv", [["id", "hours"], ["a", "1.5"], ["b", "2"]], sep=",", newline="\n"
    )
    raw = read_raw(p)
    assert (raw.encoding, raw.separator, raw.decimal) == ("utf-8", ",", ".")
    assert raw.frame["hours"].tolist() == ["1.5", "2"]


def test_tab_separated_and_lone_cr_line_endings(tmp_path):
    p = _write(tmp_path / "m.txt", [["id", "langues"], ["a", "fr, en"]], sep="\t", newline="\r")
    raw = read_raw(p)
    assert raw.separator == "\t"
    assert raw.frame.to_dict("list") == {"id": ["a"], "langues": ["fr, en"]}


def test_latin1_bytes_outside_cp1252_are_read_as_latin1(tmp_path):
    p = tmp_path / "m.csv"
    p.write_bytes("id;nom\r\n1;Zo\xe9\x81\r\n".encode("latin-1"))
    raw = read_raw(p)
    assert raw.encoding == "latin-1"
    assert raw.frame["nom"].tolist() == ["Zoé\x81"]


def test_cells_are_kept_exactly_as_written_and_empty_is_none(tmp_path):
    rows = [["id", "a", "b", "c"], [" 007 ", "NA", "1e3", ""], ["x", "TRUE", "N/A", " "]]
    raw = read_raw(_write(tmp_path / "m.csv", rows))
    assert raw.frame.to_dict("list") == {
        "id": [" 007 ", "x"],
        "a": ["NA", "TRUE"],
        "b": ["1e3", "N/A"],
        "c": [None, " "],
    }


def test_trailing_and_inner_empty_rows_are_skipped_and_reported(tmp_path):
    rows = [
        ["id", "a", "b"],
        ["1", "x", "y"],
        ["", "", ""],
        ["2", "z", ""],
        ["", "", ""],
        ["", "", ""],
    ]
    raw = read_raw(_write(tmp_path / "m.csv", rows))
    assert raw.frame["id"].tolist() == ["1", "2"]
    assert raw.rows == (2, 4)
    assert raw.skipped == ((3, "empty row"), (5, "empty row"), (6, "empty row"))


def test_quoted_line_break_is_one_spreadsheet_row(tmp_path):
    rows = [["id", "commentaire"], ["1", "ligne 1\nligne 2"], ["2", "ok"]]
    raw = read_raw(_write(tmp_path / "m.csv", rows))
    assert raw.frame["commentaire"].tolist() == ["ligne 1\nligne 2", "ok"]
    assert raw.rows == (2, 3)


def test_ragged_rows_are_errors_naming_every_row_never_filled(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("id;a;b\r\n1;x;y\r\n2;x\r\n3;x;y;z\r\n4;x\r\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_raw(p)
    rows = {p.rows: p.message for p in exc.value.problems}
    assert rows == {
        (3, 5): "2 fields where the header has 3",
        (4,): "4 fields where the header has 3",
    }
    assert "quotes" in str(exc.value)


def test_duplicated_headers_name_both_columns(tmp_path):
    p = _write(tmp_path / "m.csv", [["Email", "Nom", "Email"], ["a", "b", "c"]])
    with pytest.raises(DataValidationError) as exc:
        read_raw(p)
    (problem,) = exc.value.problems
    assert problem.column == "Email"
    assert "columns A and C are both named 'Email'" in problem.message


def test_values_under_no_header_are_an_error_an_empty_unnamed_column_is_skipped(tmp_path):
    p = _write(tmp_path / "m.csv", [["id", "", "b", ""], ["1", "", "x", "oops"]])
    with pytest.raises(DataValidationError) as exc:
        read_raw(p)
    assert [(q.column, q.rows) for q in exc.value.problems] == [("column D", (2,))]
    raw = read_raw(_write(tmp_path / "n.csv", [["id", "", "b"], ["1", "", "x"]]))
    assert list(raw.frame.columns) == ["id", "b"]
    assert raw.skipped == ((1, "column B has neither header nor values"),)


def test_an_unclosed_quote_is_a_data_error(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text('id;a\r\n1;"never closed\r\n2;x\r\n', encoding="utf-8")
    with pytest.raises(DataValidationError, match="quotes"):
        read_raw(p)


def test_forcing_the_wrong_encoding_says_how_to_fix_it(tmp_path):
    p = tmp_path / "m.csv"
    p.write_bytes("id;nom\r\n1;Zoé\r\n".encode("cp1252"))
    with pytest.raises(DataValidationError, match="not utf-8 text.*leave the encoding out"):
        read_raw(p, encoding="utf-8")
    assert read_raw(p, encoding="cp1252", separator=";").frame["nom"].tolist() == ["Zoé"]


def test_bad_arguments_and_missing_files(tmp_path):
    p = _write(tmp_path / "m.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(InvalidArgumentError, match="sheet"):
        read_raw(p, sheet="Feuil1")
    with pytest.raises(InvalidArgumentError, match="encoding"):
        read_raw(p, encoding="no-such-codec")
    with pytest.raises(InvalidArgumentError, match="separator"):
        read_raw(p, separator=";;")
    with pytest.raises(DataValidationError, match="file not found"):
        read_raw(tmp_path / "absent.csv")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(DataValidationError, match=r"\.xls.*save it as \.xlsx"):
        read_raw(tmp_path / "old.xls")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataValidationError):
        read_raw(tmp_path / "broken.xlsx")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DataValidationError, match="no data"):
        read_raw(tmp_path / "empty.csv")


def _workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_cells_as_text_empty_rows_reported(tmp_path):
    rows = [
        ["Horodateur", "Heures", "Nom", "Oui/Non"],
        [dt.datetime(2026, 9, 2, 14, 3, 22), 1.5, "Anaïs", True],
        [None, None, None, None],
        [dt.datetime(2026, 9, 3), 2, None, False],
    ]
    raw = read_raw(_workbook(tmp_path / "r.xlsx", {"Réponses": rows, "Feuil2": []}))
    assert raw.sheet == "Réponses" and raw.encoding is None and raw.separator is None
    assert raw.frame.to_dict("list") == {
        "Horodateur": ["2026-09-02 14:03:22", "2026-09-03"],
        "Heures": ["1.5", "2"],
        "Nom": ["Anaïs", None],
        "Oui/Non": ["TRUE", "FALSE"],
    }
    assert raw.rows == (2, 4) and raw.skipped == ((3, "empty row"),)


def test_multi_sheet_xlsx_needs_sheet_and_says_so(tmp_path):
    p = _workbook(tmp_path / "r.xlsx", {"Mentors": [["id"], ["m1"]], "Mentorés": [["id"], ["e1"]]})
    with pytest.raises(DataValidationError) as exc:
        read_raw(p)
    text = str(exc.value)
    assert "'Mentors', 'Mentorés'" in text and "sheet='Mentors'" in text
    assert read_raw(p, sheet="Mentorés").frame["id"].tolist() == ["e1"]
    with pytest.raises(DataValidationError, match="no sheet named 'Feuil1'"):
        read_raw(p, sheet="Feuil1")
    with pytest.raises(InvalidArgumentError, match="encoding"):
        read_raw(p, encoding="cp1252")


def test_a_workbook_renamed_csv_is_read_as_a_workbook(tmp_path):
    p = _workbook(tmp_path / "r.xlsx", {"S": [["id", "x"], ["a", 1]]})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(p.read_bytes())
    assert read_raw(renamed).frame.to_dict("list") == {"id": ["a"], "x": ["1"]}


def test_ods_cells_as_text_and_multi_sheet_error(tmp_path):
    p = tmp_path / "r.ods"
    frame = pd.DataFrame({"Nom": ["Anaïs", "Mehdi"], "Heures": [1.5, 2.0]}, dtype=object)
    with pd.ExcelWriter(p, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Réponses", index=False)
    raw = read_raw(p)
    assert raw.sheet == "Réponses"
    assert raw.frame.to_dict("list") == {"Nom": ["Anaïs", "Mehdi"], "Heures": ["1.5", "2"]}
    two = tmp_path / "two.ods"
    with pd.ExcelWriter(two, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="A", index=False)
        frame.to_excel(writer, sheet_name="B", index=False)
    with pytest.raises(DataValidationError, match="2 sheets with data: 'A', 'B'"):
        read_raw(two)
    assert len(read_raw(two, sheet="B").frame) == 2


# --------------------------------------------------------------------------- properties

_HEADER = st.text(st.characters(categories=["L", "N"], max_codepoint=0x24F), min_size=1, max_size=8)
_CELL_CHARS = st.characters(
    categories=["L", "N", "P", "Zs"], max_codepoint=0xFF, exclude_characters=",;\t\r\n\x85"
)


def _cp1252_safe(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def _tables(draw):
    n_cols = draw(st.integers(2, 5))
    headers = draw(st.lists(_HEADER, min_size=n_cols, max_size=n_cols, unique_by=str.strip))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    # cells may hold the file's own separator (written in quotes) and quotes, not the others
    cell = st.text(st.one_of(_CELL_CHARS, st.just(sep), st.just('"')), max_size=10)
    rows = draw(
        st.lists(
            st.lists(cell, min_size=n_cols, max_size=n_cols).filter(
                lambda r: any(c.strip() for c in r)
            ),
            min_size=1,
            max_size=6,
        )
    )
    return headers, rows, sep


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=_tables(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_any_table_written_as_csv_reads_back_identical(tmp_path, table, encoding, newline):
    headers, rows, sep = table
    if encoding == "cp1252" and not all(_cp1252_safe(c) for r in [headers, *rows] for c in r):
        return
    p = _write(tmp_path / "t.csv", [headers, *rows], sep=sep, encoding=encoding, newline=newline)
    explicit = read_raw(p, encoding=encoding, separator=sep)
    expected = {
        h: [c if c != "" else None for c in col]
        for h, col in zip(headers, zip(*rows, strict=True), strict=True)
    }
    assert explicit.frame.to_dict("list") == expected
    assert explicit.rows == tuple(range(2, len(rows) + 2))
    detected = read_raw(p)
    assert detected.separator == sep
    data = p.read_bytes()
    try:  # cp1252 bytes that also decode as UTF-8 (e.g. "Ã©") are rightly read as UTF-8
        ambiguous = encoding == "cp1252" and data.decode("utf-8") != data.decode("cp1252")
    except UnicodeDecodeError:
        ambiguous = False
    if not ambiguous:
        assert detected.frame.to_dict("list") == expected


def test_xlsx_formula_without_a_computed_value_is_refused(tmp_path):
    """Issue 12 (fuzz harness): a formula cell written by a program (no stored result) was
    read as an empty cell, silently; a formula with its result stored reads as the result."""
    path = tmp_path / "mentees.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Nom", "Heures"])
    wb.active.append(["Alice", "=1+1"])
    wb.active.append(["Bruno", "@SUM(1)"])  # text: not a formula for a spreadsheet
    wb.save(path)
    with pytest.raises(DataValidationError) as exc:
        read_raw(path)
    (p,) = exc.value.problems
    assert (p.file, p.column, p.rows) == ("mentees.xlsx", "Heures", (2,))
    assert "'=1+1'" in p.message and "save it again" in p.fix
