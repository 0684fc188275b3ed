"""Goals adjusted over time: each objective's history, and the wave or pulse behind a revision.

Regular evaluation is there to adjust objectives: a pulse at day 30 shows little progress,
and the pair moves the goal's target date or rewrites it. :func:`goal_history` lays out every
goal of ``goals.csv`` with its updates of ``goal_updates.csv`` as one history (set, progress,
revised, completed, abandoned; the target date in force after each step), and links each
revision to the survey wave or pulse that prompted it: the latest wave that someone of the
pair answered on the day of the revision or in the ``window_days`` before it.

The link is by dates only: it says which questionnaire came just before the revision, not
that the questionnaire caused it (record the reason in the update if the programme knows it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._checks import check_whole
from ementor_kit.errors import DataValidationError, Problem
from ementor_kit.i18n.language import N_
from ementor_kit.survey.readers import SurveyExport
from ementor_kit.survey.scoring import _source, _table
from ementor_kit.survey.waves import WavePlan, _split, wave_plan

__all__ = ["goal_history"]

_EVENTS = {"in_progress": "progress", "revised": "revised", "completed": "completed",
           "abandoned": "abandoned"}  # fmt: skip
_GOAL_COLUMNS = ("goal_id", "mentee_id", "mentor_id", "set_on", "target_date")
_UPDATE_COLUMNS = ("goal_id", "updated_on", "stage", "percent", "status")


def _require(table: pd.DataFrame, names: Sequence[str], file: str) -> None:
    absent = [c for c in names if c not in table.columns]
    if absent:
        raise DataValidationError(
            [
                Problem(
                    file,
                    c,
                    (),
                    N_("column missing"),
                    N_("give {file} with {names}").format(file=file, names=", ".join(names)),
                )
                for c in absent
            ]  # fmt: skip
        )


def _days(values: pd.Series, file: str, column: str) -> pd.Series:
    """Calendar days (naive, midnight); datetimes with an offset are taken in UTC."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    text = values.astype("str").str.strip()
    blank = values.isna().to_numpy() | text.isin(["", "NaT", "nan", "None"]).to_numpy()
    parsed = pd.to_datetime(text.mask(blank), errors="coerce", utc=True, format="mixed")
    bad = parsed.isna().to_numpy() & ~blank
    if bad.any():
        raise DataValidationError(
            [
                Problem(
                    file,
                    column,
                    tuple(int(i) + 2 for i in np.flatnonzero(bad)),
                    N_("not a date"),
                    N_("write dates as YYYY-MM-DD"),
                )
            ]
        )
    return parsed.dt.tz_localize(None).dt.normalize()


