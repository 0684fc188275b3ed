"""Section 6 of the pilot report on a folder with a third wave (T0, T1, T2).

The T0 and T2 GSE answers are made so that every number is worked out by hand:
20 mentees (E001-E020) answer T0, all ten items 2 except gse_1 = 3 for odd j (total 20 or 21);
15 of them (E001-E015, j = 0..14) and 2 others (E021, E022) answer T2: all items 2, gse_10 = 3
and the first j % 4 items 3 (total 21 + j % 4). The mentees' T1 and the mentors' T1 are the
generated ones.
"""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit.report._context import ReportContext, report_waves
from ementor_kit.report.sections.intake import intake_section
from ementor_kit.report.sections.prepost import prepost_section
from ementor_kit.report.sections.scoring import scoring_section
from ementor_kit.survey.instruments import load_instrument

KEY = "test-key-for-synthetic-data-0001"
GSE = [f"gse_{i}" for i in range(1, 11)]


def _wave(wave: str, items: dict[str, list[float]]) -> pd.DataFrame:
    ids = list(items)
    return pd.DataFrame(
        {
            "response_id": [f"{wave}E-{i:04d}" for i in range(len(ids))],
            "respondent_id": ids,
            "rater_role": "mentee",
            "wave": wave,
            "submitted_at": pd.Timestamp("2026-10-01 09:00", tz="UTC"),
            "target_id": None,
            **{g: [items[r][n] for r in ids] for n, g in enumerate(GSE)},
        }
    )


def _t0() -> pd.DataFrame:
    return _wave("T0", {f"E{j + 1:03d}": [3.0 if j % 2 else 2.0] + [2.0] * 9 for j in range(20)})


