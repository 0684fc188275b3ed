"""The result of every survey reader: :class:`SurveyExport`, and the platforms it names.

A :class:`SurveyExport` holds the responses table and what the file says about them (the
file, its layout, the rows above the first response, question texts, identifier columns
dropped, and the platform extras), so that error messages can name the file and the
spreadsheet row of a response.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ementor_kit.errors import ArgumentTypeError
from ementor_kit.i18n.language import N_

__all__ = ["FORMATS", "SurveyExport"]

FORMATS = ("qualtrics", "limesurvey", "google_forms", "surveymonkey", "msforms", "spss")
"""The platforms :func:`~ementor_kit.survey.readers.read_survey` reads, by the name it detects."""


@dataclass(frozen=True, eq=False)
class SurveyExport:
    """A survey export as read: the responses and what the file says about them.

    Every reader returns one. The survey functions that check answers
    (:func:`~ementor_kit.survey.scoring.score`, :func:`~ementor_kit.survey.scoring.recode_labels`,
    :func:`~ementor_kit.survey.internal_consistency.reliability`,
    :func:`~ementor_kit.survey.effects.compare_waves` ...) take it as they take a DataFrame,
    and then name the file and its spreadsheet rows in their error messages. Rename columns
    with :meth:`rename` and swap in edited responses with :meth:`with_responses` to keep that
    information: a DataFrame carries none (a merge or a copy of ``responses`` is a plain table,
    whose rows are counted from 2).

    Attributes
    ----------
    responses : DataFrame
        One row per response (in file order), one column per question.
    file : str
        The file read.
    format : str
        The layout read: one of :data:`FORMATS`, ``"qualtrics_legacy"`` or ``"ementor"``.
    header_rows : int
        Rows above the first response in the file: response ``i`` (from 0) is spreadsheet row
        ``header_rows + 1 + i`` (0 for SPSS, whose cases are numbered from 1).
    questions : mapping of str to str
        ``{column: question text}`` (HTML removed, matrix rows as ``"Question - row"``).
    dropped_identifiers : tuple of str
        Direct identifier columns removed on reading (empty with ``keep_identifiers=True``;
        without the columns named in ``keep=``).
    import_ids : mapping of str to str
        Qualtrics: column -> ImportId (empty for other platforms).
    value_labels : mapping of str to mapping
        SPSS: column -> ``{code: label}`` (empty for other platforms).
    user_missing : mapping of str to mapping
        SPSS: column -> ``{user-missing code: number of answers blanked}`` (empty otherwise).
    identifier_reasons : mapping of str to str
        Every column found to identify people, dropped or kept, and why: by its header
        (``"question 'Nom': a name"``) or by its content (``"content: 3 of 3 answers are
        e-mail addresses"``); see :mod:`~ementor_kit.survey.readers._identifiers`.
    declared_missing : mapping of str to mapping
        Column -> ``{declared missing code: number of answers read as missing}`` (the
        ``missing_codes=`` of the reader; LimeSurvey R data files: ``NA``); columns without
        any left out.

    Examples
    --------
    >>> import ementor_kit as ek
    >>> export = ek.read_survey(ek.example_export("qualtrics.csv"))
    >>> export
    SurveyExport(qualtrics, 3 responses, 30 columns, 17 questions, file='qualtrics.csv')
    >>> export.header_rows, export.responses.loc[0, "emx_1"]
    (3, np.int64(4))
    """

    responses: pd.DataFrame
    file: str
    format: str
    header_rows: int
    questions: Mapping[str, str]
    dropped_identifiers: tuple[str, ...] = ()
    import_ids: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    user_missing: Mapping[str, Mapping[float, int]] = field(default_factory=dict)
    identifier_reasons: Mapping[str, str] = field(default_factory=dict)
    declared_missing: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def __repr__(self) -> str:
        rows, cols = self.responses.shape
        return (
            f"SurveyExport({self.format}, {rows} responses, {cols} columns, "
            f"{len(self.questions)} questions, file={Path(self.file).name!r})"
        )

    def rename(self, columns: Mapping[str, str]) -> SurveyExport:
        """The same export with columns renamed (e.g. question codes to item ids).

        Parameters
        ----------
        columns : mapping of str to str
            Old name -> new name, as for ``DataFrame.rename``; names the responses do not
            have are ignored.

        Returns
        -------
        SurveyExport
            The responses renamed; ``questions``, ``import_ids``, ``value_labels``,
            ``user_missing``, ``identifier_reasons`` (of kept columns) and
            ``declared_missing`` follow the new names; file, format and rows unchanged.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> gf = ek.read_survey(ek.example_export("google_forms.csv"))
        >>> items = gf.rename({f"Q1_{k}": f"emx_{k}" for k in range(1, 9)})
        >>> items.questions["emx_1"] == gf.questions["Q1_1"], items.file == gf.file
        (True, True)
        """
        names = dict(columns)

        def renamed(d: Mapping[str, Any]) -> dict[str, Any]:
            return {names.get(k, k): v for k, v in d.items()}

        return dataclasses.replace(
            self,
            responses=self.responses.rename(columns=names),
            questions=renamed(self.questions),
            import_ids=renamed(self.import_ids),
            value_labels=renamed(self.value_labels),
            user_missing=renamed(self.user_missing),
            identifier_reasons=renamed(self.identifier_reasons),
            declared_missing=renamed(self.declared_missing),
        )

    def with_responses(self, responses: pd.DataFrame) -> SurveyExport:
        """The same export holding other responses from the same file (edited, recoded ...).

        Response ``i`` (by position) of the new table is still reported as spreadsheet row
        ``header_rows + 1 + i``: keep the rows as :attr:`responses` has them (file order).

        Parameters
        ----------
        responses : DataFrame
            The new responses table.

        Returns
        -------
        SurveyExport
            ``responses`` replaced, ``questions`` limited to its columns, the rest unchanged.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> export = ek.read_survey(ek.example_export("qualtrics.csv"))
        >>> typo = export.responses.copy()
        >>> typo.loc[1, "emx_3"] = 9
        >>> ek.score(export.with_responses(typo), "emx")
        Traceback (most recent call last):
        ...
        ementor_kit.errors.DataValidationError: 1 problem found:
        - .../qualtrics.csv, row 5, column 'emx_3': answer(s) 9 outside the response scale 1-5 ...
        """
        if not isinstance(responses, pd.DataFrame):
            raise ArgumentTypeError("responses", responses, N_("pass the responses as a DataFrame"))
        return dataclasses.replace(
            self,
            responses=responses,
            questions={k: v for k, v in self.questions.items() if k in responses.columns},
        )
