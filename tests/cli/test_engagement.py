"""The engagement command (ementor_kit/cli/engagement.py)."""

from __future__ import annotations

import numpy as np

from ementor_kit.cli import main
from ementor_kit.graph import engagement, goal_progress
from tests.cli._shared import _csv, _stamp

# --------------------------------------------------------------------------- engagement


def test_engagement_writes_what_the_library_computes(sample, sample_folder, tmp_path):
    out = tmp_path / "engagement.csv"
    assert main(["engagement", str(sample_folder), "--as-of", "2026-11-30", "--out", str(out)]) == 0
    gp = goal_progress(sample.goals, sample.goal_updates, sample.pairs, as_of="2026-11-30")
    eng = engagement(sample.interactions, sample.pairs, as_of="2026-11-30", goal_progress=gp).table
    got = _csv(out)
    assert "as_of 2026-12-01T00:00:00+00:00" in out.read_text(encoding="utf-8").splitlines()[0]
    _stamp(out)
    assert list(got.columns) == list(eng.columns)
    for col in ("mentee_id", "mentor_id", "status", "status_reason"):
        assert got[col].tolist() == eng[col].astype(str).tolist()
    for col in ("n_exchanges", "sync_share", "median_response_hours", "longest_gap_days"):
        np.testing.assert_array_equal(got[col].to_numpy(float), eng[col].to_numpy(float))
    assert got["needs_action"].tolist() == eng["needs_action"].tolist()


def test_engagement_thresholds_and_bad_as_of(sample_folder, tmp_path, capsys):
    out = tmp_path / "e.csv"
    code = main(["engagement", str(sample_folder), "--as-of", "yesterday", "--out", str(out)])
    assert code == 1 and "argument 'as_of': 'yesterday' is not a date" in capsys.readouterr().err
    code = main(["engagement", str(sample_folder), "--check-in-days", "60", "--out", str(out)])
    assert code == 1 and "check_in_days < at_risk_days" in capsys.readouterr().err
    assert not out.exists()
    code = main(
        ["engagement", str(sample_folder), "--check-in-days", "14", "--out", str(out)]
        + ["--no-progress"]
    )
    assert code == 0
    assert (_csv(out)["status_reason"].str.contains(r"\(> 14\)")).any()
    default = tmp_path / "default.csv"
    assert main(["engagement", str(sample_folder), "--out", str(default)]) == 0
    assert _stamp(out) != _stamp(default)  # the thresholds are part of the hash
    assert not (_csv(default)["status_reason"].str.contains(r"\(> 14\)")).any()
