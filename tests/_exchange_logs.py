"""Hand-built programme used by the graph-analytics tests (answers worked out by hand in the tests).

Pairs (matched_on), as_of = end of 2026-09-30 = 2026-10-01T00:00Z:

- E001-M001 (09-01): replies across midnight and time zones, a burst, a same-second tie, a
  group session; last message from the mentee 14.7 days before as_of -> needs_check_in
- E002-M001 (09-01): no exchange, 30 days -> not_started, needs action
- E003-M002 (08-01): last exchange 51.5 days ago -> at_risk
- E004-M002 (06-01): last exchange 102.5 days ago -> dormant
- E005-M003 (09-20): last exchange 1.5 days ago -> active
- E006-M003 (09-25): no exchange, 6 days -> not_started, no action yet
- E007-M004 (08-20): last exchange (a call) 26 days ago -> needs_check_in
"""

from __future__ import annotations

import pandas as pd

PAIRS = pd.DataFrame(
    {
        "mentee_id": ["E007", "E001", "E002", "E003", "E004", "E005", "E006"],
        "mentor_id": ["M004", "M001", "M001", "M002", "M002", "M003", "M003"],
        "matched_on": [
            "2026-08-20",
            "2026-09-01",
            "2026-09-01",
            "2026-08-01",
            "2026-06-01",
            "2026-09-20",
            "2026-09-25",
        ],
    }
)

_ROWS = [
    # id, timestamp, sender, recipient, channel, minutes, session
    ("I01", "2026-09-02T23:30:00+02:00", "E001", "M001", "chat", None, None),
    ("I02", "2026-09-02T19:00:00-05:00", "M001", "E001", "chat", None, None),
    ("I03", "2026-09-03T00:10:00+00:00", "M001", "E001", "chat", None, None),
    ("I04", "2026-09-03T08:10:00+02:00", "E001", "M001", "chat", None, None),
    ("I06", "2026-09-10T10:00:00+00:00", "M001", "E001", "video", 30.0, None),
    ("I05", "2026-09-10T12:00:00+02:00", "E001", "M001", "chat", None, None),
    ("I07", "2026-09-15T17:00:00+00:00", "M001", "E001", "video", 60.0, "S1"),
    ("I08", "2026-09-15T17:00:00+00:00", "M001", "E003", "video", 60.0, "S1"),
    ("I09", "2026-09-16T09:00:00+02:00", "E001", "M001", "email", None, None),
    ("I10", "2026-08-03T10:00:00+00:00", "M002", "E003", "video", 45.0, None),
    ("I11", "2026-08-10T12:00:00+00:00", "E003", "M002", "chat", None, None),
    ("I12", "2026-06-20T08:00:00-04:00", "E004", "M002", "email", None, None),
    ("I14", "2026-09-29T12:00:00+00:00", "M003", "E005", "chat", None, None),
    ("I13", "2026-09-29T10:00:00+00:00", "E005", "M003", "chat", None, None),
    ("I15", "2026-09-05T00:00:00+00:00", "M004", "E007", "phone", 20.0, None),
    ("I16", "2026-09-12T10:00:00+00:00", "E001", "E003", "forum", None, None),
    ("I17", "2026-09-12T11:00:00+00:00", "M001", "E005", "chat", None, None),
    ("I13", "2026-09-29T10:00:00+00:00", "E005", "M003", "chat", None, None),
    ("I19", "2026-10-02T10:00:00+00:00", "E005", "M003", "chat", None, None),
    ("I20", "2026-09-19T10:00:00+00:00", "E005", "M003", "chat", None, None),
    ("I21", "2026-09-20T10:00:00+00:00", "M001", "M002", "email", None, None),
    ("I22", "2026-09-21T10:00:00+00:00", "E001", "E001", "chat", None, None),
]

INTERACTIONS = pd.DataFrame(
    _ROWS,
    columns=[
        "interaction_id",
        "timestamp",
        "sender_id",
        "recipient_id",
        "channel",
        "duration_minutes",
        "session_id",
    ],
)

AS_OF = "2026-09-30"


def _people(role: str, ids: list[str], domains: list[str], **extra) -> pd.DataFrame:
    base = {
        "display_name": "Pseudonyme",
        "languages": "fr",
        "region": "Île-de-France",
        "utc_offset": 1.0,
        "goals": "skills",
        "availability_hours": 2.0,
        "modality": "mixed",
        "digital_comfort": 3,
        "years_experience": 5,
        "organisation": "Org",
        "department": "Dept",
        "cohort": "2026-A",
        "group": "",
    }
    rows = []
    for i, (pid, domain) in enumerate(zip(ids, domains, strict=True)):
        row = {f"{role}_id": pid, **base, "domain": domain}
        for k, values in extra.items():
            row[k] = values[i]
        rows.append(row)
    return pd.DataFrame(rows)


MENTORS = _people(
    "mentor",
    ["M001", "M002", "M003", "M004"],
    ["sante", "droit", "numerique", "finance"],
    skills_offered=["cv_lettre"] * 4,
    capacity=[2, 4, 2, 1],
)
MENTEES = _people(
    "mentee",
    ["E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008"],
    ["sante", "sante", "arts_culture", "droit", "numerique", "social", "finance", "droit"],
    skills_sought=["entretien"] * 8,
    career_stage=["etudiant"] * 8,
    group=["qpv", "", "non_qpv", "", "qpv", "", "", ""],
)
