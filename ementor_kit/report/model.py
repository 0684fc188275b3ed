"""What a pilot report is made of: tables, figures, sections and the report itself.

Plain frozen containers: the sections (:mod:`ementor_kit.report.sections`) fill them, the
renderer (:mod:`ementor_kit.report.render`) turns a :class:`PilotReport` into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ementor_kit._checks import one_of
from ementor_kit.errors import UnknownNameError
from ementor_kit.i18n.language import N_
from ementor_kit.report.render import render_html, section_in_language, table_in_language

__all__ = ["PilotReport", "ReportFigure", "ReportSection", "ReportTable"]


@dataclass(frozen=True, eq=False)
class ReportTable:
    """One table of the report, already pseudonymised and suppressed.

    Attributes
    ----------
    name : str
        Short identifier (``report.table(name)``).
    title : str
    data : DataFrame
        What the HTML shows: count columns are ``Int64`` with ``<NA>`` where suppressed.
    counts : tuple of str
        Columns holding counts of people, pairs, responses or exchanges.
    formats : mapping of str to str
        Format strings of columns (e.g. ``"{:.3f}"``); other columns are shown as text.
    note : str
        Caption under the table.

    Examples
    --------
    >>> t = ReportTable("n", "Counts", pd.DataFrame({"what": ["a"], "count": [7]}),
    ...                 counts=("count",))
    >>> t.name, t.counts, dict(t.formats), t.note
    ('n', ('count',), {}, '')
    """

    name: str
    title: str
    data: pd.DataFrame
    counts: tuple[str, ...] = ()
    formats: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    def in_language(self, lang: str | None = None) -> ReportTable:
        """A copy of the table with its title, note and texts in ``lang``, as the HTML shows them.

        Column names, numbers, missing (suppressed) counts, pseudonyms and codes (a status,
        a reason, a side) stay as they are: code that selects columns or filters on codes
        works in every language.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`). English returns the table itself.

        Returns
        -------
        ReportTable

        Examples
        --------
        >>> t = ReportTable("closure_outcome", "Pairs by how they ended",
        ...                 pd.DataFrame({"outcome": ["completed", "still going", "Total"],
        ...                               "count": [7, 5, 12]}), counts=("count",))
        >>> fr = t.in_language("fr")
        >>> fr.title, fr.data["outcome"].tolist(), fr.data["count"].tolist()
        ('Binômes selon leur façon de prendre fin', ['terminé', 'toujours en cours', 'Total'], [7, 5, 12])
        >>> t.in_language("en") is t
        True
        """
        return table_in_language(self, lang)


@dataclass(frozen=True, eq=False)
class ReportFigure:
    """One figure of the report as PNG bytes (saved without software metadata).

    Attributes
    ----------
    name : str
        Short identifier (``report.figures[name]``).
    title : str
        Caption under the figure.
    png : bytes
        The image (embedded in the HTML as base64).
    alt : str
        Text alternative describing what the figure shows.

    Examples
    --------
    >>> ReportFigure("f", "A figure", b"\\x89PNG", "what it shows").alt
    'what it shows'
    """

    name: str
    title: str
    png: bytes
    alt: str


@dataclass(frozen=True, eq=False)
class ReportSection:
    """One section: paragraphs, tables, figures and (collapsed) pair lists.

    Attributes
    ----------
    id : str
        Anchor of the section in the HTML (``intake``, ``pairing``...).
    title : str
    paragraphs : tuple of str
        Text before the tables (plain text, escaped in the HTML).
    tables : tuple of ReportTable
    figures : tuple of ReportFigure
    lists : tuple of ReportTable
        Pseudonymised pair lists, shown collapsed after the figures.
    texts : tuple of (str, str, str)
        ``(paragraph, language, text)``: a paragraph taken from a file rather than from the
        catalogue (an instrument's scoring note) in another language its file gives; the
        paragraph itself stays English and is shown so where no text is given.

    Examples
    --------
    >>> s = ReportSection("intake", "1. Intake", ("All files passed.",))
    >>> s.id, s.paragraphs, s.tables, s.figures, s.lists
    ('intake', ('All files passed.',), (), (), ())
    """

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    figures: tuple[ReportFigure, ...] = ()
    lists: tuple[ReportTable, ...] = ()
    texts: tuple[tuple[str, str, str], ...] = ()

    def in_language(self, lang: str | None = None) -> ReportSection:
        """A copy of the section with its title, paragraphs, tables and captions in ``lang``.

        The same translation as the HTML; its tables as :meth:`ReportTable.in_language`
        gives them. Figures keep their images (drawn in the report's language): only their
        captions and text alternatives are translated.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`). English returns the section itself.

        Returns
        -------
        ReportSection

        Examples
        --------
        >>> s = ReportSection("closure", "9. How pairs ended",
        ...                   ("Not available: the folder has no pairs.csv or no "
        ...                    "interactions.csv yet.",))
        >>> fr = s.in_language("fr")
        >>> fr.id, fr.title
        ('closure', '9. Comment les binômes ont pris fin')
        >>> print(fr.paragraphs[0])
        Non disponible : le dossier n'a pas encore de pairs.csv ou d'interactions.csv.
        >>> s.in_language("en") is s
        True
        """
        return section_in_language(self, lang)


@dataclass(frozen=True, eq=False)
class PilotReport:
    """The pilot report: sections of tables and figures, with provenance.

    Attributes
    ----------
    sections : tuple of ReportSection
    provenance : str
        :func:`~ementor_kit.provenance.provenance_hash` of every table of the programme, the
        rules YAML, the settings and the package version (never the key, never timings).
    version : str
        ementor-kit version.
    settings : mapping
        ``as_of``, ``k``, ``rules``, ``instruments``, ``alliance_outcome``, ``pair_lists``.
    key_fingerprint : str
        8 hex digits derived from the key (HMAC of a fixed text): tells which key made the
        pseudonyms without revealing it.
    key_source : str
        Where the key came from (``"argument"``, ``"environment"`` or ``"file"``; the file's
        path is never written); not in the HTML, which depends only on the inputs, the
        settings and the key itself.
    lang : str
        Language the HTML is written in (``"en"`` or ``"fr"``, the figures were drawn in it),
        and the one :meth:`table` and :meth:`section` read by default; the tables and texts
        themselves stay English (message ids), translated when they are shown.

    Examples
    --------
    >>> table = ReportTable("n", "Counts", pd.DataFrame({"what": ["a"], "count": [7]}),
    ...                     counts=("count",))
    >>> rep = PilotReport((ReportSection("s", "A section", tables=(table,)),), "ek1-0", "0.1",
    ...                   {"as_of": None, "k": 5, "rules": "default pairing rules",
    ...                    "pair_lists": True}, "00000000")
    >>> rep
    PilotReport(1 sections, 1 tables, 0 figures, provenance ek1-0)
    >>> list(rep.tables), rep.table("n")["count"].tolist()
    (['n'], [7])
    >>> rep.table("m")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.UnknownNameError: argument 'name': no table 'm' in the report. Fix: use one of 'n'
    """

    sections: tuple[ReportSection, ...]
    provenance: str
    version: str
    settings: Mapping[str, Any]
    key_fingerprint: str
    key_source: str = "argument"
    lang: str = "en"

    def __repr__(self) -> str:
        n_t = sum(len(s.tables) + len(s.lists) for s in self.sections)
        n_f = sum(len(s.figures) for s in self.sections)
        return (
            f"PilotReport({len(self.sections)} sections, {n_t} tables, {n_f} figures, "
            f"provenance {self.provenance})"
        )

    @property
    def tables(self) -> dict[str, ReportTable]:
        """Every table (pair lists included), by name, in report order."""
        return {t.name: t for s in self.sections for t in (*s.tables, *s.lists)}

    @property
    def figures(self) -> dict[str, ReportFigure]:
        """Every figure, by name, in report order."""
        return {f.name: f for s in self.sections for f in s.figures}

    def table(self, name: str, lang: str | None = None) -> pd.DataFrame:
        """The data of one table, as the HTML shows it (a copy), in ``lang``.

        The texts of the table (labels, notes of rows, subscale names) are translated as the
        HTML translates them; column names, numbers, missing (suppressed) counts, pseudonyms
        and codes (a status, a reason, a side) stay as they are, so the same code reads the
        table in every language.

        Parameters
        ----------
        name : str
            The table's name (``report.tables`` lists them).
        lang : str, optional
            ``"en"`` or ``"fr"``; default the report's language (:attr:`lang`, the process
            language when the report was made), that of :meth:`to_html` and of its figures.

        Returns
        -------
        DataFrame
            A copy of the table's data: changing it does not change the report.

        Raises
        ------
        UnknownNameError
            Naming the tables there are (also a ``KeyError``).

        Examples
        --------
        >>> data = pd.DataFrame({"what": ["a"], "count": [7]})
        >>> rep = PilotReport((ReportSection("s", "S", tables=(ReportTable("n", "N", data),)),),
        ...                   "ek1-0", "0.1", {}, "00000000")
        >>> rep.table("n").equals(data), rep.table("n") is data
        (True, False)
        >>> outcome = pd.DataFrame({"outcome": ["completed", "closed early"], "count": [7, 5]})
        >>> rep = PilotReport((ReportSection("closure", "9. How pairs ended",
        ...                    tables=(ReportTable("closure_outcome", "Outcomes", outcome),)),),
        ...                   "ek1-0", "0.1", {}, "00000000", lang="fr")
        >>> rep.table("closure_outcome")
                       outcome  count
        0              terminé      7
        1  clos avant le terme      5
        >>> rep.table("closure_outcome", lang="en")["outcome"].tolist()
        ['completed', 'closed early']
        """
        tables = self.tables
        if name not in tables:
            raise UnknownNameError(
                "name",
                name,
                one_of(tables, name),
                message=N_("no table {name!r} in the report").format(name=name),
            )
        return tables[name].in_language(self.lang if lang is None else lang).data.copy()

    def section(self, id: str, lang: str | None = None) -> ReportSection:
        """One section with its title, paragraphs, tables and captions in ``lang``.

        Parameters
        ----------
        id : str
            The section's id (``[s.id for s in report.sections]``: ``"intake"``,
            ``"pairing"``... ``"closure"``).
        lang : str, optional
            ``"en"`` or ``"fr"``; default the report's language (:attr:`lang`), as
            :meth:`table`.

        Returns
        -------
        ReportSection
            A copy translated as the HTML translates it (:meth:`ReportSection.in_language`);
            in English the section itself.

        Raises
        ------
        UnknownNameError
            Naming the sections there are (also a ``KeyError``).

        Examples
        --------
        >>> rep = PilotReport((ReportSection("closure", "9. How pairs ended"),), "ek1-0", "0.1",
        ...                   {}, "00000000", lang="fr")
        >>> rep.section("closure").title, rep.section("closure", "en").title
        ('9. Comment les binômes ont pris fin', '9. How pairs ended')
        >>> rep.section("ends")
        Traceback (most recent call last):
        ...
        ementor_kit.errors.UnknownNameError: argument 'id': no section 'ends' in the report. Fix: use one of 'closure'
        """
        sections = {s.id: s for s in self.sections}
        if id not in sections:
            raise UnknownNameError(
                "id",
                id,
                one_of(sections, id),
                message=N_("no section {id!r} in the report").format(id=id),
            )
        return sections[id].in_language(self.lang if lang is None else lang)

    def to_html(self, path: str | Path | None = None, lang: str | None = None) -> str:
        """The report as one self-contained HTML document; written to ``path`` when given.

        Inline CSS, figures as base64 PNG, no scripts and no external requests: the file can
        be e-mailed or archived as is. Same report, same bytes.

        Parameters
        ----------
        path : str or Path, optional
            File to write (UTF-8; missing folders are created).
        lang : str, optional
            ``"en"`` or ``"fr"``; default the report's language (:attr:`lang`).

        Returns
        -------
        str
            The HTML document, also when it is written to ``path``.

        Examples
        --------
        >>> import tempfile
        >>> rep = PilotReport((ReportSection("s", "A section"),), "ek1-0", "0.1",
        ...                   {"as_of": None, "k": 5, "rules": "default pairing rules",
        ...                    "pair_lists": True}, "00000000")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     text = rep.to_html(Path(d) / "out" / "report.html")
        ...     written = (Path(d) / "out" / "report.html").read_text(encoding="utf-8")
        >>> text == written == rep.to_html(), text.startswith("<!DOCTYPE html>")
        (True, True)
        """
        text = render_html(self, lang if lang is not None else self.lang)
        if path is not None:
            p = Path(path)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(text.encode("utf-8"))
        return text
