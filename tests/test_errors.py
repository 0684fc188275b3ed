"""One error contract: every mistake in an argument is an EmentorKitError naming the argument.

The first test walks the public API with wrong-typed or out-of-range arguments; the second
reads the package's source and refuses any ``raise`` of a bare built-in exception.
"""

import ast
import builtins
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ementor_kit as ek
from ementor_kit import survey

KEY = "a-study-key-for-the-tests-0123456789"


@pytest.fixture(scope="module")
def ctx():
    sample = ek.load_sample()
    mentors, mentees = ek.example_profiles()
    t0, t1 = sample.surveys["mentee_t0"], sample.surveys["mentee_t1"]
    scores = ek.score(t1, "wai", keep=["respondent_id"])
    return {
        "sample": sample,
        "mentors": mentors,
        "mentees": mentees,
        "result": ek.match(mentors, mentees),
        "engagement": ek.engagement(sample.interactions, sample.pairs),
        "t0": t0,
        "t1": t1,
        "items": t0[[f"gse_{i}" for i in range(1, 11)]],
        "groups": scores.assign(arm=np.where(np.arange(len(scores)) % 2, "a", "b")),
        "counts": pd.DataFrame({"sync": [3, 20], "async": [8, 11]}, index=["A", "B"]),
        "design": ek.example_designs()["short_async_first"],
        "ids": pd.DataFrame({"respondent_id": ["E1", "E2"]}),
    }


