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

from dataclasses import dataclass, field

from ementor_kit._checks import one_of
from ementor_kit.errors import UnknownNameError

LIST_SEP = ";"

LANGUAGES = ("fr", "en", "es", "ar", "pt", "de", "wo", "cr")
MODALITIES = ("sync", "async", "mixed")
DOMAINS = (
    "numerique",
    "sante",
    "ingenierie",
    "commerce",
    "education",
    "social",
    "arts_culture",
    "droit",
    "finance",
    "environnement",
)
SKILLS = (
    "cv_lettre",
    "entretien",
    "reseau_professionnel",
    "orientation",
    "prise_de_parole",
    "gestion_du_temps",
    "confiance_en_soi",
    "numerique_outils",
    "creation_entreprise",
    "recherche_stage",
    "methodes_de_travail",
    "anglais_pro",
    "negociation",
    "leadership",
    "projet_pro",
)
GOAL_CATEGORIES = (
    "skills",
    "network",
    "job_search",
    "confidence",
    "orientation",
    "entrepreneurship",
)
CAREER_STAGES = ("lyceen", "etudiant", "jeune_diplome", "reconversion", "demandeur_emploi")
GROUPS = ("qpv", "non_qpv")
CHANNELS = ("video", "phone", "chat", "email", "forum")
SYNC_CHANNELS = ("video", "phone")
ASYNC_CHANNELS = ("chat", "email", "forum")
GOAL_STAGES = ("defined", "planned", "in_progress", "review", "done")
GOAL_STATUSES = ("in_progress", "completed", "revised", "abandoned")
RATER_ROLES = ("mentee", "mentor")
WAVES = ("T0", "T1")


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
            message=f"{self.file} has no column {name!r}",
        )


def _person_columns(role: str) -> tuple[Column, ...]:
    """The columns of ``mentors.csv`` (``role="mentor"``) or ``mentees.csv``, in file order."""
    # Longer than ~80 lines on purpose: a declarative list, one Column per field of the file,
    # in the order of the file; split in parts, the file's layout could no longer be read here.
    mentor = role == "mentor"
    id_col = "mentor_id" if mentor else "mentee_id"
    prefix = "M" if mentor else "E"
    skills = "skills_offered" if mentor else "skills_sought"
    cols = [
        Column(
            id_col,
            "id",
            f"Stable, non-identifying id ({prefix}001, {prefix}002, ...)",
            pattern=rf"^{prefix}\d{{3,}}$",
        ),
        Column("display_name", "str", "Synthetic display name (a pseudonym, never the real name)"),
        Column(
            "languages",
            "list",
            "Languages the person can mentor / be mentored in (ISO 639-1)",
            allowed=LANGUAGES,
        ),
        Column(
            "region", "str", "Region of residence (mainland region, overseas territory or country)"
        ),
        Column(
            "utc_offset",
            "float",
            "Offset of local time from UTC in winter",
            min=-12,
            max=14,
            unit="hours",
        ),
        Column("domain", "category", "Professional field", allowed=DOMAINS),
        Column(
            skills,
            "list",
            "Skills the mentor offers" if mentor else "Skills the mentee seeks",
            allowed=SKILLS,
        ),
        Column(
            "goals",
            "list",
            "Goal categories the mentor can support" if mentor else "The mentee's goals",
            allowed=GOAL_CATEGORIES,
        ),
        Column(
            "availability_hours",
            "float",
            "Hours available for mentoring per week",
            min=0,
            max=20,
            unit="hours/week",
        ),
        Column("modality", "category", "Preferred exchange mode", allowed=MODALITIES),
        Column(
            "digital_comfort",
            "int",
            "Self-rated comfort with digital tools (1 low - 5 high)",
            min=1,
            max=5,
        ),
    ]
    if not mentor:
        cols.append(
            Column("career_stage", "category", "Where the mentee stands", allowed=CAREER_STAGES)
        )
    cols.append(
        Column(
            "years_experience",
            "int",
            "Years of professional experience",
            min=0,
            max=60,
            unit="years",
        )
    )
    cols += [
        Column("organisation", "str", "Employer or school (for conflict-of-interest rules)"),
        Column(
            "department",
            "str",
            "Department within the organisation; same organisation and department = conflict",
        ),
    ]
    if mentor:
        cols.append(Column("capacity", "int", "How many mentees the mentor accepts", min=1, max=4))
    cols += [
        Column("cohort", "str", "Programme intake the person belongs to (e.g. 2026-A)"),
        Column(
            "group",
            "category",
            "Optional self-declared attribute for fairness analysis (qpv = lives in a "
            "priority neighbourhood); empty when not declared",
            required=False,
            allowed=GROUPS,
        ),
    ]
    return tuple(cols)


MENTORS = Table(
    "mentors", "mentors.csv", "One row per mentor.", _person_columns("mentor"), key=("mentor_id",)
)
MENTEES = Table(
    "mentees", "mentees.csv", "One row per mentee.", _person_columns("mentee"), key=("mentee_id",)
)
PAIRS = Table(
    "pairs",
    "pairs.csv",
    "The matching in force: one row per mentee-mentor pair.",
    (
        Column("mentee_id", "id", "Mentee of the pair (mentees.csv)"),
        Column("mentor_id", "id", "Mentor of the pair (mentors.csv)"),
        Column("matched_on", "date", "Date the pair was formed"),
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
        Column("category", "category", "Kind of objective", allowed=GOAL_CATEGORIES),
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
SURVEY_ITEM_PATTERN = r"^(gse|mfq|wai|emx)_\d+$"
SURVEY_ITEM_RANGES = {"gse": (1, 4), "mfq": (1, 5), "wai": (1, 5), "emx": (1, 5)}
"""Theoretical answer range of the item columns of each built-in instrument, by column prefix."""


def _survey(name: str, description: str) -> Table:
    return Table(
        name,
        f"surveys/{name}.csv",
        description,
        _SURVEY_META,
        key=("response_id",),
        optional=True,
        extra_columns=SURVEY_ITEM_PATTERN,
        notes=(
            "Item columns are named <instrument>_<item number>: gse_1..gse_10 (General "
            "Self-Efficacy, 1-4), mfq_1..mfq_9 (Mentoring Functions Questionnaire, 1-5), "
            "wai_1..wai_12 (Working Alliance Inventory short revised, 1-5), emx_1..emx_8 "
            "(the programme's e-mentoring experience scale, 1-5). Empty = item not answered.",
        ),
    )


SURVEY_MENTEE_T0 = _survey("mentee_t0", "Mentee questionnaire at intake (T0).")
SURVEY_MENTEE_T1 = _survey("mentee_t1", "Mentee questionnaire at the end (T1).")
SURVEY_MENTOR_T1 = _survey("mentor_t1", "Mentor questionnaire at the end (T1).")

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
