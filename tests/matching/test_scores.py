import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ementor_kit as ek
from ementor_kit.data.validation import validate
from ementor_kit.errors import DataValidationError
from ementor_kit.matching import CRITERIA, MatchRules
from ementor_kit.matching.scores import EXCLUSION_RULES, prepare_people, score_pairs
from tests._pairing_data import profiles


def _set(text: str) -> set[str]:
    return {x for x in str(text).split(";") if x}


def _reference_values(e: pd.Series, m: pd.Series, rules: MatchRules) -> dict[str, float]:
    """Criterion values of one pair written directly from the documented formulas."""
    sought, offered = _set(e["skills_sought"]), _set(m["skills_offered"])
    goals_e, goals_m = _set(e["goals"]), _set(m["goals"])
    cap = int(m["capacity"])
    cap = int(rules.capacity_override.get(m["mentor_id"], cap))
    d = abs(float(e["utc_offset"]) - float(m["utc_offset"])) % 24
    d = min(d, 24 - d)
    w = rules.timezone_window_hours
    overlap = min(max((w - d) / w, 0.0), 1.0)
    modes = {e["modality"], m["modality"]}
    need = 1.0 if "sync" in modes else (0.5 if "mixed" in modes else 0.0)
    if e["modality"] == m["modality"]:
        modality = 1.0
    elif "mixed" in modes:
        modality = 0.5
    else:
        modality = 0.0
    want = float(e["availability_hours"])
    per = float(m["availability_hours"]) / max(cap, 1)
    gap = int(m["years_experience"]) - int(e["years_experience"])
    n = rules.min_experience_gap
    comfort_e, comfort_m = int(e["digital_comfort"]), int(m["digital_comfort"])
    return {
        "skills": len(sought & offered) / len(sought) if sought else 1.0,
        "goals": len(goals_e & goals_m) / len(goals_e) if goals_e else 1.0,
        "domain": float(e["domain"] == m["domain"]),
        "timezone": 1 - need * (1 - overlap),
        "modality": modality,
        "availability": 1.0 if want == 0 else min(1.0, per / want),
        "experience": (min(max(gap / n, 0.0), 1.0) if n > 0 else float(gap >= 0)),
        "digital": 1 - (5 - comfort_e) / 4 * (1 - (comfort_m - 1) / 4),
    }


def _reference_exclusions(e, m, rules, score) -> list[str]:
    out = []
    if rules.shared_language and not (_set(e["languages"]) & _set(m["languages"])):
        out.append("language")
    same = (
        e["organisation"].strip().casefold() == m["organisation"].strip().casefold()
        and e["department"].strip().casefold() == m["department"].strip().casefold()
    )
    if rules.no_same_department and same:
        out.append("same_department")
    if (e["mentee_id"], m["mentor_id"]) in rules.forbidden_pairs:
        out.append("forbidden")
    if rules.capacity_override.get(m["mentor_id"], int(m["capacity"])) == 0:
        out.append("no_capacity")
    req = dict(rules.required_pairs)
    if e["mentee_id"] in req and req[e["mentee_id"]] != m["mentor_id"]:
        out.append("required_elsewhere")
    if score < rules.min_score:
        out.append("min_score")
    return out


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    weights=st.dictionaries(st.sampled_from(CRITERIA), st.floats(0.1, 10), min_size=1),
    gap=st.sampled_from([0, 3, 5]),
    window=st.sampled_from([6, 12]),
    min_score=st.sampled_from([0, 40, 70]),
    language=st.booleans(),
    department=st.booleans(),
)
def test_scores_match_the_documented_formulas(
    seed, weights, gap, window, min_score, language, department
):
    mentors, mentees = profiles(seed, 4, 5, n_orgs=2)
    rules = MatchRules(
        weights=weights,
        min_experience_gap=gap,
        timezone_window_hours=window,
        min_score=min_score,
        shared_language=language,
        no_same_department=department,
        forbidden_pairs=(("E001", "M002"),),
        required_pairs=(("E003", "M004"),),
        capacity_override={"M003": 0},
    )
    out = score_pairs(mentors, mentees, rules)
    assert len(out) == 20
    total = sum(rules.weights.values())
    got = out.set_index(["mentee_id", "mentor_id"])
    for _, e in mentees.iterrows():
        for _, m in mentors.iterrows():
            row = got.loc[(e["mentee_id"], m["mentor_id"])]
            ref = _reference_values(e, m, rules)
            for c in CRITERIA:
                assert row[c] == pytest.approx(100 * rules.weights[c] * ref[c] / total, abs=1e-9)
            score = sum(100 * rules.weights[c] * ref[c] / total for c in CRITERIA)
            assert row["score"] == pytest.approx(score, abs=1e-9)
            assert 0 <= row["score"] <= 100 + 1e-9
            excl = _reference_exclusions(e, m, rules, row["score"])
            assert row["excluded_by"] == "+".join(excl)
            assert row["feasible"] == (not excl)