# (call, expected class, argument the message must name)
CASES = {
    # matching
    "match rules=42": (lambda c: ek.match(c["mentors"], c["mentees"], rules=42), ek.ArgumentTypeError, "rules"),
    "match objective": (lambda c: ek.match(c["mentors"], c["mentees"], objective="best"), ek.InvalidArgumentError, "objective"),
    "match solver": (lambda c: ek.match(c["mentors"], c["mentees"], solver="gurobi"), ek.InvalidArgumentError, "solver"),
    "match time_limit": (lambda c: ek.match(c["mentors"], c["mentees"], time_limit=-1), ek.InvalidArgumentError, "time_limit"),
    "score_pairs mentors": (lambda c: ek.score_pairs([1, 2], c["mentees"]), ek.ArgumentTypeError, "mentors"),
    "assign capacity": (lambda c: ek.assign(c["result"].pairs, [1, 2]), ek.ArgumentTypeError, "capacity"),
    "assign candidates": (lambda c: ek.assign("pairs.csv", {"M001": 1}), ek.ArgumentTypeError, "candidates"),
    "rematch result": (lambda c: ek.rematch(42, c["mentors"], c["mentees"]), ek.ArgumentTypeError, "result"),
    "compare_rules empty": (lambda c: ek.compare_rules({}, c["mentors"], c["mentees"]), ek.InvalidArgumentError, "rule_sets"),
    "compare_rules tables first": (lambda c: ek.compare_rules(c["mentors"], c["mentees"], {"a": None}), ek.ArgumentTypeError, "rule_sets"),
    "explain unknown mentee": (lambda c: c["result"].explain("E999"), ek.UnknownNameError, "mentee_id"),
    "MatchRules.coerce": (lambda c: ek.MatchRules.coerce(3.5), ek.ArgumentTypeError, "rules"),
    # graph
    "engagement as_of text": (lambda c: ek.engagement(c["sample"].interactions, c["sample"].pairs, as_of="01/11/2026"), ek.InvalidArgumentError, "as_of"),
    "engagement as_of naive": (lambda c: ek.engagement(c["sample"].interactions, c["sample"].pairs, as_of="2026-11-01T10:00:00"), ek.InvalidArgumentError, "as_of"),
    "engagement as_of type": (lambda c: ek.engagement(c["sample"].interactions, c["sample"].pairs, as_of=[2026, 11, 1]), ek.ArgumentTypeError, "as_of"),
    "engagement thresholds": (lambda c: ek.engagement(c["sample"].interactions, c["sample"].pairs, thresholds={"check_in_days": 7}), ek.ArgumentTypeError, "thresholds"),
    "EngagementThresholds": (lambda c: ek.EngagementThresholds(check_in_days=-1), ek.InvalidArgumentError, "check_in_days"),
    "goal_progress stalled_days": (lambda c: ek.goal_progress(c["sample"].goals, c["sample"].goal_updates, c["sample"].pairs, stalled_days="30"), ek.ArgumentTypeError, "stalled_days"),
    "network_summary graph": (lambda c: ek.network_summary(nx.DiGraph()), ek.ArgumentTypeError, "graph"),
    "plot_network graph": (lambda c: ek.plot_network(42), ek.ArgumentTypeError, "graph"),
    "retention without pairs": (lambda c: ek.retention(c["sample"].interactions), ek.InvalidArgumentError, "pairs"),
    "plot_retention table": (lambda c: ek.plot_retention(ek.retention(c["engagement"]).table), ek.ArgumentTypeError, "retention"),
    "plot_sync_async table": (lambda c: ek.plot_sync_async(c["engagement"]), ek.InvalidArgumentError, "weekly"),
    # survey
    "cronbach_alpha ci": (lambda c: ek.cronbach_alpha(c["items"], ci=2), ek.InvalidArgumentError, "ci"),
    "cronbach_alpha nan_policy": (lambda c: ek.cronbach_alpha(c["items"], nan_policy="all"), ek.InvalidArgumentError, "nan_policy"),
    "cronbach_alpha 1-D": (lambda c: ek.cronbach_alpha(np.ones(5)), ek.InvalidArgumentError, "items"),
    "reliability ci": (lambda c: ek.reliability(c["t0"], "gse", ci=95), ek.InvalidArgumentError, "ci"),
    "score keep": (lambda c: ek.score(c["t0"], "gse", keep=["nope"]), ek.UnknownNameError, "keep"),
    "score min_answered": (lambda c: ek.score(c["t0"], "gse", min_answered=0), ek.InvalidArgumentError, "min_answered"),
    "score instrument type": (lambda c: ek.score(c["t0"], 42), ek.ArgumentTypeError, "instrument"),
    "subscale": (lambda c: ek.load_instrument("wai").subscale("trust"), ek.UnknownNameError, "id"),
    "compare_waves ci": (lambda c: ek.compare_waves(c["t0"], c["t1"], "gse", ci=1.5), ek.InvalidArgumentError, "ci"),
    "compare_groups groups": (lambda c: ek.compare_groups(c["groups"], "arm", groups=("a", "z")), ek.UnknownNameError, "groups"),
    "compare_groups same group": (lambda c: ek.compare_groups(c["groups"], "arm", groups=("a", "a")), ek.InvalidArgumentError, "groups"),
    "dyad_agreement ci": (lambda c: ek.dyad_agreement(c["sample"].surveys["mentor_t1"], c["t1"], c["sample"].pairs, ci=0), ek.InvalidArgumentError, "ci"),
    "link_to_pairs role": (lambda c: survey.link_to_pairs(c["t1"], c["sample"].pairs, "coach"), ek.InvalidArgumentError, "role"),
    "icc ratings": (lambda c: ek.icc(np.ones(5)), ek.InvalidArgumentError, "ratings"),
    "plan_sample_size effect_size": (lambda c: ek.plan_sample_size(0), ek.InvalidArgumentError, "effect_size"),
    "plan_sample_size power": (lambda c: ek.plan_sample_size(0.5, power=1.2), ek.InvalidArgumentError, "power"),
    "plan_sample_size alpha type": (lambda c: ek.plan_sample_size(0.5, alpha="0.05"), ek.ArgumentTypeError, "alpha"),
    "t_test_power alternative": (lambda c: survey.t_test_power(0.5, 30, alternative="less"), ek.InvalidArgumentError, "alternative"),
    "pseudonymise columns": (lambda c: ek.pseudonymise(c["ids"], "email", key=KEY), ek.UnknownNameError, "columns"),
    "pseudonymise length": (lambda c: ek.pseudonymise(c["ids"], "respondent_id", key=KEY, length=4), ek.InvalidArgumentError, "length"),
    "pseudonymise short key": (lambda c: ek.pseudonymise(c["ids"], "respondent_id", key="short"), ek.InvalidArgumentError, "key"),
    "pseudonymise key type": (lambda c: ek.pseudonymise(c["ids"], "respondent_id", key=42), ek.ArgumentTypeError, "key"),
    "suppress_small_cells k": (lambda c: ek.suppress_small_cells(c["counts"], k=0), ek.InvalidArgumentError, "k"),
    "suppress_small_cells table": (lambda c: ek.suppress_small_cells([[1, 2]]), ek.ArgumentTypeError, "table"),
    "ols cov_type": (lambda c: ek.ols(c["groups"], "wai_total", ["wai_bond"], cov_type="HC1"), ek.InvalidArgumentError, "cov_type"),
    "write_export format": (lambda c: ek.write_export(c["t0"], "never-written.csv", "typeform"), ek.InvalidArgumentError, "format"),
    # design
    "simulate design type": (lambda c: ek.simulate(42), ek.ArgumentTypeError, "design"),
    "simulate seed": (lambda c: ek.simulate(c["design"], seed=-1), ek.InvalidArgumentError, "seed"),
    "simulate assumptions": (lambda c: ek.simulate(c["design"], assumptions=42), ek.ArgumentTypeError, "assumptions"),
    "compare_designs empty": (lambda c: ek.compare_designs([]), ek.InvalidArgumentError, "designs"),
    "compare_designs duplicate names": (lambda c: ek.compare_designs([c["design"], c["design"]]), ek.InvalidArgumentError, "designs"),
    "ProgrammeDesign.coerce": (lambda c: ek.ProgrammeDesign.coerce(None), ek.ArgumentTypeError, "design"),
    # data and datasets
    "validate df": (lambda c: ek.validate([1, 2], "mentors"), ek.ArgumentTypeError, "df"),
    "validate table": (lambda c: ek.validate(c["mentors"], "mentorz"), ek.InvalidArgumentError, "table"),
    "read_table table": (lambda c: ek.read_table("mentors.csv", "people"), ek.InvalidArgumentError, "table"),
    "write_programme type": (lambda c: ek.write_programme(42, "never-written"), ek.ArgumentTypeError, "programme"),
    "write_programme unknown table": (lambda c: ek.write_programme({"mentor": c["mentors"]}, "never-written"), ek.UnknownNameError, "programme"),
    "example_export": (lambda c: ek.example_export("typeform.csv"), ek.InvalidArgumentError, "name"),
    "generate_programme n_mentees": (lambda c: ek.generate_programme(n_mentees=0), ek.InvalidArgumentError, "n_mentees"),
    "generate_programme start": (lambda c: ek.generate_programme(start="next week"), ek.InvalidArgumentError, "start"),
    # report
    "pilot_report key": (lambda c: ek.pilot_report(c["sample"], key="short"), ek.InvalidArgumentError, "key"),
    "pilot_report k": (lambda c: ek.pilot_report(c["sample"], key=KEY, k=0), ek.InvalidArgumentError, "k"),
    "pilot_report alliance_outcome": (lambda c: ek.pilot_report(c["sample"], key=KEY, alliance_outcome="trust"), ek.InvalidArgumentError, "alliance_outcome"),
}  # fmt: skip


