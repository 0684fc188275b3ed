"""Exception types raised by ementor-kit.

Every error the package raises on purpose derives from :class:`EmentorKitError`, so a
caller can catch the package's own errors without catching programming mistakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def _tr(text: str, lang: str | None) -> str:
    """``text`` in ``lang`` through the catalogue (:func:`ementor_kit.i18n.text.translate_text`).

    Imported here, not at the top: :mod:`ementor_kit.i18n` raises these errors itself, so
    importing it when this module loads would be circular.
    """
    from ementor_kit.i18n.text import translate_text

    return translate_text(text, lang, data=True)  # values are names and labels: kept as they are


def _words(lang: str | None) -> Any:
    from ementor_kit.i18n.language import translator  # circular at load time, as in _tr

    return translator(lang)


def _mark(message: str) -> str:  # as ementor_kit.i18n.N_, which cannot be imported here
    """Mark ``message`` for the catalogue (translated where the error is shown).

    Examples
    --------
    >>> _mark("is not accepted")
    'is not accepted'
    """
    return message


class EmentorKitError(Exception):
    """Base class of every error ementor-kit raises on purpose.

    ``str(error)`` is English (the message ids, what tests compare);
    :meth:`in_language` gives the same message in French, translated through the catalogue
    where the error is shown (the command line does so with ``--lang fr``).

    Examples
    --------
    >>> issubclass(DataValidationError, EmentorKitError)
    True
    >>> try:
    ...     raise InvalidArgumentError("ci", 2, "use a level between 0 and 1")
    ... except EmentorKitError as err:
    ...     print(type(err).__name__)
    InvalidArgumentError
    >>> EmentorKitError("Pairs").in_language("fr")
    'Binômes'
    """

    def in_language(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default the process language); English is ``str(self)``.

        Parts the catalogue does not hold stay in English.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> EmentorKitError("Pairs").in_language("en")
        'Pairs'
        """
        return _tr(str(self), lang)


@dataclass(frozen=True)
class Problem:
    """One problem found in an input table.

    Parameters
    ----------
    file : str
        File (or table name when the data did not come from a file).
    column : str or None
        Column concerned, ``None`` for table-level problems.
    rows : tuple of int
        Data row numbers as a spreadsheet shows them (the header is row 1, the first
        data row is row 2). Empty for table-level problems.
    message : str
        What is wrong.
    fix : str
        What to do about it.

    Examples
    --------
    >>> print(Problem("mentors.csv", "capacity", (3, 5), "not a whole number", "write 1 to 4"))
    mentors.csv, rows 3, 5, column 'capacity': not a whole number. Fix: write 1 to 4
    """

    file: str
    column: str | None
    rows: tuple[int, ...]
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:10])
            more = f" (+{len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
            where += f", row{'s' if len(self.rows) > 1 else ''} {shown}{more}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}. Fix: {self.fix}"

    def in_language(self, lang: str | None = None) -> str:
        """The problem in ``lang``: place, message and fix translated through the catalogue.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> p = Problem("mentors.csv", "capacity", (3, 5), "not a whole number", "write 1 to 4")
        >>> p.in_language("en") == str(p)
        True
        >>> print(p.in_language("fr"))
        mentors.csv, lignes 3, 5, colonne « capacity » : pas un nombre entier. Correction : write 1 to 4
        """
        t = _words(lang)
        if t.lang == "en":
            return str(self)
        where = self.file
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:10])
            rows = t.ngettext("row {rows}", "rows {rows}", len(self.rows))
            where += ", " + rows.format(rows=shown)
            if len(self.rows) > 10:
                where += t.gettext(_mark(" (+{n} more)")).format(n=len(self.rows) - 10)
        if self.column is not None:
            where += t.gettext(_mark(", column '{column}'")).format(column=self.column)
        return t.gettext(_mark("{where}: {message}. Fix: {fix}")).format(
            where=where, message=_tr(self.message, lang), fix=_tr(self.fix, lang)
        )