def test_a_hand_worked_pair():
    mentors, mentees = profiles(0, 1, 1)
    mentees.loc[0, :] = {
        **mentees.loc[0].to_dict(),
        "languages": "fr",
        "skills_sought": "cv_lettre;entretien;orientation;anglais_pro",
        "goals": "job_search;confidence;network",
        "domain": "sante",
        "utc_offset": "-5",
        "modality": "mixed",
        "availability_hours": "2",
        "years_experience": "9",
        "digital_comfort": "2",
        "organisation": "Uni",
    }
    mentors.loc[0, :] = {
        **mentors.loc[0].to_dict(),
        "languages": "en;fr",
        "skills_offered": "entretien;orientation;leadership",
        "goals": "network;skills",
        "domain": "sante",
        "utc_offset": "10",
        "modality": "async",
        "availability_hours": "3",
        "capacity": "2",
        "years_experience": "12",
        "digital_comfort": "3",
        "organisation": "CHU",
    }
    rules = MatchRules(min_experience_gap=5, timezone_window_hours=12, min_score=57)
    # worked by hand from the module documentation:
    values = {
        "skills": 2 / 4,  # entretien, orientation of 4 sought
        "goals": 1 / 3,  # network of 3
        "domain": 1.0,
        "timezone": 1 - 0.5 * (1 - 3 / 12),  # -5 vs +10: 15 h apart = 9 h on the clock; mixed
        "modality": 0.5,  # mixed with async
        "availability": (3 / 2) / 2,  # 1.5 h per mentee of the 2 h wanted
        "experience": 3 / 5,  # 3 years more senior, N = 5
        "digital": 1 - (3 / 4) * (1 - 2 / 4),  # comfort 2 with a mentor at 3
    }
    weights = {"skills": 3, "goals": 2}  # the defaults; the other criteria weigh 1
    total = 11
    row = score_pairs(mentors, mentees, rules).iloc[0]
    for c, v in values.items():
        assert row[c] == pytest.approx(100 * weights.get(c, 1) * v / total, abs=1e-12), c
    # 100 / 11 * (1.5 + 2/3 + 1 + 0.625 + 0.5 + 0.75 + 0.6 + 0.625) = 100 / 11 * 6.2667
    assert row["score"] == pytest.approx(56.9697, abs=1e-4)
    assert not row["feasible"] and row["excluded_by"] == "min_score"  # 56.97 < 57
    assert score_pairs(mentors, mentees, rules.replace(min_score=56.9)).iloc[0]["feasible"]


