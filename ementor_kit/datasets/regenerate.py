"""Rewrite the bundled sample programme from the generator (files and data dictionary)."""

from __future__ import annotations

from pathlib import Path

from ementor_kit.data.folder import write_programme
from ementor_kit.datasets.loaders import sample_dir
from ementor_kit.samples.dictionary import data_dictionary
from ementor_kit.samples.generator import SAMPLE_PARAMETERS, generate_programme

__all__ = ["regenerate_sample"]


def regenerate_sample(folder=None) -> Path:
    """Rewrite the sample folder (default ``data/samples/``) with the default parameters.

    Writes every table and the data dictionary ``README.md``.

    Parameters
    ----------
    folder : str or Path, optional
        Destination; the repository's ``data/samples/`` when omitted.

    Returns
    -------
    Path
        The folder written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = regenerate_sample(tmp)
    ...     print(sorted(p.name for p in pathlib.Path(tmp).iterdir()))
    ['README.md', 'goal_updates.csv', 'goals.csv', 'interactions.csv', 'mentees.csv', 'mentors.csv', 'pairs.csv', 'surveys']
    """
    folder = sample_dir() if folder is None else Path(folder)
    programme = generate_programme(**SAMPLE_PARAMETERS)
    write_programme(programme, folder)
    (folder / "README.md").write_text(data_dictionary(programme), encoding="utf-8", newline="\n")
    return folder
