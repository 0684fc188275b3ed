"""The data bundled with ementor-kit: the sample programme, example designs, profiles, exports.

Everything here ships inside the package (``ementor_kit/datasets/``), so it works from an
installed wheel as from a clone; the repository's ``data/samples`` is a link to
``ementor_kit/datasets/sample``, one source for both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from ementor_kit.data.validation import Programme, read_programme
from ementor_kit.design.definition import ProgrammeDesign
from ementor_kit.errors import InvalidArgumentError
from ementor_kit.i18n.language import N_, resolve_language

__all__ = [
    "example_designs",
    "example_export",
    "example_intake",
    "example_profiles",
    "load_sample",
    "sample_dir",
]


def _root() -> Path:
    return Path(str(resources.files("ementor_kit.datasets")))


def sample_dir() -> Path:
    """The folder of the bundled sample programme.

    Returns
    -------
    Path
        ``ementor_kit/datasets/sample`` inside the installed package: the programme's CSV
        files, ``surveys/``, example ``rules/`` and ``designs/`` and the data dictionary
        ``README.md``.

    Examples
    --------
    >>> sorted(p.name for p in sample_dir().glob("*.csv"))[:3]
    ['goal_updates.csv', 'goals.csv', 'interactions.csv']
    """
    return _root() / "sample"


def load_sample() -> Programme:
    """Read the bundled sample programme (300 mentees, 90 mentors, 16 weeks; synthetic).

    Returns
    -------
    Programme
        As :func:`ementor_kit.read_programme` returns it for :func:`sample_dir`.

    See Also
    --------
    ementor_kit.generate_programme : a synthetic programme of another size or seed.

    Examples
    --------
    >>> prog = load_sample()
    >>> len(prog.mentors), len(prog.mentees)
    (90, 300)
    """
    return read_programme(sample_dir())


def example_designs(lang: str | None = None) -> dict[str, ProgrammeDesign]:
    """The example programme designs bundled with the sample, by name.

    Parameters
    ----------
    lang : str, optional
        Language of the designs' texts (``name``, ``description``, ``objectives``,
        ``audience``), ``"en"`` or ``"fr"``; default the process language
        (:func:`~ementor_kit.i18n.set_language`). Every other setting is the same in both
        languages: the French designs are ``sample/designs/fr/``, same file names.

    Returns
    -------
    dict of str to ProgrammeDesign
        One per file of ``sample/designs/`` (name without ``.yaml``), in name order.

    Examples
    --------
    >>> designs = example_designs()
    >>> sorted(designs)
    ['group_circles', 'short_async_first', 'six_month_mixed']
    >>> designs["six_month_mixed"].checkin_every_days
    14
    >>> example_designs(lang="fr")["six_month_mixed"].name
    'Mixte sur six mois'
    """
    folder = sample_dir() / "designs"
    code = resolve_language(lang)
    if code != "en":
        folder = folder / code
    files = sorted(folder.glob("*.yaml"))
    return {f.stem: ProgrammeDesign.from_yaml(f) for f in files}


def example_export(name: str) -> Path:
    """The path of a bundled survey-platform export (small, synthetic, in the real layout).

    Parameters
    ----------
    name : str
        File name, e.g. ``"qualtrics.csv"``, ``"limesurvey.csv"``, ``"google_forms.csv"``,
        ``"surveymonkey.xlsx"``, ``"msforms.xlsx"``, ``"spss.sav"``.

    Returns
    -------
    Path
        The file inside the installed package.

    Raises
    ------
    InvalidArgumentError
        When no export has that name; the message lists the names there are.

    Examples
    --------
    >>> example_export("qualtrics.csv").name
    'qualtrics.csv'
    """
    folder = _root() / "survey_exports"
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    if name not in names:
        raise InvalidArgumentError(
            "name", name, N_("use one of {names}").format(names=", ".join(names))
        )
    return folder / name


def example_intake() -> Path:
    """The folder of a small raw intake export, as a French coordinator's form tool gives it.

    Five mentors and eight mentees (synthetic) in the layout of a Google Forms / Excel fr-FR
    export: French headers, ``;`` separators, ``mentees.csv`` in cp1252 and ``mentors.csv`` in
    UTF-8 with a BOM, decimal commas, ``Français, Anglais`` multi-select answers, ``Oui`` /
    ``Non``, a time stamp column, free-text comments, trailing empty rows; e-mail addresses
    or student numbers as ids. The folder also holds the ``programme.yaml``
    :func:`ementor_kit.propose_programme` writes for it.

    Returns
    -------
    Path
        ``ementor_kit/datasets/intake_examples`` inside the installed package.

    See Also
    --------
    ementor_kit.propose_programme : a first ``programme.yaml`` from such an export.

    Examples
    --------
    >>> sorted(p.name for p in example_intake().iterdir())
    ['mentees.csv', 'mentors.csv', 'programme.yaml']
    """
    return _root() / "intake_examples"


def example_profiles() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two mentors and two mentees (raw text, as read from CSV) for documentation examples.

    Returns
    -------
    mentors, mentees : DataFrame
        Columns in name order; every value is text, as :func:`ementor_kit.validate` receives
        it from a file.

    Examples
    --------
    >>> mentors, mentees = example_profiles()
    >>> mentors["mentor_id"].tolist(), mentees["mentee_id"].tolist()
    (['M001', 'M002'], ['E001', 'E002'])
    """
    common = {
        "region": "Bretagne",
        "utc_offset": "1",
        "digital_comfort": "4",
        "availability_hours": "2",
        "modality": "sync",
        "cohort": "2026-A",
        "group": "",
    }
    mentors = pd.DataFrame(
        [
            {
                "mentor_id": "M001",
                "display_name": "Mentor A",
                "languages": "fr;en",
                "domain": "sante",
                "skills_offered": "cv_lettre;entretien",
                "goals": "job_search",
                "years_experience": "20",
                "organisation": "CHU",
                "department": "RH",
                "capacity": "2",
                **common,
            },
            {
                "mentor_id": "M002",
                "display_name": "Mentor B",
                "languages": "es",
                "domain": "numerique",
                "skills_offered": "cv_lettre",
                "goals": "skills",
                "years_experience": "8",
                "organisation": "Acme",
                "department": "IT",
                "capacity": "1",
                **common,
            },
        ]
    )
    mentees = pd.DataFrame(
        [
            {
                "mentee_id": "E001",
                "display_name": "Mentee A",
                "languages": "fr",
                "domain": "sante",
                "skills_sought": "cv_lettre;reseau_professionnel",
                "goals": "job_search",
                "career_stage": "etudiant",
                "years_experience": "0",
                "organisation": "Univ",
                "department": "Bio",
                **common,
            },
            {
                "mentee_id": "E002",
                "display_name": "Mentee B",
                "languages": "fr;es",
                "domain": "numerique",
                "skills_sought": "leadership",
                "goals": "network",
                "career_stage": "reconversion",
                "years_experience": "10",
                "organisation": "Acme",
                "department": "Sales",
                **common,
            },
        ]
    )
    return mentors[sorted(mentors.columns)], mentees[sorted(mentees.columns)]