class DataValidationError(EmentorKitError, ValueError):
    """Input data broke the data contract; ``problems`` lists every problem found.

    Parameters
    ----------
    problems : list or tuple of Problem
        Every problem found, kept in order as the ``problems`` attribute (a tuple).

    Examples
    --------
    >>> p = Problem("mentors.csv", "capacity", (3,), "value 7 is above the maximum 4",
    ...             "use a capacity between 1 and 4")
    >>> err = DataValidationError([p])
    >>> print(err)
    1 problem found:
    - mentors.csv, row 3, column 'capacity': value 7 is above the maximum 4. Fix: use a capacity between 1 and 4
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"- {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def in_language(self, lang: str | None = None) -> str:
        """Every problem in ``lang`` (see :meth:`Problem.in_language`).

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> err = DataValidationError([Problem("mentors.csv", None, (), "empty", "fill it")])
        >>> print(err.in_language("fr"))
        1 problème trouvé :
        - mentors.csv : empty. Correction : fill it
        """
        t = _words(lang)
        if t.lang == "en":
            return str(self)
        n = len(self.problems)
        head = t.ngettext("{n} problem found:", "{n} problems found:", n).format(n=n)
        return "\n".join([head, *(f"- {p.in_language(lang)}" for p in self.problems)])


class InvalidArgumentError(EmentorKitError, ValueError):
    """A function received an argument it cannot use; the message names it and the fix.

    Parameters
    ----------
    argument : str
        Name of the argument.
    value : object
        The value received.
    fix : str
        What to pass instead.
    message : str, optional
        What is wrong with the value; by default ``"<value> is not accepted"``.

    Attributes
    ----------
    argument : str
        Name of the argument.
    value : object
        The value received.
    problem : Problem
        The same information in the form data errors use (``file`` is ``"arguments"``).

    Examples
    --------
    >>> err = InvalidArgumentError("ci", 2, "use a confidence level between 0 and 1, e.g. 0.95")
    >>> print(err)
    argument 'ci': 2 is not accepted. Fix: use a confidence level between 0 and 1, e.g. 0.95
    """

    def __init__(self, argument: str, value: object, fix: str, message: str | None = None):
        self.argument = argument
        self.value = value
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        self.problem = Problem(
            "arguments",
            argument,
            (),
            message or _mark("{shown} is not accepted").format(shown=shown),
            fix,
        )
        super().__init__(f"argument '{argument}': {self.problem.message}. Fix: {fix}")

    def in_language(self, lang: str | None = None) -> str:
        """The message in ``lang``: what is wrong and the fix, through the catalogue.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> print(InvalidArgumentError("ci", 2, "use a number > 0").in_language("fr"))
        argument « ci » : 2 n'est pas accepté. Correction : utilisez un nombre > 0
        """
        t = _words(lang)
        if t.lang == "en":
            return str(self)
        return t.gettext(_mark("argument '{argument}': {message}. Fix: {fix}")).format(
            argument=self.argument,
            message=_tr(self.problem.message, lang),
            fix=_tr(self.problem.fix, lang),
        )


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument of the wrong type (also a :class:`TypeError`).

    Parameters
    ----------
    argument : str
        Name of the argument.
    value : object
        The value received.
    fix : str
        What to pass instead.
    message : str, optional
        What is wrong; by default ``"<type> <value> is not accepted"``.

    Examples
    --------
    >>> err = ArgumentTypeError("rules", 42, "pass a MatchRules, a dict or a YAML path")
    >>> print(err)
    argument 'rules': int 42 is not accepted. Fix: pass a MatchRules, a dict or a YAML path
    """

    def __init__(self, argument: str, value: object, fix: str, message: str | None = None):
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message = message or _mark("{kind} {shown} is not accepted").format(
            kind=type(value).__name__, shown=shown
        )
        super().__init__(argument, value, fix, message)


class UnknownNameError(InvalidArgumentError, KeyError):
    """An argument names something that is not there: a column, a table, a subscale, an id.

    Also a :class:`KeyError`, so lookups by name keep the usual Python contract (``except
    KeyError``, ``Mapping.get``); the message is printed as is, not quoted like a bare key.

    Parameters
    ----------
    argument : str
        Name of the argument.
    value : object
        The name (or names) received.
    fix : str
        What to pass instead, e.g. the names that exist.
    message : str, optional
        What is wrong; by default ``"<value> is not accepted"``.

    Examples
    --------
    >>> err = UnknownNameError("keep", ["cohort"], "name columns of the responses: id, wave",
    ...                        message="column 'cohort' is not in the responses")
    >>> print(err)
    argument 'keep': column 'cohort' is not in the responses. Fix: name columns of the responses: id, wave
    >>> isinstance(err, KeyError), isinstance(err, InvalidArgumentError)
    (True, True)
    """

    __str__ = BaseException.__str__