def _t2() -> pd.DataFrame:
    rows = {}
    for j, rid in enumerate([f"E{j + 1:03d}" for j in range(15)] + ["E021", "E022"]):
        items = [3.0 if n < j % 4 else 2.0 for n in range(9)] + [3.0]
        rows[rid] = items
    return _wave("T2", rows)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A programme folder with surveys/mentee_t0, mentee_t1, mentee_t2 and mentor_t1."""
    small = ek.generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    surveys = {**small.surveys, "mentee_t0": _t0(), "mentee_t2": _t2()}
    path = tmp_path_factory.mktemp("three_waves")
    ek.write_programme(dataclasses.replace(small, surveys=surveys), path)
    return path


@pytest.fixture(scope="module")
def programme(folder):
    return ek.read_programme(folder)


def _ctx(p):
    return ReportContext(p, KEY.encode(), 5, True)


def test_the_report_reads_every_outcome_wave_in_order(programme):
    assert sorted(programme.surveys) == ["mentee_t0", "mentee_t1", "mentee_t2", "mentor_t1"]
    assert report_waves(programme) == ["mentee_t0", "mentee_t1", "mentee_t2", "mentor_t1"]
    files = intake_section(_ctx(programme)).tables[0].data.set_index("file")["rows"]
    assert files["surveys/mentee_t2.csv"] == 17 and files["surveys/mentee_t0.csv"] == 20
    scores = scoring_section(_ctx(programme), [load_instrument("gse")]).tables[0].data
    t2 = scores[scores["wave"] == "mentees, T2"].iloc[0]
    # the 17 T2 totals: 21 + j % 4 for j = 0..16
    totals = np.array([21 + j % 4 for j in range(17)], dtype=float)
    assert t2["scored"] == 17 and t2["mean"] == pytest.approx(totals.mean(), abs=1e-12)


def test_pre_post_compares_t0_with_the_last_wave_by_hand(programme):
    step = prepost_section(_ctx(programme), [load_instrument("gse"), load_instrument("wai")])
    sec = step.section
    assert sec.title == "6. Change from T0 to T2"
    assert sec.paragraphs[:2] == (
        "Waves compared: T0, the mentees' first, and T2, the last holding an instrument of T0.",
        "Other waves of the mentees, not compared here: T1.",
    )
    assert "Positive means higher at T2." in sec.paragraphs[2]
    assert sec.paragraphs[3].startswith("Without a comparison group, change from T0 to T2")
    eff = sec.tables[0].data.iloc[0]
    assert list(sec.tables[0].data.columns[3:5]) == ["mean T0", "mean T2"]
    # differences d_j = (21 + j % 4) - (20 + j % 2), j = 0..14: eight 1s and seven 3s
    n, total, squares = 15, 8 * 1 + 7 * 3, 8 * 1 + 7 * 9
    mean = total / n  # 29 / 15
    sd = math.sqrt((squares - total**2 / n) / (n - 1))
    assert eff["pairs"] == 15
    assert eff["mean T0"] == pytest.approx(20 + 7 / 15, abs=1e-12)  # 7 odd j among 0..14
    assert eff["mean T2"] == pytest.approx(21 + 21 / 15, abs=1e-12)  # sum of j % 4 = 21
    assert eff["difference"] == pytest.approx(mean, abs=1e-12)
    assert eff["d_z"] == pytest.approx(mean / sd, abs=1e-12)
    assert eff["t"] == pytest.approx(mean / (sd / math.sqrt(n)), abs=1e-10)
    assert eff["df"] == 14
    # the ledger: 15 in both waves, 5 at T0 only (E016-E020), 2 at T2 only (hidden: k = 5)
    (entry,) = step.left_out
    assert entry.stage == "GSE T0 -> T2 (mentees)"
    led = entry.table.set_index("what")["count"]
    assert led["answered both waves, scored in both"] == 15
    assert led["answered T0 only (dropped out)"] == 5
    assert pd.isna(led["answered T2 only"])
    # attrition: the 5 dropouts' T0 totals 21, 20, 21, 20, 21 against the 15 completers'
    att = sec.tables[1].data.iloc[0]
    assert sec.tables[1].title == "Attrition: T0 scores of dropouts and completers (Welch t)"
    assert att["T0 mean, dropouts"] == pytest.approx(20.6, abs=1e-12)
    assert att["T0 mean, completers"] == pytest.approx(20 + 7 / 15, abs=1e-12)


def test_the_whole_report_on_three_waves_passes_its_audit_and_reads_in_french(folder):
    rep = ek.pilot_report(folder, key=KEY)
    prepost = next(s for s in rep.sections if s.id == "prepost")
    assert prepost.title == "6. Change from T0 to T2"
    fr = rep.to_html(lang="fr")
    assert "6. Évolution de T0 à T2" in fr and "moyenne T2" in fr
    assert "Autres vagues des mentoré·es, non comparées ici : T1." in fr
    assert "mentoré·es, T2" in fr


def test_without_a_later_wave_sharing_an_instrument_t1_stays_the_end(programme):
    other = _t2().drop(columns=GSE[1:])  # T2 holds one GSE item only: no instrument
    p = dataclasses.replace(programme, surveys={**programme.surveys, "mentee_t2": other})
    sec = prepost_section(_ctx(p), [load_instrument("gse")]).section
    assert sec.title == "6. Change from T0 to T1"
    assert sec.paragraphs[:2] == (
        "Waves compared: T0, the mentees' first, and T1, the last holding an instrument of T0.",
        "Other waves of the mentees, not compared here: T2.",
    )


def test_only_t0_and_t1_say_nothing_more():
    small = ek.generate_programme(n_mentees=40, n_mentors=14, weeks=6, seed=3)
    sec = prepost_section(_ctx(small), [load_instrument("gse")]).section
    assert sec.title == "6. Change from T0 to T1"
    assert sec.paragraphs[0].startswith("Mentees who answered both waves (GSE)")
    apart = dataclasses.replace(
        small, surveys={"mentee_t0": _t0(), "mentee_t2": _t2().drop(columns=GSE[1:])}
    )
    sec = prepost_section(_ctx(apart), [load_instrument("gse")]).section
    assert sec.title == "6. Change from T0 to T1"
    assert sec.paragraphs == (
        "Not available: no instrument was answered by mentees at two of their waves (T0, T2).",
    )
