"""The data contract: table schemas, validation, and reading a programme folder.

- :mod:`~ementor_kit.data.schema`: the tables and columns of the contract (one source of truth
  for validation, the generator and the data dictionary).
- :mod:`~ementor_kit.data.validation`: :func:`validate`, :func:`read_table`,
  :func:`read_programme`, :class:`Programme`.
- A coordinator's own export: :mod:`~ementor_kit.data.raw` (:func:`read_raw`,
  :class:`RawTable`), :mod:`~ementor_kit.data.spec` (:class:`ProgrammeSpec`, the model of
  ``programme.yaml``), :mod:`~ementor_kit.data.propose` (:func:`propose_programme`) and
  :mod:`~ementor_kit.data.people` (:func:`read_people`).
- :mod:`~ementor_kit.data.preferences`: :func:`read_preferences` (``preferences.csv``: who
  ranks whom, either side).
"""

from ementor_kit.data.people import read_people
from ementor_kit.data.preferences import Preferences, read_preferences
from ementor_kit.data.propose import propose_programme, propose_rules
from ementor_kit.data.raw import RawTable, read_raw
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.data.validation import Programme, read_programme, read_table, validate

__all__ = [
    "Preferences",
    "Programme",
    "ProgrammeSpec",
    "RawTable",
    "propose_programme",
    "propose_rules",
    "read_people",
    "read_preferences",
    "read_programme",
    "read_raw",
    "read_table",
    "validate",
]
