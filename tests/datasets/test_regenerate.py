"""The committed sample is what the generator writes (ementor_kit.datasets.regenerate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ementor_kit.datasets import regenerate_sample, sample_dir

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples"
# the declaration of its people, example rule sets and designs: written by hand, not generated
HAND_WRITTEN = ("programme.yaml", "rules/", "designs/")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    return regenerate_sample(tmp_path_factory.mktemp("sample"))


def test_data_samples_is_the_package_data():
    assert SAMPLE.resolve() == sample_dir().resolve()


def test_committed_sample_is_byte_identical_to_regeneration(regenerated):
    committed = [f for f in _files(SAMPLE) if not f.startswith(HAND_WRITTEN)]
    assert committed == _files(regenerated)
    for name in committed:
        assert (SAMPLE / name).read_bytes() == (regenerated / name).read_bytes(), name
