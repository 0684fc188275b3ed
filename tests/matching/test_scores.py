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
    # the hard rules: the must criteria on their grids or computed directly, in chunks or not
    from ementor_kit.matching.scores import _exclusions

    shape = (len(fe.ids), len(fm.ids))
    ref = _exclusions(rules, fe, fm, cap, tables, shape, grids={}, chunk_cells=10**9)
    for cells in (1, 37, 10**9):
        got = _exclusions(rules, fe, fm, cap, tables, shape, chunk_cells=cells)
        assert got.tobytes() == ref.tobytes()
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


# ------------------------------------------------------------------ fast path vs the formulas
_ZONES = ["Europe/Paris", "UTC+05:30", "America/Montreal", "UTC", "Asia/Tokyo", 2.0, None]
_SKILLS = ["cv", "Réseau", " entretien ", "PROJET", "ré\u0301seau"]  # NFC, case, spaces


def _random_people(seed: int, n_m: int, n_e: int):
    """Typed tables with missing values, duplicates (the grid), multi-selects, languages,
    time zones, -0.0 and NaN."""
    rng = np.random.default_rng(seed)

    def pick(pool, n, p_missing=0.2):
        return [
            None if rng.random() < p_missing else pool[rng.integers(len(pool))] for _ in range(n)
        ]

    def sets(pool, n):
        out = []
        for _ in range(n):
            if rng.random() < 0.15:
                out.append(None)
            else:
                k = int(rng.integers(0, 4))
                out.append(tuple(pool[i] for i in rng.choice(len(pool), k, replace=False)))
        return out

    def nums(pool, n):
        return np.array(
            [np.nan if rng.random() < 0.2 else pool[rng.integers(len(pool))] for _ in range(n)]
        )

    def table(n, key, prefix):
        return pd.DataFrame(
            {
                key: [f"{prefix}{i:03d}" for i in range(n)],
                "skills": sets(_SKILLS, n),
                "langs": sets(["fr", "EN", "es "], n),
                "domain": pick(["Santé", "santé ", "Tech", "BTP"], n),
                "mode": pick(["sync", "async", "mixed"], n),
                "tz": pick(_ZONES, n),
                "years": nums([0.0, -0.0, 3.0, 7.5, 12.0], n),
                "level": nums([1.0, 2.0, 3.0, 4.0, 5.0], n),
                "hours": nums([0.0, 1.0, 2.0, 4.0], n),
                "org": pick(["A", "b", "B "], n, 0.1),
                "dept": pick(["x", "Y"], n, 0.1),
            }
        )

    mentors = table(n_m, "mentor_id", "m").assign(capacity=rng.integers(0, 3, n_m))
    return mentors, table(n_e, "mentee_id", "e")


_MODES = [["sync", "sync"], ["async", "async"], ["mixed", "mixed"], ["sync", "mixed", 0.5]]
_NEED = [["sync", "sync", 1], ["mixed", "sync", 1], ["mixed", "mixed", 0.5], ["sync", "async", 1]]


def _declared_rules(must: bool, scale: bool):
    close = {"kind": "closeness", "attribute": "level", "weight": 1.5}
    if scale:
        close["scale"] = 2
    return [
        {
            "kind": "overlap",
            "attribute": "skills",
            **({"importance": "must"} if must else {"weight": 3}),
        },
        {"kind": "same", "attribute": "domain", "weight": 2},
        {"kind": "compatible", "attribute": "mode", "pairs": _MODES},
        {
            "kind": "shared_hours",
            "attribute": "tz",
            "hours": 6,
            "need": {"attribute": "mode", "pairs": _NEED},
        },
        close,
        {"kind": "gap", "attribute": "years", "min_gap": 4, "name": "gap4"},
        {"kind": "gap", "attribute": "years", "min_gap": 0, "name": "gap0", "weight": 0.5},
        {"kind": "capacity_share", "attribute": "hours"},
        {"kind": "support", "attribute": "level", "low": 1, "high": 5, "name": "support"},
        {"kind": "require_shared", "attribute": "langs"},
        {"kind": "require_same", "attribute": "mode"},
        {"kind": "forbid_same", "attribute": ["org", "dept"]},
    ]


def _norm(v):
    return " ".join(unicodedata.normalize("NFC", str(v)).split()).casefold()


def _missing(v):
    return v is None or (isinstance(v, float) and v != v)


