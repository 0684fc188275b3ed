import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ementor_kit.datasets import sample_dir
from ementor_kit.design import (
    EvaluationPlan,
    ProgrammeDesign,
)
from ementor_kit.errors import DataValidationError, EmentorKitError

DESIGNS = sample_dir() / "designs"
SMALL = ProgrammeDesign(
    name="small", n_mentees=40, n_mentors=14, mentor_capacity=2, duration_weeks=12
)
HYP = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _problems(exc_info) -> list[tuple[str, str | None]]:
    return [(p.file, p.column) for p in exc_info.value.problems]


# ------------------------------------------------------------------ validation
def test_unknown_keys_are_refused_with_a_suggestion():
    with pytest.raises(DataValidationError) as e:
        ProgrammeDesign.from_dict(
            {"cohorts": {}, "schedule": {"duration_weks": 3}, "evaluation": {"efect_size": 0.2}}
        )
    msgs = {p.column: p.fix for p in e.value.problems}
    assert msgs == {
        "cohorts": "did you mean 'cohort'?",
        "schedule.duration_weks": "did you mean 'duration_weeks'?",
        "evaluation.efect_size": "did you mean 'effect_size'?",
    }
    # a section's key at the top: its place, not a near top-level name
    with pytest.raises(DataValidationError) as e:
        ProgrammeDesign.from_dict({"n_mentees": 40, "duration_weeks": 8})
    assert {p.column: p.fix for p in e.value.problems} == {
        "n_mentees": "put it in its section, as cohort.n_mentees",
        "duration_weeks": "put it in its section, as schedule.duration_weeks",
    }


@pytest.mark.parametrize(
    "data, column, fix_part",
    [
        ({"cohort": {"n_mentees": 0}}, "cohort.n_mentees", "between 1 and 5000"),
        ({"cohort": {"n_mentees": "many"}}, "cohort.n_mentees", "whole number"),
        ({"cohort": {"n_mentors": 2.5}}, "cohort.n_mentors", "whole number"),
        ({"cohort": {"mentor_capacity": True}}, "cohort.mentor_capacity", "whole number"),
        ({"schedule": {"sync_share": 1.5}}, "schedule.sync_share", "between 0 and 1"),
        ({"schedule": {"checkin_every_days": 0}}, "schedule.checkin_every_days", "1 and 180"),
        ({"schedule": {"duration_weeks": 1}}, "schedule.duration_weeks", "2 and 104"),
        ({"format": {"type": "trio"}}, "format.type", "one_to_one, group"),
        ({"format": {"type": "group", "group_size": 1}}, "format.group_size", "between 2 and 15"),
        ({"format": {"group_size": 4}}, "format.group_size", "format.type: group"),
        ({"structure": "casual"}, "structure", "formal, informal"),
        ({"objectives": []}, "objectives", "at least one"),
        ({"objectives": [3]}, "objectives", "short sentences"),
        ({"name": " "}, "name", "short name"),
        ({"cohort": [1, 2]}, "cohort", "indented entries"),
        ({"evaluation": {"effect_size": 0}}, "evaluation.effect_size", "0.05 and 3"),
        ({"evaluation": {"alpha": 0.7}}, "evaluation.alpha", "(0, 0.5]"),
        ({"evaluation": {"power": 1.2}}, "evaluation.power", "0.999"),
        (
            {"evaluation": {"instruments": {"2T": ["gse"]}}},
            "evaluation.instruments.2T",
            "name waves with a letter",
        ),
        (
            {"evaluation": {"instruments": {"T0": ["gse"], "T2": ["gse"], "T1": ["gse"]}}},
            "evaluation.instruments",
            "in the order they are asked",
        ),
        (
            {"evaluation": {"instruments": {"T0": ["gse"], "T1": ["gse"], "T2": ["emx"]}}},
            "evaluation.primary_outcome",
            "add gse to evaluation.instruments.T2, or choose a primary outcome given at both "
            "T0 and T2",
        ),
        (
            {"evaluation": {"instruments": {"T0": ["gse"], "T1": ["gse", "wia"]}}},
            "evaluation.instruments.T1",
            "did you mean 'wai'?",
        ),
        (
            {"evaluation": {"instruments": {"T0": ["gse"], "T1": ["emx"]}}},
            "evaluation.primary_outcome",
            "add gse to evaluation.instruments.T1",
        ),
        (
            {"evaluation": {"primary_outcome": "nope"}},
            "evaluation.primary_outcome",
            "use one of: closure, emx, gse, mfq, pulse, wai",
        ),
    ],
)
def test_invalid_values_name_the_key_and_the_fix(data, column, fix_part):
    with pytest.raises(DataValidationError) as e:
        ProgrammeDesign.from_dict(data)
    assert [p.column for p in e.value.problems] == [column]
    assert fix_part in e.value.problems[0].fix
    assert column in str(e.value) and "Fix:" in str(e.value)
    assert isinstance(e.value, EmentorKitError)


