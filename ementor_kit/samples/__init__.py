"""The synthetic programme generator: mentors, mentees, pairs, exchanges, goals and surveys.

- :mod:`~ementor_kit.samples.generator`: :func:`generate_programme`, a programme in memory
  (same seed, same programme).
- :mod:`~ementor_kit.samples.dictionary`: :func:`data_dictionary`, the sample's ``README.md``.

``python -m ementor_kit.samples`` rewrites the bundled sample. :func:`write_programme`,
:func:`load_sample` and :func:`regenerate_sample` are also reachable here, as before; they are
defined in :mod:`ementor_kit.data` and :mod:`ementor_kit.datasets`.
"""

from typing import Any

from ementor_kit.data.folder import write_programme
from ementor_kit.samples.dictionary import data_dictionary
from ementor_kit.samples.generator import generate_programme

__all__ = [
    "data_dictionary",
    "generate_programme",
    "load_sample",
    "regenerate_sample",
    "write_programme",
]


def __getattr__(name: str) -> Any:
    # ementor_kit.datasets depends on this package (and on design, which depends on it), so the
    # two names it defines are imported on first use rather than at import time.
    if name in ("load_sample", "regenerate_sample"):
        from ementor_kit import datasets

        return getattr(datasets, name)
    raise AttributeError(f"module 'ementor_kit.samples' has no attribute {name!r}")