def _offset(v):
    import datetime as dt
    import zoneinfo

    if _missing(v):
        return float("nan")
    if isinstance(v, float):
        return v
    if v == "UTC":
        return 0.0
    if v.startswith("UTC"):
        sign = -1 if v[3] == "-" else 1
        return sign * (int(v[4:6]) + int(v[7:9]) / 60)
    noon = dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(v))
    return noon.utcoffset().total_seconds() / 3600


def _table_value(pairs, a, b):
    if _missing(a) or _missing(b):
        return 0.0
    for p in pairs:
        if (_norm(p[0]), _norm(p[1])) == (_norm(a), _norm(b)):
            return float(p[2]) if len(p) > 2 else 1.0
    return 0.0


def _zero_nan(x):
    return 0.0 if x != x else x


def _pair_values(e, m, cap, spread) -> dict[str, float]:
    """Every declared criterion of one pair, from the module documentation."""
    want = {_norm(x) for x in (e["skills"] or ())}
    have = {_norm(x) for x in (m["skills"] or ())}
    d = abs(_offset(e["tz"]) - _offset(m["tz"])) % 24
    d = min(d, 24 - d)
    overlap = min(max((6 - d) / 6, 0.0), 1.0)
    need = _table_value(_NEED, e["mode"], m["mode"])
    gap = m["years"] - e["years"]
    per = m["hours"] / max(cap, 1)
    lo, hi = 1.0, 5.0
    support = 1 - (hi - e["level"]) / (hi - lo) * (1 - (m["level"] - lo) / (hi - lo))
    return {
        "skills": len(want & have) / len(want) if want else 1.0,
        "domain": float(
            not _missing(e["domain"])
            and not _missing(m["domain"])
            and _norm(e["domain"]) == _norm(m["domain"])
        ),
        "mode": _table_value(_MODES, e["mode"], m["mode"]),
        "tz": _zero_nan(1 - need * (1 - overlap)),
        "level": _zero_nan(1 - min(abs(e["level"] - m["level"]) / spread, 1.0)),
        "gap4": _zero_nan(min(max(gap / 4, 0.0), 1.0)),
        "gap0": float(gap >= 0),
        "hours": 1.0 if not e["hours"] > 0 else _zero_nan(min(per / e["hours"], 1.0)),
        "support": _zero_nan(min(max(support, 0.0), 1.0)),
    }


def _pair_exclusions(e, m, cap, values, must) -> list[str]:
    out = []
    le = {_norm(x) for x in (e["langs"] or ())}
    lm = {_norm(x) for x in (m["langs"] or ())}
    if not le & lm:
        out.append("require_shared_langs")
    if _missing(e["mode"]) or _missing(m["mode"]) or _norm(e["mode"]) != _norm(m["mode"]):
        out.append("require_same_mode")
    keys = ("org", "dept")
    if not any(_missing(e[k]) or _missing(m[k]) for k in keys) and all(
        _norm(e[k]) == _norm(m[k]) for k in keys
    ):
        out.append("forbid_same_org_dept")
    if must and values["skills"] <= 0:
        out.append("must_skills")
    if cap == 0:
        out.append("no_capacity")
    return out


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    n_m=st.integers(1, 8),
    n_e=st.integers(1, 14),
    must=st.booleans(),
    scale=st.booleans(),
    share=st.sampled_from([0.0, 0.5, 2.0]),
)
def test_fast_scores_equal_the_formulas_on_random_declared_people(
    seed, n_m, n_e, must, scale, share
):
    from ementor_kit.matching import _values

    mentors, mentees = _random_people(seed, n_m, n_e)
    rules = _declared_rules(must, scale)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_values, "GRID_SHARE", share)  # no grid, the default, always a grid
        out = score_pairs(mentors, mentees, rules)
    levels = pd.concat([mentors["level"], mentees["level"]]).dropna()
    spread = 2.0 if scale else ((levels.max() - levels.min()) or 1.0) if len(levels) else 1.0
    weights = {"skills": 3, "domain": 2, "level": 1.5, "gap0": 0.5}
    got = out.set_index(["mentee_id", "mentor_id"])
    names = ["skills", "domain", "mode", "tz", "level", "gap4", "gap0", "hours", "support"]
    total = sum(weights.get(c, 1.0) for c in names)
    for _, e in mentees.iterrows():
        for _, m in mentors.iterrows():
            row = got.loc[(e["mentee_id"], m["mentor_id"])]
            ref = _pair_values(e, m, int(m["capacity"]), spread)
            points = {c: 100 * weights.get(c, 1.0) * ref[c] / total for c in names}
            for c in names:
                assert row[c] == pytest.approx(points[c], abs=1e-9), c
            assert row["score"] == pytest.approx(sum(points.values()), abs=1e-9)
            excl = _pair_exclusions(e, m, int(m["capacity"]), ref, must)
            assert row["excluded_by"].split("+") == (excl or [""])


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    n_m=st.integers(1, 8),
    n_e=st.integers(1, 30),
    must=st.booleans(),
)
def test_chunked_scores_are_identical_on_random_declared_people(seed, n_m, n_e, must):
    mentors, mentees = _random_people(seed, n_m, n_e)
    _check_chunked_identical(*_features(mentors, mentees, _declared_rules(must, False)))


