"""Design sweeps on a Dask LocalCluster give the single-process tables exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from ementor_kit.design import ProgrammeDesign, compare_designs, simulate
from ementor_kit.design.sweeps import run_summaries, sweep
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError

distributed = pytest.importorskip("dask.distributed")

BASE = ProgrammeDesign(name="fortnightly", n_mentees=30, n_mentors=12, duration_weeks=8)
DESIGNS = [
    BASE,
    BASE.replace(name="weekly", checkin_every_days=7),
    BASE.replace(name="groups", format="group", group_size=3, n_mentors=5),
]


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_sweep_on_the_cluster_equals_one_process(client):
    here = sweep(DESIGNS, replications=3, seed=11)
    there = sweep(DESIGNS, replications=3, seed=11, client=client, progress=True)
    pd.testing.assert_frame_equal(here, there)
    # each row is simulate() itself, with its seed
    row = here[(here["design"] == "weekly") & (here["replication"] == 2)].iloc[0]
    direct = simulate(DESIGNS[1], seed=13).summary()
    assert row["seed"] == 13
    assert row.drop(["design_index", "replication", "seed"]).to_dict() == pytest.approx(
        direct, nan_ok=True
    )
    assert len(here) == 9 and here["seed"].tolist() == [11, 12, 13] * 3


def test_compare_designs_with_a_client(client):
    pd.testing.assert_frame_equal(
        compare_designs(DESIGNS, seed=4, client=client), compare_designs(DESIGNS, seed=4)
    )


def test_arguments():
    with pytest.raises(ArgumentTypeError, match="dask.distributed.Client"):
        run_summaries([BASE], [1], None, client="localhost:8786")
    with pytest.raises(InvalidArgumentError, match="replications"):
        sweep([BASE], replications=0)
    with pytest.raises(InvalidArgumentError, match="design"):
        sweep([])
    for many in (sweep, compare_designs):
        with pytest.raises(InvalidArgumentError, match=r"one design, not a list.*\[design\]"):
            many(BASE)
        with pytest.raises(InvalidArgumentError, match="one design, not a list"):
            many({"cohort": {"n_mentees": 30}})
        with pytest.raises(ArgumentTypeError, match="pass a list of designs"):
            many(42)