def test_contributions_add_up_and_columns_are_stable():
    mentors, mentees = profiles(3, 6, 9)
    out = score_pairs(mentors, mentees)
    assert list(out.columns) == [
        "mentee_id",
        "mentor_id",
        "score",
        *CRITERIA,
        "feasible",
        "excluded_by",
    ]
    np.testing.assert_allclose(out[list(CRITERIA)].sum(axis=1), out["score"], atol=1e-9)
    assert out["mentee_id"].is_monotonic_increasing
    assert set(out["excluded_by"].cat.categories) <= {
        "+".join(c)
        for k in range(len(EXCLUSION_RULES) + 1)
        for c in __import__("itertools").combinations(EXCLUSION_RULES, k)
    }


def test_raw_validated_and_shuffled_inputs_give_identical_tables():
    mentors, mentees = profiles(5, 7, 11)
    a = score_pairs(mentors, mentees)
    b = score_pairs(validate(mentors, "mentors"), validate(mentees, "mentees"))
    c = score_pairs(mentors.sample(frac=1, random_state=1), mentees.sample(frac=1, random_state=2))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_feasible_only_keeps_exactly_the_feasible_rows():
    mentors, mentees = profiles(8, 5, 8)
    full = score_pairs(mentors, mentees)
    part = score_pairs(mentors, mentees, feasible_only=True)
    pd.testing.assert_frame_equal(
        full[full["feasible"]].reset_index(drop=True).astype({"excluded_by": "str"}),
        part.astype({"excluded_by": "str"}),
    )


def test_department_rule_is_case_and_space_insensitive():
    mentors, mentees = profiles(1, 1, 1)
    mentors.loc[0, ["organisation", "department", "languages"]] = ["ACME ", "rh", "fr"]
    mentees.loc[0, ["organisation", "department", "languages"]] = ["acme", " RH", "fr"]
    out = score_pairs(mentors, mentees)
    assert out["excluded_by"].tolist() == ["same_department"]


def test_unknown_people_in_rules_are_reported():
    mentors, mentees = profiles(1, 2, 2)
    rules = {
        "hard_rules": {"forbidden_pairs": [["E009", "M001"]], "capacity_override": {"M777": 1}}
    }
    with pytest.raises(DataValidationError) as exc:
        score_pairs(mentors, mentees, rules)
    text = str(exc.value)
    assert "E009" in text and "M777" in text


def test_contract_errors_come_from_validation():
    mentors, mentees = profiles(1, 2, 2)
    with pytest.raises(DataValidationError, match="capacity"):
        score_pairs(mentors.drop(columns="capacity"), mentees)
    with pytest.raises(TypeError, match="mentors"):
        score_pairs([1, 2], mentees)


def test_without_criteria_columns_the_rest_is_identical():
    mentors, mentees = profiles(8, 4, 6)
    full = score_pairs(mentors, mentees)
    lean = score_pairs(mentors, mentees, criteria=False)
    pd.testing.assert_frame_equal(full.drop(columns=list(CRITERIA)), lean)


def test_prepare_people_resolves_the_rules_match_uses():
    people = ek.read_people(ek.example_intake())
    prep = prepare_people(people.mentors, people.mentees)
    result = ek.match(people.mentors, people.mentees)
    assert prep.rules == result.rules
    assert prep.rules == ek.MatchRules.coerce(list(ek.propose_rules(*people)))
    assert list(prep.mentees["mentee_id"]) == sorted(people.mentees["mentee_id"])
    # the sample layout keeps the default rules and is validated
    sample = prepare_people(*ek.example_profiles())
    assert sample.rules == ek.MatchRules() and sample.mentors["capacity"].dtype == "int64"


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda s: unicodedata.normalize("NFD", s), id="NFD accents"),
        pytest.param(lambda s: s.replace(" ", "  "), id="double space"),
        pytest.param(lambda s: s.replace(" ", "\u00a0"), id="no-break space"),
        pytest.param(lambda s: s.upper().replace(" ", "\u202f"), id="case and narrow NBSP"),
    ],
)
def test_conflict_of_interest_is_not_bypassed_by_invisible_differences(spelling):
    """Issue 12: an organisation written otherwise made a colleague pairable."""
    mentors, mentees = ek.example_profiles()
    org, dept = "Société Générale Énergie", "Ressources humaines"
    mentors = mentors.assign(organisation=org, department=dept)
    mentees = mentees.assign(organisation=spelling(org), department=spelling(dept))
    assert not score_pairs(mentors, mentees)["feasible"].any()