class InfeasibleMatchingError(EmentorKitError, ValueError):
    """Required pairs, capacities or quotas cannot all be met.

    Parameters
    ----------
    constraint : str
        The constraint that cannot be met, in words.
    people : sequence of str
        Ids of the people involved (the message shows the first 20).
    detail : str, optional
        Why it cannot be met, added to the message.

    Attributes
    ----------
    constraint : str
        The constraint that cannot be met, in words.
    people : tuple of str
        Ids of the people involved.

    Examples
    --------
    >>> err = InfeasibleMatchingError("capacity of mentor r1", ["e1", "e2"], "2 required pairs")
    >>> print(err)
    cannot satisfy capacity of mentor r1: 2 required pairs. People involved: e1, e2
    >>> err.people
    ('e1', 'e2')
    """

    def __init__(self, constraint: str, people: Sequence[str], detail: str = ""):
        self.constraint = constraint
        self.people = tuple(people)
        self.detail = detail
        super().__init__(self._text(None))

    def _text(self, lang: str | None) -> str:
        t = _words(lang) if lang is not None else None
        say = (lambda m: t.gettext(m)) if t is not None else (lambda m: m)
        tr = (lambda x: _tr(x, lang)) if t is not None else (lambda x: x)
        shown = ", ".join(self.people[:20])
        if len(self.people) > 20:
            shown += say(_mark(" (+{n} more)")).format(n=len(self.people) - 20)
        msg = say(_mark("cannot satisfy {constraint}")).format(constraint=tr(self.constraint))
        if self.detail:
            msg = say(_mark("{msg}: {detail}")).format(msg=msg, detail=tr(self.detail))
        if shown:
            msg = say(_mark("{msg}. People involved: {shown}")).format(msg=msg, shown=shown)
        return msg

    def in_language(self, lang: str | None = None) -> str:
        """The message in ``lang``: the constraint and its detail through the catalogue.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> err = InfeasibleMatchingError("capacity of mentor r1", ["e1", "e2"],
        ...                               "2 required pairs but capacity 1")
        >>> print(err.in_language("fr"))
        impossible de respecter capacité du ou de la mentor·e r1 : 2 binômes imposés mais une capacité de 1. Personnes concernées : e1, e2
        """
        if _words(lang).lang == "en":
            return str(self)
        return self._text(lang)


class SolverTimeLimitError(EmentorKitError, TimeoutError):
    """The solver's time limit ran out before it found any pairing meeting every rule.

    Raised instead of returning an empty or partial pairing that would break a rule; a pairing
    found before the limit is returned with ``status == "time_limit"`` and its gap instead.

    Examples
    --------
    >>> err = SolverTimeLimitError("no pairing found within the 1 s time limit")
    >>> isinstance(err, TimeoutError), isinstance(err, EmentorKitError)
    (True, True)
    """


class DisclosureError(EmentorKitError, ValueError):
    """A count the report hides can be worked out from what the report shows.

    :func:`~ementor_kit.report.pilot_report` refuses such a report: it is a gap in the
    report's suppression, never a problem of the input data.

    Parameters
    ----------
    cell : CellRef
        The hidden count that can be worked out (anything hashable with ``table``, ``row``
        and ``column``: the report's own cell references).
    through : sequence of str
        What gives it away: the relations it takes part in.
    cells : sequence of CellRef, optional
        Every hidden count given away (``cell`` first); default ``cell`` alone.

    Attributes
    ----------
    table, column : str
        The table's name and the column of the cell.
    row : tuple of str
        The row's labels.
    through : tuple of str
        What gives it away.
    cells : tuple of CellRef
        Every hidden count given away, ``cell`` first.

    Examples
    --------
    >>> from collections import namedtuple
    >>> Cell = namedtuple("Cell", "table row column")
    >>> err = DisclosureError(Cell("prepost", ("GSE", "General self-efficacy"), "pairs"),
    ...                       ["df = pairs - 1"])
    >>> print(err)  # doctest: +ELLIPSIS
    table 'prepost', row 'GSE / General self-efficacy', column 'pairs': this hidden count can be worked out from what the report shows (df = pairs - 1). Fix: ...
    """

    def __init__(self, cell: Any, through: Sequence[str], cells: Sequence[Any] = ()) -> None:
        self.table, self.row, self.column = cell.table, cell.row, cell.column
        self.through = tuple(dict.fromkeys(through))
        self.cells = tuple(dict.fromkeys((cell, *cells)))
        super().__init__(self._text(None))

    def _text(self, lang: str | None) -> str:
        template = _mark(
            "table '{table}', row '{row}', column '{column}': this hidden count can be worked "
            "out from what the report shows ({through}). Fix: do not share this report; it is "
            "a gap in the report's suppression, please report it (a larger k may avoid it)"
        )
        if lang is not None:
            template = _words(lang).gettext(template)
        return template.format(
            table=self.table,
            row=" / ".join(self.row),
            column=self.column,
            through="; ".join(self.through),
        )

    def in_language(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the report's names of table, row and column as they are).

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language.

        Returns
        -------
        str
            The text shown to the reader.

        Examples
        --------
        >>> from collections import namedtuple
        >>> Cell = namedtuple("Cell", "table row column")
        >>> print(DisclosureError(Cell("t", ("a",), "n"), ["n = a + b"]).in_language("fr"))  # doctest: +ELLIPSIS
        tableau « t », ligne « a », colonne « n » : ce compte masqué ...
        """
        if _words(lang).lang == "en":
            return str(self)
        return self._text(lang)
