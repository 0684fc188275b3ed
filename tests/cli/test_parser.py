"""The parser: usage errors, help and the commands it lists (ementor_kit/cli/parser.py)."""

from __future__ import annotations

import pytest

from ementor_kit.cli import main


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "sample", "match", "engagement", "survey", "report"):
        assert command in out
    with pytest.raises(SystemExit) as info:
        main(["survey", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert all(c in out for c in ("score", "reliability", "compare"))


@pytest.mark.parametrize(
    "argv",
    [
        ["match", "FOLDER", "--out", "x.csv", "--time-limit", "0"],
        ["match", "FOLDER", "--rules", "r.yaml"],
        ["engagement", "FOLDER"],
        ["survey", "score", "FILE", "--out", "x.csv"],
        ["survey", "reliability", "FILE", "--instrument", "gse"],
        ["survey", "compare", "T0", "--instrument", "gse", "--out", "x.csv"],
        ["report", "FOLDER"],
        ["sample"],
        ["report", "FOLDER", "--out", "r.html", "--k", "five"],
    ],
)
def test_missing_or_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ementor-kit") and "error:" in err
