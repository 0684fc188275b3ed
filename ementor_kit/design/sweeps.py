"""Design sweeps: many designs x many replications, in one process or on a Dask cluster.

:func:`sweep` simulates every design with ``replications`` seeds (``seed``, ``seed + 1``, ...)
and returns one row per (design, replication): the keys of
:meth:`~ementor_kit.design.simulation.SimulationResult.summary`. With ``client`` (a
``dask.distributed.Client``) the simulations run on its workers; each one depends only on its
design, seed and assumptions, so the table is the same, value for value, as in one process
(tested). :func:`~ementor_kit.design.simulation.compare_designs` takes the same ``client``.

Progress: ``progress=True`` shows a tqdm bar as simulations finish; the Dask dashboard
(``client.dashboard_link``) shows the workers at work.

Running on a real cluster
-------------------------
On a university SLURM cluster, with ``dask-jobqueue`` (``pip install dask-jobqueue``)::

    from dask_jobqueue import SLURMCluster
    from dask.distributed import Client
    from ementor_kit.design.sweeps import sweep

    cluster = SLURMCluster(cores=4, processes=4, memory="16GB", walltime="01:00:00",
                           account="my-project", queue="standard")
    cluster.scale(jobs=10)                    # 40 workers
    client = Client(cluster)
    print(client.dashboard_link)
    table = sweep(designs, replications=200, client=client, progress=True)

``ementor_kit`` must be installed in the workers' environment (the same virtual environment or
conda environment, on a shared file system, as the notebook that starts them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from ementor_kit._checks import check_whole
from ementor_kit.design.definition import DEFAULT_SEED, ProgrammeDesign, _coerce_designs
from ementor_kit.design.simulation import SimulationAssumptions, simulate
from ementor_kit.errors import ArgumentTypeError, InvalidArgumentError
from ementor_kit.i18n.language import N_


def _summary(
    design: ProgrammeDesign, seed: int, assumptions: SimulationAssumptions | Mapping | None
) -> dict[str, Any]:
    return simulate(design, seed=seed, assumptions=assumptions).summary()


def run_summaries(
    designs: Sequence[ProgrammeDesign],
    seeds: Sequence[int],
    assumptions: SimulationAssumptions | Mapping[str, Any] | None,
    *,
    client: object = None,
    progress: bool = False,
) -> list[dict[str, Any]]:
    """``simulate(d, seed=s).summary()`` for every design ``d`` and seed ``s`` (designs
    outer), in one process or on ``client``; the same list either way.

    Parameters
    ----------
    designs : sequence of ProgrammeDesign
    seeds : sequence of int
    assumptions : SimulationAssumptions, dict or None
    client : dask.distributed.Client, optional
        Where to run; ``None``: here, one simulation after the other.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of dict
        The summaries, in the order ``[(d0, s0), (d0, s1), ..., (d1, s0), ...]``.

    Examples
    --------
    >>> d = ProgrammeDesign(n_mentees=30, n_mentors=12, duration_weeks=6)
    >>> rows = run_summaries([d], [1, 2], None)
    >>> [r["n_matched"] > 0 for r in rows]
    [True, True]
    """
    tasks = [(d, s) for d in designs for s in seeds]
    if client is None:
        return [_summary(d, s, assumptions) for d, s in tqdm(tasks, disable=not progress)]
    if not all(hasattr(client, name) for name in ("submit", "gather")):
        raise ArgumentTypeError(
            "client",
            client,
            N_("pass a dask.distributed.Client (e.g. Client(LocalCluster())), or None"),
        )
    futures = [client.submit(_summary, d, s, assumptions, pure=False) for d, s in tasks]  # type: ignore[attr-defined]
    if progress:
        # imported here: distributed is slow to import and only needed with a client
        from dask.distributed import as_completed

        for _ in tqdm(as_completed(futures), total=len(futures)):
            pass
    return list(client.gather(futures))  # type: ignore[attr-defined]


def sweep(
    designs: Sequence[ProgrammeDesign | Mapping[str, Any] | str | Path],
    *,
    replications: int = 10,
    seed: int = DEFAULT_SEED,
    assumptions: SimulationAssumptions | Mapping[str, Any] | None = None,
    client: object = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate each design ``replications`` times, with seeds ``seed``, ``seed + 1``, ...

    Parameters
    ----------
    designs : sequence of ProgrammeDesign, dict, YAML path or text
        The designs (names need not differ: rows carry their position too).
    replications : int, default 10
        Simulations per design; replication ``r`` uses seed ``seed + r`` for every design
        (common random numbers: design differences are not draw differences).
    seed : int
        Seed of replication 0.
    assumptions : SimulationAssumptions or dict, optional
        The ILLUSTRATIVE parameters, shared by every simulation.
    client : dask.distributed.Client, optional
        Run the simulations on this Dask cluster (``LocalCluster`` or a real one: see the
        module documentation); ``None`` runs them here. The table is the same either way.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    DataFrame
        One row per design and replication: ``design_index``, ``replication``, ``seed``,
        then the keys of :meth:`~ementor_kit.design.simulation.SimulationResult.summary`.

    Examples
    --------
    >>> base = ProgrammeDesign(name="fortnightly", n_mentees=30, n_mentors=12,
    ...                        duration_weeks=8, checkin_every_days=14)
    >>> table = sweep([base, base.replace(name="weekly", checkin_every_days=7)],
    ...               replications=3, seed=5)
    >>> table[["design", "replication", "seed"]].values.tolist()[:4]
    [['fortnightly', 0, 5], ['fortnightly', 1, 6], ['fortnightly', 2, 7], ['weekly', 0, 5]]
    >>> means = table.groupby("design")["active_share_end"].mean()
    >>> bool(means["weekly"] >= means["fortnightly"])
    True
    """
    parsed = _coerce_designs(designs)
    if not parsed:
        raise InvalidArgumentError(
            "designs", designs, N_("pass a list of at least one design"), message=N_("No design")
        )
    n = check_whole("replications", replications, minimum=1)
    first = check_whole("seed", seed, minimum=0)
    seeds = [first + r for r in range(n)]
    rows = run_summaries(parsed, seeds, assumptions, client=client, progress=progress)
    table = pd.DataFrame(rows)
    keys = pd.DataFrame(
        {
            "design_index": [i for i in range(len(parsed)) for _ in seeds],
            "replication": [r for _ in parsed for r in range(n)],
            "seed": [s for _ in parsed for s in seeds],
        }
    )
    table = table.drop(columns=[c for c in keys.columns if c in table.columns])
    return pd.concat([keys, table], axis=1)