def _same_scores(a, b):
    assert a.score.tobytes() == b.score.tobytes()
    assert a.excluded.tobytes() == b.excluded.tobytes()
    assert list(a.rules.exclusion_rules) == list(b.rules.exclusion_rules)


def _variants(rules: MatchRules, mentors, mentees):
    """Re-weightings and every other control the playground has, one after the other."""
    names = [c.name for c in rules.criteria]
    m_ids, e_ids = list(mentors["mentor_id"]), list(mentees["mentee_id"])
    yield rules
    yield rules.replace(weights={n: float(k % 3) + 0.5 for k, n in enumerate(names)})
    yield rules.replace(weights={n: (0.0 if k else 2.0) for k, n in enumerate(names)})
    yield rules.replace(min_score=30.0, capacity_override={m_ids[0]: 0})
    yield rules.replace(capacity_override={m_ids[-1]: 5}, objective="maximin")
    yield rules.replace(forbidden_pairs=((e_ids[0], m_ids[0]),))
    yield rules


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), n_m=st.integers(2, 8), n_e=st.integers(2, 20))
def test_prepared_people_give_identical_scores_for_any_controls(seed, n_m, n_e):
    from ementor_kit.matching.scores import _score_matrix

    mentors, mentees = _random_people(seed, n_m, n_e)
    prep = prepare_people(mentors, mentees, _declared_rules(True, False))
    for rules in _variants(prep.rules, prep.mentors, prep.mentees):
        fast = _score_matrix(prep.mentors, prep.mentees, rules, prep)
        _same_scores(fast, _score_matrix(mentors, mentees, rules))
    # other criteria: the tables are checked for them, and nothing kept is reused wrongly
    other = [{"kind": "closeness", "attribute": "hours"}, {"kind": "same", "attribute": "org"}]
    fast = _score_matrix(prep.mentors, prep.mentees, other, prep)
    _same_scores(fast, _score_matrix(mentors, mentees, other))


def test_prepared_match_is_identical_on_the_sample():
    from ementor_kit.matching.scores import _score_matrix

    prog = ek.load_sample()
    prep = prepare_people(prog.mentors, prog.mentees)
    for rules in _variants(
        prep.rules.replace(shared_language=False, no_same_department=False),
        prep.mentors,
        prep.mentees,
    ):
        _same_scores(
            _score_matrix(prep.mentors, prep.mentees, rules, prep),
            _score_matrix(prog.mentors, prog.mentees, rules),
        )
    rules = prep.rules.replace(weights={"domain": 3.0, "skills": 0.5})
    fast = ek.match(prep.mentors, prep.mentees, rules, prepared=prep)
    slow = ek.match(prog.mentors, prog.mentees, rules)
    pd.testing.assert_frame_equal(fast.pairs, slow.pairs)
    pd.testing.assert_frame_equal(fast.unmatched, slow.unmatched)
    assert fast.provenance == slow.provenance
    # the tables' bytes are kept by prep after the first call: other rules still hash anew
    stricter = rules.replace(min_score=70)
    again = ek.match(prep.mentors, prep.mentees, stricter, prepared=prep)
    assert again.provenance == ek.match(prog.mentors, prog.mentees, stricter).provenance
    assert again.provenance != fast.provenance


def test_prepared_needs_its_own_tables():
    from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError

    mentors, mentees = ek.example_profiles()
    prep = prepare_people(mentors, mentees)
    with pytest.raises(InvalidArgumentError, match="prepare_people returned"):
        ek.match(mentors, mentees, prepared=prep)
    with pytest.raises(ArgumentTypeError, match="prepare_people"):
        ek.match(prep.mentors, prep.mentees, prepared="prep")
