"""The data contract: every table of a programme folder, its columns, types and allowed values.

This module is the single source of truth for the layout of a programme folder. The sample
generator writes it, :mod:`ementor_kit.data.validation` checks it, and the data dictionary in
``data/samples/README.md`` documents it. Nothing else should spell out column lists.

Kinds of columns
----------------
``id``        non-empty string, unique within the table when it is the table's key
``str``       free text
``category``  one value out of ``allowed``
``list``      zero or more values out of ``allowed`` (or free), joined by ``;`` in CSV files
``int``       whole number within ``[min, max]``
``float``     number within ``[min, max]``
``date``      calendar date ``YYYY-MM-DD``
``datetime``  time-zone aware ISO 8601 timestamp (``2026-09-08T18:32:05+02:00``); naive
              timestamps are refused
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from ementor_kit._checks import one_of
from ementor_kit.data.spec import ProgrammeSpec
from ementor_kit.errors import InvalidArgumentError, UnknownNameError
from ementor_kit.i18n.language import N_

LIST_SEP = ";"

CHANNELS = ("video", "phone", "chat", "email", "forum")
SYNC_CHANNELS = ("video", "phone")
ASYNC_CHANNELS = ("chat", "email", "forum")
GOAL_STAGES = ("defined", "planned", "in_progress", "review", "done")
END_REASONS = (
    "completed",
    "programme_ended",
    "mentee_left",
    "mentor_left",
    "safeguarding",
    "other",
)
"""Why a pair ended: the first two are planned ends, the others early closure."""
GOAL_STATUSES = ("in_progress", "completed", "revised", "abandoned")
RATER_ROLES = ("mentee", "mentor")
WAVES = ("T0", "T1")
"""The waves of the three built-in survey tables (``mentee_t0``, ``mentee_t1``, ``mentor_t1``):
the values their ``wave`` column allows. Other waves come in files of their own (see
:func:`survey_table`)."""


@dataclass(frozen=True)
class Column:
    """One column of a table of the data contract."""

    name: str
    kind: str
    description: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    unit: str = ""
    pattern: str | None = None
    optional: bool = False  # the column may be left out of the file


@dataclass(frozen=True)
class Table:
    """One table (one CSV file) of a programme folder."""

    name: str
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    optional: bool = False
    extra_columns: str = ""  # regex of extra columns accepted (survey item columns)
    notes: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name`` (:class:`~ementor_kit.errors.UnknownNameError`, a
        ``KeyError``, when the table has none)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise UnknownNameError(
            "name",
            name,
            one_of(self.column_names, name),
            message=N_("{file} has no column {name!r}").format(file=self.file, name=name),
        )


SAMPLE_DECLARATION = "datasets/sample/programme.yaml"
"""Where, inside the package, the sample programme declares its people (``programme.yaml``)."""

_KIND_OF_TYPE = {
    "id": "id",
    "name": "str",
    "contact": "str",
    "text": "str",
    "category": "category",
    "multi": "list",
    "language": "list",
    "number": "float",
    "integer": "int",
}


def _person_columns(role: str) -> tuple[Column, ...]:
    """The columns of ``mentors.csv`` / ``mentees.csv`` of the sample layout, in file order.

    They are not spelled out here: the bundled sample declares them, with their vocabularies
    and ranges, in its ``programme.yaml`` (:data:`SAMPLE_DECLARATION`); a folder without a
    ``programme.yaml`` is read in that layout.
    """
    text = (
        resources.files("ementor_kit")
        .joinpath(*SAMPLE_DECLARATION.split("/"))
        .read_text(encoding="utf-8")
    )
    return tuple(
        Column(
            a.name,
            _KIND_OF_TYPE[a.type],
            a.description or "",
            required=a.required,
            allowed=a.vocabulary,
            min=a.min,
            max=a.max,
            unit=a.unit or "",
        )
        for a in ProgrammeSpec.from_yaml(text).attributes(role)
    )


MENTORS = Table(
    "mentors", "mentors.csv", "One row per mentor.", _person_columns("mentors"), key=("mentor_id",)
)
MENTEES = Table(
    "mentees", "mentees.csv", "One row per mentee.", _person_columns("mentees"), key=("mentee_id",)
)
PAIRS = Table(
    "pairs",
    "pairs.csv",
    "The matching in force: one row per mentee-mentor pair.",
    (
        Column("mentee_id", "id", "Mentee of the pair (mentees.csv)"),
        Column("mentor_id", "id", "Mentor of the pair (mentors.csv)"),
        Column(
            "matched_on",
            "date",
            "Date the pair was formed (left out: the day of the pair's first exchange)",
            optional=True,
        ),
        Column(
            "planned_end",
            "date",
            "Optional column: date the relationship is planned to end (the programme's duration)",
            required=False,
            optional=True,
        ),
        Column(
            "ended_on",
            "date",
            "Optional column: date the relationship ended, when it has",
            required=False,
            optional=True,
        ),
        Column(
            "end_reason",
            "category",
            "Optional column: why it ended (with ended_on)",
            required=False,
            allowed=END_REASONS,
            optional=True,
        ),
        Column(
            "group_id",
            "str",
            "Optional column: the circle the pair belongs to (form_circles' group_id); empty "
            "for a one-to-one pair",
            required=False,
            optional=True,
        ),
    ),
    key=("mentee_id", "mentor_id"),
    optional=True,
)
INTERACTIONS = Table(
    "interactions",
    "interactions.csv",
    "One row per exchange between two people. A group session led by a mentor gives one row "
    "per attending mentee, all with the same session_id. Forum replies between mentees are "
    "peer exchanges, not exchanges of a pair.",
    (
        Column("interaction_id", "id", "Unique id of the exchange (I000001, ...)"),
        Column("timestamp", "datetime", "When the exchange happened, with the sender's UTC offset"),
        Column("sender_id", "id", "Who wrote or called (a mentor_id or mentee_id)"),
        Column("recipient_id", "id", "Who received it (a mentor_id or mentee_id)"),
        Column(
            "channel",
            "category",
            "video and phone are synchronous; chat, email, forum are not",
            allowed=CHANNELS,
        ),
        Column(
            "duration_minutes",
            "float",
            "Length of a synchronous exchange; empty for async ones",
            required=False,
            min=0,
            max=600,
            unit="minutes",
        ),
        Column(
            "session_id",
            "str",
            "Group session id (S001, ...); empty for one-to-one exchanges",
            required=False,
        ),
    ),
    key=("interaction_id",),
    optional=True,
)
GOALS = Table(
    "goals",
    "goals.csv",
    "One row per objective a pair sets.",
    (
        Column("goal_id", "id", "Unique goal id (G0001, ...)"),
        Column("mentee_id", "id", "Mentee of the pair"),
        Column("mentor_id", "id", "Mentor of the pair"),
        Column(
            "category",
            "category",
            "Kind of objective (one of the mentees' goals)",
            allowed=MENTEES.column("goals").allowed,
        ),
        Column("description", "str", "Short synthetic wording of the objective"),
        Column("set_on", "date", "Date the goal was set"),
        Column("target_date", "date", "Date the goal was first due"),
    ),
    key=("goal_id",),
    optional=True,
)
GOAL_UPDATES = Table(
    "goal_updates",
    "goal_updates.csv",
    "Progress updates of goals over time; a revision moves the target date.",
    (
        Column("goal_id", "id", "Goal updated (goals.csv)"),
        Column("updated_on", "date", "Date of the update"),
        Column("stage", "category", "Milestone stage reached", allowed=GOAL_STAGES),
        Column("percent", "int", "Progress", min=0, max=100, unit="%"),
        Column("status", "category", "Status after the update", allowed=GOAL_STATUSES),
        Column(
            "new_target_date",
            "date",
            "New due date when the goal is revised; else empty",
            required=False,
        ),
    ),
    key=("goal_id", "updated_on"),
    optional=True,
)

_SURVEY_META = (
    Column("response_id", "id", "Unique response id"),
    Column("respondent_id", "id", "mentee_id or mentor_id of the respondent"),
    Column("rater_role", "category", "Who answered", allowed=RATER_ROLES),
    Column("wave", "category", "T0 = intake, T1 = end of programme", allowed=WAVES),
    Column("submitted_at", "datetime", "When the questionnaire was submitted"),
    Column(
        "target_id",
        "id",
        "For dyadic ratings: the person the respondent rates (a mentor's row names the "
        "mentee, a mentee's T1 row names the mentor); empty otherwise",
        required=False,
    ),
)
SURVEY_ITEM_PATTERN = r"^(gse|mfq|wai|emx|pulse|closure)_\d+$"
SURVEY_ITEM_RANGES = {
    "gse": (1, 4),
    "mfq": (1, 5),
    "wai": (1, 5),
    "emx": (1, 5),
    "pulse": (1, 5),
    "closure": (1, 5),
}
"""Theoretical answer range of the item columns of each built-in instrument, by column prefix."""


_ITEM_NOTE = (
    "Item columns are named <instrument>_<item number>: gse_1..gse_10 (General "
    "Self-Efficacy, 1-4), mfq_1..mfq_9 (Mentoring Functions Questionnaire, 1-5), "
    "wai_1..wai_12 (Working Alliance Inventory short revised, 1-5), emx_1..emx_8 "
    "(the programme's e-mentoring experience scale, 1-5), pulse_1..pulse_4 (PULSE-4, 1-5), "
    "closure_1..closure_4 (CLOSE-4, 1-5). Empty = item not answered."
)
_WAVES_NOTE = (
    "Other waves go in files of their own: surveys/mentee_<wave>.csv and "
    "surveys/mentor_<wave>.csv (e.g. mentee_t2.csv, its wave column T2), surveys/pulse_<wave>.csv "
    "(the pulse of both sides, e.g. pulse_p30.csv, wave P30) and surveys/closure.csv (the "
    "closure questionnaire, with an optional close_reason column holding the end_reason codes); "
    "the same columns as here, the wave in lower case in the file name."
)


def _survey(name: str, description: str, meta: tuple[Column, ...] = _SURVEY_META) -> Table:
    return Table(
        name,
        f"surveys/{name}.csv",
        description,
        meta,
        key=("response_id",),
        optional=True,
        extra_columns=SURVEY_ITEM_PATTERN,
        notes=(_ITEM_NOTE, _WAVES_NOTE),
    )


SURVEY_FILE_PATTERN = r"^(?:(mentee|mentor|pulse)_([a-z][a-z0-9]{0,31})|closure)$"
"""Name (without ``.csv``) of a survey file of ``surveys/``: ``mentee_<wave>``,
``mentor_<wave>`` (one side's questionnaire at a wave), ``pulse_<wave>`` (the pulse of both
sides at a pulse wave) or ``closure`` (the closure questionnaire of both sides); ``<wave>`` is
the wave name in lower case, letters and digits (``t2``, ``p30``)."""


def survey_table(name: str) -> Table:
    """The table of the survey file ``surveys/<name>.csv``, for any wave.

    ``mentee_t0``, ``mentee_t1`` and ``mentor_t1`` are the built-in tables of :data:`TABLES`
    (their ``wave`` column allows :data:`WAVES`). Any other ``mentee_<wave>``,
    ``mentor_<wave>`` or ``pulse_<wave>`` is the same layout whose ``wave`` column must hold
    the file's wave in upper case (``surveys/mentee_t2.csv``: ``T2``; ``pulse_p30.csv``:
    ``P30``). ``closure`` is the closure questionnaire (CLOSE-4): the same columns, ``wave``
    optional and free, and an optional ``close_reason`` (one of :data:`END_REASONS`). Every
    survey file accepts the item columns of :data:`SURVEY_ITEM_PATTERN`.

    Parameters
    ----------
    name : str
        File name without ``.csv`` (see :data:`SURVEY_FILE_PATTERN`).

    Returns
    -------
    Table
        Its data contract.

    Raises
    ------
    InvalidArgumentError
        ``name`` is not a survey file name.

    Examples
    --------
    >>> survey_table("mentee_t2").column("wave").allowed
    ('T2',)
    >>> survey_table("pulse_p30").file
    'surveys/pulse_p30.csv'
    >>> survey_table("closure").column("close_reason").allowed[:2]
    ('completed', 'programme_ended')
    >>> survey_table("mentee_T2")
    Traceback (most recent call last):
    ...
    ementor_kit.errors.InvalidArgumentError: ...
    """
    if name in _BUILT_IN_SURVEYS:
        return TABLES[name]
    m = re.match(SURVEY_FILE_PATTERN, name) if isinstance(name, str) else None
    if m is None:
        raise InvalidArgumentError(
            "name",
            name,
            N_(
                "name a survey file mentee_<wave>, mentor_<wave>, pulse_<wave> or "
                "closure, the wave in lower-case letters and digits (mentee_t2, "
                "pulse_p30)"
            ),
        )
    if name == "closure":
        meta = tuple(
            Column(c.name, "str", "The wave, if any (free)", required=False, optional=True)
            if c.name == "wave"
            else c
            for c in _SURVEY_META
        ) + (
            Column(
                "close_reason",
                "category",
                "Optional column: the main reason the pair ended (the codes of end_reason)",
                required=False,
                allowed=END_REASONS,
                optional=True,
            ),
        )
        return _survey(name, "Closure questionnaire of mentees and mentors (CLOSE-4).", meta)
    side, wave = m.group(1), m.group(2).upper()
    who = (
        "Pulse of mentees and mentors" if side == "pulse" else f"{side.capitalize()} questionnaire"
    )
    meta = tuple(
        Column("wave", "category", f"The file's wave ({wave})", allowed=(wave,))
        if c.name == "wave"
        else c
        for c in _SURVEY_META
    )
    return _survey(name, f"{who} at wave {wave}.", meta)


PREFERENCES = Table(
    "preferences",
    "preferences.csv",
    "Optional: who ranks whom. One row per choice; a mentee ranks mentors, a mentor ranks "
    "mentees (either side may rank, nobody has to). Not in TABLES: it is checked against both "
    "people tables by ementor_kit.data.preferences.read_preferences.",
    (
        Column("chooser_id", "id", "Who ranks (a mentee_id or a mentor_id)"),
        Column("chosen_id", "id", "Who is ranked (a person of the other side)"),
        Column(
            "rank",
            "int",
            "1 = first choice, 2 = second ...; one rank per choice",
            min=1,
            max=100000,
        ),
    ),
    key=("chooser_id", "chosen_id"),
    optional=True,
)

CHECKIN_CHANNELS = ("video", "phone", "chat", "email", "in_person", "other")
"""How a coordinator contacted a pair (``checkins.csv``)."""
CHECKIN_OUTCOMES = ("reached", "concern", "no_answer", "escalated")
"""What came of a coordinator's contact: ``reached`` (all well), ``concern`` (a problem to
follow up), ``no_answer`` (an attempt: nobody reached, not a contact), ``escalated`` (handed to
the programme lead or safeguarding)."""

CHECKINS = Table(
    "checkins",
    "checkins.csv",
    "Optional: the coordinator's own follow-up contacts with the pairs, one row per contact "
    "or attempt. Not in TABLES: it is checked against the pairs by "
    "ementor_kit.graph.checkins.read_checkins.",
    (
        Column("coordinator", "str", "Who made the contact (a name or a code)"),
        Column("mentee_id", "id", "Mentee of the pair contacted (pairs.csv)"),
        Column(
            "mentor_id",
            "id",
            "Mentor of the pair (left out or empty: the mentee's only pair)",
            required=False,
            optional=True,
        ),
        Column("date", "date", "Day of the contact"),
        Column("channel", "category", "How the pair was contacted", allowed=CHECKIN_CHANNELS),
        Column("outcome", "category", "What came of it", allowed=CHECKIN_OUTCOMES),
        Column(
            "next_step",
            "str",
            "What was agreed to do next (free text; may be empty)",
            required=False,
            optional=True,
        ),
    ),
    optional=True,
)

SURVEY_MENTEE_T0 = _survey("mentee_t0", "Mentee questionnaire at intake (T0).")
SURVEY_MENTEE_T1 = _survey("mentee_t1", "Mentee questionnaire at the end (T1).")
SURVEY_MENTOR_T1 = _survey("mentor_t1", "Mentor questionnaire at the end (T1).")
_BUILT_IN_SURVEYS = ("mentee_t0", "mentee_t1", "mentor_t1")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        MENTORS,
        MENTEES,
        PAIRS,
        INTERACTIONS,
        GOALS,
        GOAL_UPDATES,
        SURVEY_MENTEE_T0,
        SURVEY_MENTEE_T1,
        SURVEY_MENTOR_T1,
    )
}
"""Every table of a programme folder, by name. ``mentors`` and ``mentees`` are required; the
others are optional (a programme before matching has no pairs or interactions yet)."""

FOLDER_TABLES: dict[str, Table] = {**TABLES, "preferences": PREFERENCES}
"""Every table :func:`~ementor_kit.data.validation.read_programme` reads: :data:`TABLES` and the
optional ``preferences.csv`` (:data:`PREFERENCES`, also checked against the people)."""
