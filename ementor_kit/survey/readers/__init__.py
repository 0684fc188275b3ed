"""Read questionnaire exports of the common survey platforms into one tidy layout.

Every reader returns a :class:`SurveyExport`: its ``responses`` table has one row per
response and one column per question, named by the question's id on the platform (Qualtrics export tag, LimeSurvey code, SPSS
variable name; ``Q1``, ``Q2_3`` ... numbered in column order for platforms without codes:
Google Forms, SurveyMonkey, Microsoft Forms). Metadata columns keep their platform names.
Answers that are all numbers become numbers (``Int64`` or ``float64``), everything else stays
text; empty cells are missing. Id columns (response ids such as ``ResponseId``, ``id``,
``Respondent ID``, ``ID``; ``respondent_id``, ``target_id``; any named in ``id_columns=``)
are always text as written (``001`` stays ``001``; SPSS numbers as ``7``, not ``7.0``), so
that waves pair whatever the platform. Nothing else is changed, so answer codes can be
checked by :func:`ementor_kit.survey.scoring.score`.

CSV exports are decoded in the encoding given (``encoding=``) or the one detected (UTF-8
with or without a byte-order mark, else cp1252 or latin-1, as
:func:`~ementor_kit.data.raw.read_raw` finds it); a workbook with several sheets holding data
is read from the sheet named by ``sheet=``. A workbook is recognised by its bytes, whatever
its name (a Google Sheets ``.xlsx`` download given to :func:`read_google_forms`).

From an export to scores, two steps (see :func:`read_survey`):

1. **question codes to item ids** - rename the platform's columns to the instrument's item
   ids: ``export.rename(columns={"Q1_1": "emx_1", ...})`` (Google Forms, SurveyMonkey, Microsoft
   Forms, Qualtrics tags you did not name after the items), or ``flatten_codes=True`` /
   rename for LimeSurvey's ``EMX[SQ001]``;
2. **labels to codes** - Google Forms, SurveyMonkey and Microsoft Forms export the label
   ticked (``"Plutôt d'accord"``), not its number: convert it with
   :func:`ementor_kit.survey.scoring.recode_labels` (also ``ementor_kit.survey.recode_labels``),
   which reports every answer that is not one of the instrument's labels.

Next to ``responses``, the export holds (never in ``DataFrame.attrs``, which pandas drops):

* ``questions`` - ``{column: question text}`` (HTML removed, matrix rows as
  ``"Question - row"``);
* ``dropped_identifiers`` - direct identifier columns removed (IP address, e-mail, names,
  location, tokens, recipient fields; see :mod:`ementor_kit.survey.privacy`), unless
  ``keep_identifiers=True`` or named in ``keep=[...]``; ``identifier_reasons`` says why each
  column was found, by its header (``Nom``, ``Courriel``, ``Téléphone``, ``Adresse``, a
  SurveyMonkey "Contact information" block ...) or by its content (e-mail addresses, phone
  numbers, person names); the response and respondent ids stay (pseudonymise them with
  :func:`~ementor_kit.survey.privacy.pseudonymise`);
* ``declared_missing`` - ``{column: {code: count}}`` of the answers read as missing because
  they are one of the ``missing_codes=[...]`` declared (``-1``, ``-99``, ``NA``, ``NSP`` ...;
  an instrument's ``missing_codes``; ``NA`` by default in a LimeSurvey R data file);
* ``file``, ``format`` and ``header_rows`` - so that error messages can name the file and the
  spreadsheet row of a response (``header_rows + 1`` is the first response): give the export
  itself to :func:`~ementor_kit.survey.scoring.score` and the other survey functions;
* platform extras: ``import_ids`` (Qualtrics), ``value_labels`` and ``user_missing``
  (SPSS).

Malformed files raise :class:`~ementor_kit.errors.DataValidationError` naming the file, the
row, the column and the fix (a column name that repeats, a workbook with several sheets of
data and no ``sheet=``, bytes that are not text in the encoding given ...). :func:`write_export` writes a table in a platform's layout (to
build examples and test pipelines).
The package, one module per platform:

* :mod:`.qualtrics` - :func:`read_qualtrics` (current, 2016 "Insights" and legacy CSV formats);
* :mod:`.limesurvey` - :func:`read_limesurvey` (CSV and R data file exports);
* :mod:`.google_forms` - :func:`read_google_forms` (CSV or .xlsx);
* :mod:`.surveymonkey` - :func:`read_surveymonkey` (CSV or .xlsx);
* :mod:`.msforms` - :func:`read_msforms` (Microsoft Forms, .xlsx);
* :mod:`.spss` - :func:`read_spss` (.sav, .zsav);
* :mod:`.detect` - :func:`detect_format` and :func:`read_survey` (any of them, detected);
* :mod:`.result` - :class:`SurveyExport`, :data:`FORMATS`;
* :mod:`.writers` - :func:`write_export`;
* ``_common`` - what the readers share (reading text, CSV and workbooks, checking row widths,
  typing the answers, blanking declared missing codes, dropping identifiers);
* ``_identifiers`` - which columns identify people, and why.
"""

from __future__ import annotations

from ementor_kit.survey.readers.detect import detect_format, read_survey
from ementor_kit.survey.readers.google_forms import read_google_forms
from ementor_kit.survey.readers.limesurvey import read_limesurvey
from ementor_kit.survey.readers.msforms import read_msforms
from ementor_kit.survey.readers.qualtrics import read_qualtrics
from ementor_kit.survey.readers.result import FORMATS, SurveyExport
from ementor_kit.survey.readers.spss import read_spss
from ementor_kit.survey.readers.surveymonkey import read_surveymonkey
from ementor_kit.survey.readers.writers import write_export

__all__ = [
    "FORMATS",
    "SurveyExport",
    "detect_format",
    "read_google_forms",
    "read_limesurvey",
    "read_msforms",
    "read_qualtrics",
    "read_spss",
    "read_survey",
    "read_surveymonkey",
    "write_export",
]
