"""``import ementor_kit`` leaves the slow statistics libraries unimported until a function needs
them (the import is measured in the report of the change, not here: no timed asserts)."""

import subprocess
import sys

LAZY = ("scipy.stats", "statsmodels")


def test_importing_the_package_does_not_import_the_lazy_libraries():
    code = f"import ementor_kit, sys; print(sorted(m for m in {LAZY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_lazy_libraries_are_imported_when_a_function_needs_them():
    code = (
        "import sys, ementor_kit as ek; "
        "ek.plan_sample_size(0.5); "
        "print('scipy.stats' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"
