"""The public names the issues promise (tests outside this repository call them)."""

import ast
import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

import ementor_kit as ek

CONTRACT = {
    "ementor_kit": [
        "sweep",
        "outcome_summary",
        "tradeoff_table",
        "practice_checklist",
        "practice_costs",
        "design_evaluations",
        "read_interactions",
        "read_programme",
        "validate",
        "load_sample",
        "generate_programme",
        "DataValidationError",
        "EmentorKitError",
        "match",
        "MatchRules",
        "score_pairs",
        "engagement",
        "goal_progress",
        "weekly_activity",
        "retention",
        "programme_graph",
        "network_summary",
        "import_planned_sessions",
        "shortlist",
        "Shortlist",
        "read_preferences",
        "Preferences",
        "followup",
        "FollowUp",
        "read_checkins",
    ],
    "ementor_kit.data": ["read_preferences", "Preferences"],
    "ementor_kit.exchanges": ["import_planned_sessions", "PlannedSessions"],
    "ementor_kit.samples": ["generate_programme", "load_sample"],
    "ementor_kit.matching": [
        "MatchRules",
        "score_pairs",
        "assign",
        "match",
        "MatchResult",
        "greedy",
        "random_pairing",
        "stable_pairing",
        "flash_sessions",
        "FlashSchedule",
        "audit",
        "compare_rules",
        "form_circles",
        "propose_slots",
        "read_availability",
        "rematch",
        "shortlist",
        "Shortlist",
        "Resolution",
        "InfeasibleMatchingError",
    ],
    "ementor_kit.graph": [
        "engagement",
        "circle_engagement",
        "flash_metrics",
        "followup",
        "read_checkins",
        "read_interactions",
        "goal_progress",
        "weekly_activity",
        "retention",
        "programme_graph",
        "network_summary",
        "plot_activity_heatmap",
        "plot_retention",
        "plot_sync_async",
        "plot_network",
    ],
    "ementor_kit.survey": [
        "Instrument",
        "read_qualtrics",
        "read_limesurvey",
        "read_google_forms",
        "read_surveymonkey",
        "read_msforms",
        "read_spss",
        "read_survey",
        "score",
        "scoring_rules",
        "scoring_counts",
        "cronbach_alpha",
        "omega_total",
        "item_stats",
        "reliability",
        "compare_waves",
        "mixed_model",
        "wave_plan",
        "stack_waves",
        "compare_wave_series",
        "latest_pulse",
        "closure_summary",
        "goal_history",
        "dyad_agreement",
        "rwg_null",
        "compare_groups",
        "plan_sample_size",
        "pseudonymise",
        "suppress_small_cells",
    ],
    "ementor_kit.widgets": ["MatchPlayground", "FollowUpBoard"],
    "ementor_kit.design": [
        "ProgrammeDesign",
        "simulate",
        "compare_designs",
        "PracticePlan",
        "OutcomeAssumptions",
        "expected_outcomes",
        "outcome_summary",
        "tradeoff_table",
        "practice_checklist",
        "practice_costs",
        "evaluation_designs",
        "design_evaluations",
    ],
    "ementor_kit.cli": ["main"],
}


@pytest.mark.parametrize("module", sorted(CONTRACT))
def test_contract_names_exist(module):
    mod = importlib.import_module(module)
    missing = [name for name in CONTRACT[module] if not hasattr(mod, name)]
    assert missing == []


def test_everything_in___all___exists_and_is_documented():
    undocumented = []
    for name in ek.__all__:
        obj = getattr(ek, name)
        if callable(obj) and not (obj.__doc__ or "").strip():
            undocumented.append(name)
    assert undocumented == []


def test_errors_share_one_base_class():
    assert issubclass(ek.DataValidationError, ek.EmentorKitError)
    assert issubclass(ek.InfeasibleMatchingError, ek.EmentorKitError)


def _package_modules():
    import pkgutil

    return [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(ek.__path__, "ementor_kit.")
        if not m.name.endswith("__main__")
    ]


def test_each_public_name_has_one_defining_module_and_it_is_not_private():
    """A public function or class is defined once, in a module whose path has no private part."""
    defined: dict[str, list[str]] = {}
    for mod in _package_modules():
        for name, obj in vars(mod).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) == mod.__name__:
                defined.setdefault(name, []).append(mod.__name__)
    twice = {n: mods for n, mods in defined.items() if len(mods) > 1}
    assert twice == {}
    private_home = {
        n: getattr(ek, n).__module__
        for n in ek.__all__
        if any(part.startswith("_") for part in getattr(ek, n).__module__.split("."))
    }
    assert private_home == {}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("ementor_kit")
        ):
            yield node.module, [a.name for a in node.names]


def test_private_names_are_not_imported_across_subpackages():
    root = Path(ek.__file__).parent
    crossing = []
    for path in sorted(root.rglob("*.py")):
        home = path.relative_to(root).parts[0]
        for module, names in _imports(path):
            parts = module.split(".")
            target = parts[1] if len(parts) > 1 else ""
            if target.endswith(".py") or target == home:
                continue
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if any(p.startswith("_") for p in parts[2:]) or private:
                crossing.append(f"{path.relative_to(root)}: from {module} import {names}")
    assert crossing == []


def test_notebooks_benchmarks_and_doctests_use_public_paths():
    """Notebooks, benchmarks and docstring examples reach the package through public paths only."""
    repo = Path(ek.__file__).parents[1]
    private = re.compile(r"(?:from|import) (ementor_kit(?:\.\w+)*)(?: import ([\w, ()]+))?")
    found = []
    sources = [
        *sorted((repo / "notebooks").glob("*.ipynb")),
        *sorted((repo / "benchmarks").glob("*.py")),
    ]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for module, names in private.findall(text):
            if any(p.startswith("_") for p in module.split(".")) or re.search(r"\b_\w+", names):
                found.append(f"{path.name}: {module} {names}")
    for path in sorted(Path(ek.__file__).parent.rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith(">>>"):
                for module, names in private.findall(line):
                    if any(p.startswith("_") for p in module.split(".")) or re.search(
                        r"\b_\w+", names
                    ):
                        found.append(f"{path.name}: {line}")
    assert found == []


def test_tests_mirror_the_package_layout():
    """Each ``tests/<subpackage>/test_<module>.py`` tests a module of that subpackage.

    ``test_namespace.py`` tests the subpackage's ``__init__`` (what it re-exports); a private
    module (``_suppression.py``) or a package (``sections/``) is mirrored by its plain name.
    """
    package = Path(ek.__file__).parent
    tests = Path(__file__).parent
    orphans = []
    for path in sorted(tests.glob("*/test_*.py")):
        sub, module = path.parent.name, path.stem.removeprefix("test_")
        home = package / sub
        if module == "namespace":
            exists = (home / "__init__.py").is_file()
        else:
            exists = any(
                p.exists() for p in (home / f"{module}.py", home / f"_{module}.py", home / module)
            )
        if not exists:
            orphans.append(f"{sub}/{path.name}")
    assert orphans == []
    # every subpackage has its folder of tests
    subpackages = sorted(p.parent.name for p in package.glob("*/__init__.py"))
    assert [s for s in subpackages if not (tests / s).is_dir()] == []
