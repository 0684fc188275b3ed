"""ementor-kit: pairing, relationship graph and survey analysis for e-mentoring programmes.

The public API is re-exported here; see the notebooks in ``notebooks/`` for the workflow.
"""

from ementor_kit.errors import DataValidationError, EmentorKitError, Problem
from ementor_kit.samples import generate_programme, load_sample
from ementor_kit.validation import Programme, read_programme, validate

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "EmentorKitError",
    "Problem",
    "generate_programme",
    "load_sample",
    "Programme",
    "read_programme",
    "validate",
]
