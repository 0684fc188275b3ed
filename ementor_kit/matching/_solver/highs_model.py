"""The restricted problem kept in memory in HiGHS through highspy (private)."""

from __future__ import annotations

import highspy
import numpy as np

from ementor_kit.matching._solver.model import _ModelResult, _quiet_first_highs


class _HighsModel:
    """The restricted problem kept in memory in HiGHS: columns are added, the simplex restarts
    from the previous basis (the usual way to run column generation)."""

    def __init__(self, gain, n, m, cap, rows, slack_penalty, card):
        _quiet_first_highs()
        self.hs = highspy
        self.gain, self.n, self.m, self.rows, self.card = gain, n, m, rows, card
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        q = len(rows)
        lower = np.concatenate(
            [np.full(n + m, -inf), [r.rhs for r in rows], [card] if card is not None else []]
        ).astype(np.float64)
        upper = np.concatenate(
            [
                np.ones(n),
                np.asarray(cap, dtype=np.float64),
                np.full(q, inf),
                [card] if card is not None else [],
            ]
        ).astype(np.float64)
        h.addRows(
            len(lower),
            lower,
            upper,
            0,
            np.zeros(len(lower), dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.elastic = [k for k, r in enumerate(rows) if slack_penalty is not None and r.elastic]
        for k in self.elastic:
            h.addCols(
                1,
                np.array([slack_penalty], dtype=np.float64),
                np.zeros(1),
                np.array([inf]),
                1,
                np.zeros(1, dtype=np.int32),
                np.array([n + m + k], dtype=np.int32),
                np.ones(1),
            )
        self.slack_penalty = slack_penalty or 0.0
        self.h = h
        self.n_slack = len(self.elastic)
        self.pi = np.zeros(0, dtype=np.int64)
        self.pj = np.zeros(0, dtype=np.int64)
        self.integer = False

    def add(self, pi: np.ndarray, pj: np.ndarray) -> None:
        n, m, k = self.n, self.m, len(pi)
        if k == 0:
            return
        ents_rows = [pi, n + pj]
        ents_cols = [np.arange(k), np.arange(k)]
        ents_vals = [np.ones(k), np.ones(k)]
        for q, r in enumerate(self.rows):
            a = r.coef[pi]
            nz = np.flatnonzero(a)
            ents_rows.append(np.full(len(nz), n + m + q))
            ents_cols.append(nz)
            ents_vals.append(a[nz])
        if self.card is not None:
            ents_rows.append(np.full(k, n + m + len(self.rows)))
            ents_cols.append(np.arange(k))
            ents_vals.append(np.ones(k))
        rows = np.concatenate(ents_rows)
        cols = np.concatenate(ents_cols)
        vals = np.concatenate(ents_vals)
        order = np.argsort(cols, kind="stable")
        starts = np.searchsorted(cols[order], np.arange(k)).astype(np.int32)
        self.h.addCols(
            k,
            -self.gain[pi, pj].astype(np.float64),
            np.zeros(k),
            np.ones(k),
            len(rows),
            starts,
            rows[order].astype(np.int32),
            vals[order],
        )
        if self.integer:
            first = self.n_slack + len(self.pi)
            self.h.changeColsIntegrality(
                k, np.arange(first, first + k, dtype=np.int32), np.ones(k, dtype=np.uint8)
            )
        self.pi = np.concatenate([self.pi, pi])
        self.pj = np.concatenate([self.pj, pj])

    def solve(self, mip: bool, time_limit: float | None) -> _ModelResult:
        h, hs = self.h, self.hs
        if mip and not self.integer:
            k = len(self.pi)
            h.changeColsIntegrality(
                k,
                np.arange(self.n_slack, self.n_slack + k, dtype=np.int32),
                np.ones(k, dtype=np.uint8),
            )
            h.setOptionValue("mip_rel_gap", 0.0)
            h.setOptionValue("mip_abs_gap", 1e-9)
            self.integer = True
        h.setOptionValue(
            "time_limit", float(time_limit) if time_limit is not None else hs.kHighsInf
        )
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status == hs.HighsModelStatus.kOptimal:
            name = "Optimal"
        elif status == hs.HighsModelStatus.kModelEmpty:  # no pair and no slack: all zero
            feasible = all(r.rhs <= 1e-9 for r in self.rows) and not self.card
            name = "Optimal" if feasible else "Infeasible"
            has_sol = False
        elif status == hs.HighsModelStatus.kTimeLimit:
            name = "TimeLimit" if has_sol else "TimeLimitNoSolution"
        else:
            name = str(status).rsplit(".k", 1)[-1]
        sol = h.getSolution()
        col = np.asarray(sol.col_value) if has_sol else np.zeros(self.n_slack + len(self.pi))
        slack = col[: self.n_slack]
        x = col[self.n_slack :]
        n, m, q = self.n, self.m, len(self.rows)
        dual = (
            np.asarray(sol.row_dual)
            if (not mip and name == "Optimal")
            else np.zeros(n + m + q + (self.card is not None))
        )
        objective = float(self.gain[self.pi, self.pj] @ x - self.slack_penalty * slack.sum())
        return _ModelResult(
            x,
            slack,
            objective,
            dual[:n],
            dual[n : n + m],
            dual[n + m : n + m + q],
            float(dual[n + m + q]) if self.card is not None else 0.0,
            name,
        )