def _answered(
    responses: Mapping[str, pd.DataFrame | SurveyExport] | pd.DataFrame | SurveyExport,
    plan: WavePlan | None,
    id_col: str,
    wave_col: str,
) -> pd.DataFrame:
    """One row per response: respondent, wave and its day (``submitted_at``, else planned)."""
    by_wave, declared = _split(responses, plan, wave_col)
    parts = []
    for w, r in by_wave.items():
        file, _ = _source(r, None)
        table = _table(r)
        _require(table, [id_col], file)
        if "submitted_at" in table.columns:
            day = _days(table["submitted_at"], file, "submitted_at")
        elif declared.wave(w).date is not None:
            day = pd.Series(pd.Timestamp(declared.wave(w).date), index=table.index)
        else:
            raise DataValidationError(
                [
                    Problem(
                        file,
                        "submitted_at",
                        (),
                        N_("wave {w}: no submission dates and no planned date").format(w=w),
                        N_(
                            "keep submitted_at in the responses, or give plan=wave_plan({...}, "
                            "start='YYYY-MM-DD') with the waves' days"
                        ),
                    )
                ]
            )
        parts.append(
            pd.DataFrame(
                {
                    "person": table[id_col].astype("str").str.strip().to_numpy(),
                    "wave": w,
                    "day": day.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True).dropna(subset=["day"])


def goal_history(
    goals: pd.DataFrame,
    goal_updates: pd.DataFrame,
    responses: Mapping[str, pd.DataFrame | SurveyExport]
    | pd.DataFrame
    | SurveyExport
    | None = None,
    *,
    plan: WavePlan | Sequence[str] | Mapping[str, Any] | None = None,
    window_days: int = 14,
    id_col: str = "respondent_id",
    wave_col: str = "wave",
) -> pd.DataFrame:
    """Each goal's history, with the wave or pulse that came just before each revision.

    Parameters
    ----------
    goals : DataFrame
        ``goals.csv``: ``goal_id``, ``mentee_id``, ``mentor_id``, ``set_on``,
        ``target_date`` (other columns, e.g. ``category``, are carried over).
    goal_updates : DataFrame
        ``goal_updates.csv``: ``goal_id``, ``updated_on``, ``stage``, ``percent``,
        ``status``, ``new_target_date`` (a revision's new due date).
    responses : mapping, DataFrame or SurveyExport, optional
        Survey and pulse answers of the pairs' mentees and mentors: ``{wave: responses}`` or
        one table with a ``wave_col`` column; the day of a response is its ``submitted_at``
        (its calendar day in UTC), else the wave's planned date in ``plan``. Without it,
        ``prompted_by`` stays empty.
    plan : WavePlan or declaration, optional
        Declared waves (see :func:`~ementor_kit.survey.waves.wave_plan`).
    window_days : int
        A response counts for a revision made on its day or up to this many days later.
    id_col, wave_col : str
        Columns of the respondent and, for one table, of the wave.

    Returns
    -------
    DataFrame
        One row per step of each goal, goals in the order of ``goals``, steps by date:
        ``goal_id``, ``mentee_id``, ``mentor_id``, ``step`` (0 = set), ``date``, ``event``
        (``set``, ``progress``, ``revised``, ``completed``, ``abandoned``), ``stage``,
        ``percent``, ``target_date`` (in force after the step), ``previous_target_date``
        (the one a revision replaced; NaT otherwise), ``prompted_by`` (for a revision, the
        latest wave answered by the pair within the window; ``""`` when none) and
        ``prompted_on`` (that response's day).

    Raises
    ------
    DataValidationError
        A missing column or a date that is not one (rows named), responses without dates.
    InvalidArgumentError
        ``window_days`` not a whole number of days from 0.

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"goal_id": ["G1"], "mentee_id": ["E1"], "mentor_id": ["M1"],
    ...                       "set_on": ["2026-09-07"], "target_date": ["2026-10-30"]})
    >>> updates = pd.DataFrame({"goal_id": ["G1", "G1"],
    ...                         "updated_on": ["2026-10-01", "2026-10-12"],
    ...                         "stage": ["planned", "in_progress"], "percent": [20, 30],
    ...                         "status": ["in_progress", "revised"],
    ...                         "new_target_date": [None, "2026-12-04"]})
    >>> pulse = pd.DataFrame({"respondent_id": ["E1"], "wave": ["P30"],
    ...                       "submitted_at": ["2026-10-07T19:02:00+02:00"]})
    >>> h = goal_history(goals, updates, {"P30": pulse})
    >>> h[["step", "event", "target_date", "previous_target_date", "prompted_by"]]
       step     event target_date previous_target_date prompted_by
    0     0       set  2026-10-30                  NaT
    1     1  progress  2026-10-30                  NaT
    2     2   revised  2026-12-04           2026-10-30         P30
    """
    check_whole("window_days", window_days, minimum=0)
    _require(goals, _GOAL_COLUMNS, "goals")
    _require(goal_updates, _UPDATE_COLUMNS, "goal_updates")
    g = goals.reset_index(drop=True)
    u = goal_updates.reset_index(drop=True)
    set_on = _days(g["set_on"], "goals", "set_on")
    target = _days(g["target_date"], "goals", "target_date")
    updated_on = _days(u["updated_on"], "goal_updates", "updated_on")
    new_target = (
        _days(u["new_target_date"], "goal_updates", "new_target_date")
        if "new_target_date" in u.columns
        else pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    )
    answered = None
    if responses is not None:
        answered = _answered(responses, None if plan is None else wave_plan(plan), id_col, wave_col)
    window = pd.Timedelta(days=int(window_days))
    ids = u["goal_id"].astype("str").str.strip()
    rows = []
    for i in range(len(g)):
        gid = str(g.at[i, "goal_id"]).strip()
        mentee, mentor = str(g.at[i, "mentee_id"]).strip(), str(g.at[i, "mentor_id"]).strip()
        base = {"goal_id": gid, "mentee_id": mentee, "mentor_id": mentor}
        current = target[i]
        rows.append({**base, "step": 0, "date": set_on[i], "event": "set", "stage": "",
                     "percent": np.nan, "target_date": current, "previous_target_date": pd.NaT,
                     "prompted_by": "", "prompted_on": pd.NaT})  # fmt: skip
        mine = np.flatnonzero((ids == gid).to_numpy())
        mine = mine[np.argsort(updated_on.to_numpy()[mine], kind="stable")]
        for step, j in enumerate(mine, start=1):
            status = str(u.at[j, "status"]).strip()
            event = _EVENTS.get(status, status)
            previous = pd.NaT
            if event == "revised" and pd.notna(new_target[j]):
                previous, current = current, new_target[j]
            wave, on = "", pd.NaT
            if event == "revised" and answered is not None:
                day = updated_on[j]
                near = answered[
                    answered["person"].isin([mentee, mentor])
                    & (answered["day"] <= day)
                    & (answered["day"] >= day - window)
                ]
                if len(near):
                    last = near.sort_values("day", kind="stable").iloc[-1]
                    wave, on = str(last["wave"]), last["day"]
            rows.append({**base, "step": step, "date": updated_on[j], "event": event,
                         "stage": str(u.at[j, "stage"]), "percent": float(u.at[j, "percent"]),
                         "target_date": current, "previous_target_date": previous,
                         "prompted_by": wave, "prompted_on": on})  # fmt: skip
    out = pd.DataFrame(rows)
    for col in ("date", "target_date", "previous_target_date", "prompted_on"):
        out[col] = pd.to_datetime(out[col])
    return out
