"""The built wheel is complete: installed without ``-e`` it has the sample data and can match."""

import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCE = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".hypothesis", "outputs")

CHECK = textwrap.dedent(
    """
    import sys
    import ementor_kit as ek
    assert ek.__file__.startswith(sys.argv[1]), ek.__file__
    prog = ek.load_sample()
    designs = ek.example_designs()
    result = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
    print(len(prog.mentees), len(prog.mentors), sorted(designs), len(result.pairs))
    print(ek.read_survey(ek.example_export("qualtrics.csv")).responses.shape[0] > 0)
    from ementor_kit.i18n import gettext
    print(gettext("Pairs", lang="fr") != "Pairs")  # the French catalogue is in the wheel
    """
)


def _run(*cmd, cwd=None):
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_wheel_installed_into_a_fresh_environment_has_the_sample(tmp_path):
    # from a clean copy of the source: a build/ left in the checkout could add stale files
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    wheels = tmp_path / "wheels"
    # build isolation: pip fetches the build backend pyproject.toml names, as any user's pip does
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, src)
    (wheel,) = wheels.glob("ementor_kit-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    # The dependencies come from this environment's site-packages, added as a plain path: the
    # editable install of the repository is not activated there, so only the wheel provides
    # ementor_kit (checked by the script).
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = _run(python, "-c", CHECK, site, cwd=tmp_path).splitlines()
    assert out[0] == "300 90 ['group_circles', 'short_async_first', 'six_month_mixed'] 281"
    assert out[1] == "True"
    assert out[2] == "True"