def test_the_walk_covers_the_subpackages():
    assert len(CASES) >= 25
    named = " ".join(CASES)
    for word in ("match", "engagement", "score", "simulate", "validate", "example_export"):
        assert word in named


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_wrong_argument_is_an_error_of_the_package_naming_it(ctx, name):
    call, expected, argument = CASES[name]
    with pytest.raises(ek.EmentorKitError) as info:
        call(ctx)
    err = info.value
    assert isinstance(err, expected), f"{type(err).__name__}: {err}"
    assert err.argument == argument
    assert str(err).startswith(f"argument '{argument}': ")
    assert ". Fix: " in str(err) and err.problem.fix  # every message says what to do
    if isinstance(err, ek.ArgumentTypeError):
        assert isinstance(err, TypeError)
    assert isinstance(err, ValueError)  # InvalidArgumentError is a ValueError


def test_unknown_names_are_also_key_errors_printed_plainly():
    with pytest.raises(KeyError) as info:
        ek.load_instrument("wai").subscale("trust")
    assert isinstance(info.value, ek.UnknownNameError)
    assert str(info.value) == (
        "argument 'id': WAI-SR has no subscale 'trust'. Fix: use one of 'task', 'bond', 'goal', "
        "'total'"
    )


def test_the_secret_key_never_appears_in_the_error():
    secret = "short-secret"
    with pytest.raises(ek.InvalidArgumentError) as info:
        survey.study_key(secret)
    assert secret not in str(info.value) and info.value.value != secret


