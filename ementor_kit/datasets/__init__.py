"""Data bundled with ementor-kit, as package data: the sample programme and small examples.

:func:`load_sample`, :func:`sample_dir`, :func:`example_designs`, :func:`example_profiles`,
:func:`example_export`, :func:`example_intake` (see :mod:`~ementor_kit.datasets.loaders`); :func:`regenerate_sample`
rewrites the sample from the generator.
"""

from ementor_kit.datasets.loaders import (
    example_designs,
    example_export,
    example_intake,
    example_profiles,
    load_sample,
    sample_dir,
)
from ementor_kit.datasets.regenerate import regenerate_sample

__all__ = [
    "example_designs",
    "example_export",
    "example_intake",
    "example_profiles",
    "load_sample",
    "regenerate_sample",
    "sample_dir",
]
