"""The data contract: table schemas, validation, and reading a programme folder.

- :mod:`~ementor_kit.data.schema`: the tables and columns of the contract (one source of truth
  for validation, the generator and the data dictionary).
- :mod:`~ementor_kit.data.validation`: :func:`validate`, :func:`read_table`,
  :func:`read_programme`, :class:`Programme`.
"""

from ementor_kit.data.validation import Programme, read_programme, read_table, validate

__all__ = ["Programme", "read_programme", "read_table", "validate"]