# Built-in exceptions the package must not raise itself. AssertionError is left out: it marks
# invariants that only a bug can break, never a user's input.
_BUILTIN = {
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), Exception)
    and not issubclass(getattr(builtins, name), Warning)
} - {"AssertionError", "StopIteration", "StopAsyncIteration"}


def _builtin_raises(source: str) -> list[tuple[int, str]]:
    """Lines that raise (or build, to raise later) a bare built-in exception."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in tree.body:  # module __getattr__ must raise AttributeError (PEP 562)
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            allowed |= {id(n) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        target = node.exc if isinstance(node, ast.Raise) else node
        if isinstance(target, ast.Call):
            target = target.func
        if isinstance(node, ast.Raise | ast.Call) and isinstance(target, ast.Name):
            if target.id in _BUILTIN:
                found.append((node.lineno, target.id))
    return sorted(set(found))


def test_the_source_check_catches_what_it_should():
    bad = "def f(x):\n    if x:\n        raise ValueError('no')\n    err = KeyError(x)\n    raise err\n"
    assert _builtin_raises(bad) == [(3, "ValueError"), (4, "KeyError")]
    ok = (
        "def __getattr__(name):\n    raise AttributeError(name)\n"
        "def g(x):\n    try:\n        int(x)\n    except ValueError as err:\n"
        "        raise InvalidArgumentError('x', x, 'a number') from err\n"
        "    raise AssertionError('unreachable')\n"
    )
    assert _builtin_raises(ok) == []


def test_the_package_raises_no_bare_builtin_exception():
    root = Path(ek.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{line}: {name}"
        for path in sorted(root.rglob("*.py"))
        for line, name in _builtin_raises(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_pilot_report_refuses_a_k_that_hides_nothing(ctx):
    # k = 1 hid no count while the header read "Counts from 1 to 0 are hidden"
    with pytest.raises(ek.InvalidArgumentError) as info:
        ek.pilot_report(ctx["sample"], key=KEY, k=1)
    err = info.value
    assert err.argument == "k" and err.value == 1
    assert str(err).startswith("argument 'k': 1 is not accepted. Fix: ")
    assert "at least 2" in err.problem.fix


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_wrong_argument_reads_in_french(ctx, name):
    from tests.i18n._raise_sites import english_left

    with pytest.raises(ek.EmentorKitError) as info:
        CASES[name][0](ctx)
    err = info.value
    french = err.in_language("fr")
    assert french.startswith(f"argument « {err.argument} » : ") and "Correction : " in french
    assert english_left(err) == []
    assert err.in_language("en") == str(err)