def test_every_problem_is_reported_at_once():
    with pytest.raises(DataValidationError) as e:
        ProgrammeDesign(n_mentees=0, n_mentors=-1, sync_share=2, structure="x")
    assert sorted(p.column for p in e.value.problems) == [
        "cohort.n_mentees",
        "cohort.n_mentors",
        "schedule.sync_share",
        "structure",
    ]


def test_errors_from_a_file_name_the_file(tmp_path):
    path = tmp_path / "my_design.yaml"
    path.write_text("cohort:\n  n_mentors: 0\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        ProgrammeDesign.from_yaml(path)
    assert _problems(e) == [(str(path), "cohort.n_mentors")]
    with pytest.raises(DataValidationError, match="file not found"):
        ProgrammeDesign.from_yaml(tmp_path / "absent.yaml")
    with pytest.raises(DataValidationError, match="not valid YAML"):
        ProgrammeDesign.from_yaml("cohort: [1,\n")
    with pytest.raises(DataValidationError, match="must be a mapping"):
        ProgrammeDesign.from_yaml("- a\n- b\n")


def test_replace_refuses_unknown_fields_and_revalidates():
    with pytest.raises(DataValidationError, match="did you mean 'checkin_every_days'"):
        SMALL.replace(checkin_every_day=3)
    with pytest.raises(DataValidationError, match="schedule.duration_weeks"):
        SMALL.replace(duration_weeks=500)


def test_group_seats_and_whole_number_floats():
    d = ProgrammeDesign(format="group", group_size=5, mentor_capacity=2.0, n_mentors=10)
    assert d.mentor_capacity == 2 and isinstance(d.mentor_capacity, int)
    assert d.seats == 100


# ------------------------------------------------------------------ YAML round trip
def test_example_designs_load_and_round_trip():
    files = sorted(DESIGNS.glob("*.yaml"))
    assert len(files) >= 2
    names = set()
    for f in files:
        d = ProgrammeDesign.from_yaml(f)
        names.add(d.name)
        text = d.to_yaml()
        assert ProgrammeDesign.from_yaml(text) == d
        assert ProgrammeDesign.from_yaml(text).to_yaml() == text
    assert len(names) == len(files)


_designs = st.builds(
    lambda fmt, g, **kw: ProgrammeDesign(format=fmt, group_size=g if fmt == "group" else 1, **kw),
    fmt=st.sampled_from(["one_to_one", "group"]),
    g=st.integers(2, 15),
    name=st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20
    ).filter(lambda s: s.strip() == s and s.strip()),
    objectives=st.lists(
        st.sampled_from(["Find a job", "Réseau: contacts", "yes", "1 2"]), min_size=1, max_size=3
    ),
    n_mentees=st.integers(1, 5000),
    mentor_capacity=st.integers(1, 10),
    duration_weeks=st.integers(2, 104),
    sync_share=st.floats(0, 1),
    checkin_every_days=st.integers(1, 180),
    structure=st.sampled_from(["formal", "informal"]),
    evaluation=st.builds(
        EvaluationPlan,
        instruments=st.fixed_dictionaries(
            {"T0": st.just(["gse"]), "T1": st.sampled_from([["gse"], ["emx", "gse"]])}
        ),
        effect_size=st.floats(0.05, 3),
        alpha=st.floats(0.001, 0.5),
        power=st.floats(0.5, 0.999),
    ),
)


@settings(max_examples=60, deadline=None)
@given(_designs)
def test_yaml_round_trip_property(d):
    text = d.to_yaml()
    back = ProgrammeDesign.from_yaml(text)
    assert back == d
    assert hash(back) == hash(d)
    assert back.to_yaml() == text


def test_to_yaml_writes_a_file(tmp_path):
    path = tmp_path / "sub" / "d.yaml"
    SMALL.to_yaml(path)
    assert ProgrammeDesign.from_yaml(path) == SMALL