def _features(mentors, mentees, rules=None):
    from ementor_kit.matching._encode import encode
    from ementor_kit.matching.scores import _prepared

    rules, mentors, mentees = _prepared(mentors, mentees, rules)
    if "capacity" in mentors.columns:
        cap = mentors["capacity"].to_numpy(dtype=np.int64)
    else:
        cap = np.ones(len(mentors), dtype=np.int64)
    fe, fm, tables = encode(
        rules.criteria,
        rules.attribute_rules,
        mentees,
        mentors,
        mentees["mentee_id"].to_numpy(dtype=object),
        mentors["mentor_id"].to_numpy(dtype=object),
    )
    return fe, fm, cap, rules, tables


def _check_chunked_identical(fe, fm, cap, rules, tables):
    from ementor_kit.matching.scores import _chunked_total_score, _score_rows, _total_score

    dense = _total_score(fe, fm, cap, rules, tables)
    for cells in (1, 37, len(fm.ids) * 3 + 1, 10**9):  # one row, a few, uneven, one chunk
        chunked = _chunked_total_score(fe, fm, cap, rules, tables, chunk_cells=cells)
        assert chunked.tobytes() == dense.tobytes()  # bit for bit, NaN-free
    rows = slice(2, 5)
    assert _score_rows(fe, fm, cap, rules, tables, rows).tobytes() == dense[rows].tobytes()
    # every criterion over all pairs (lookup grids included) equals the pair-by-pair formula
    from ementor_kit.matching.scores import _criterion_values

    n, m = len(fe.ids), len(fm.ids)
    ii, jj = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    for c in rules.criteria:
        full = _criterion_values(fe, fm, cap, tables, c)
        one = _criterion_values(fe.take(ii), fm.take(jj), cap[jj], tables, c, paired=True)
        assert full.ravel().tobytes() == np.asarray(one, dtype=np.float64).tobytes(), c.name


def test_chunked_scores_are_identical_on_the_sample():
    prog = ek.load_sample()
    _check_chunked_identical(*_features(prog.mentors, prog.mentees))


def test_chunked_scores_are_identical_on_declared_rules():
    people = ek.read_people(ek.example_intake())
    _check_chunked_identical(*_features(people.mentors, people.mentees))
    men = pd.DataFrame(
        {
            "mentor_id": ["m1", "m2", "m3"],
            "years": [10.0, 3.0, np.nan],
            "tz": ["Europe/Paris", "UTC+05:30", "America/Montreal"],
            "level": [1.0, 5.0, 3.0],
        }
    )
    tees = pd.DataFrame(
        {
            "mentee_id": [f"e{i}" for i in range(7)],
            "years": [2.0, 0.0, 12.0, np.nan, 5.0, 1.0, 3.0],
            "tz": ["Asia/Tokyo", "UTC", "UTC-03:00", "Europe/Paris", "UTC", "UTC", "UTC"],
            "level": [1.0, 2.0, 5.0, 4.0, 3.0, 1.0, 2.0],
        }
    )
    rules = [
        {"kind": "gap", "attribute": "years", "min_gap": 4},
        {"kind": "closeness", "attribute": "level"},
        {"kind": "support", "attribute": "level", "low": 1, "high": 5, "name": "support"},
        {"kind": "shared_hours", "attribute": "tz", "hours": 6},
    ]
    _check_chunked_identical(*_features(men, tees, rules))


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), n_m=st.integers(1, 9), n_e=st.integers(1, 25))
def test_chunked_scores_are_identical_on_random_profiles(seed, n_m, n_e):
    mentors, mentees = profiles(seed, n_m, n_e)
    _check_chunked_identical(*_features(mentors, mentees))
