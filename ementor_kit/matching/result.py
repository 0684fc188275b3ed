"""The result of a pairing: pairs, everybody left unpaired and why, summary, explanations.

:class:`MatchResult` is returned by :func:`ementor_kit.matching.match`, by the baselines of
:mod:`ementor_kit.matching.baselines` and by :func:`ementor_kit.matching.rematch`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ementor_kit._canonical import hash_bytes, table_bytes
from ementor_kit._version import __version__
from ementor_kit.data.people import People
from ementor_kit.data.validation import Programme
from ementor_kit.errors import InfeasibleMatchingError, UnknownNameError
from ementor_kit.i18n.formatting import format_number, format_percent
from ementor_kit.i18n.language import N_, translator
from ementor_kit.i18n.text import french_number, localized
from ementor_kit.matching.export import coordinator_csv, reason_sentence, write_excel
from ementor_kit.matching.rules import MatchRules
from ementor_kit.matching.scores import _Scores

__all__ = ["MatchResult", "MatchSummary"]

NOT_DECLARED = "(not declared)"


def _provenance(sc: _Scores, options: Mapping[str, Any]) -> str:
    """Hash of the validated inputs, the rules YAML, the options and the package version."""
    settings = sc.rules.to_yaml() + "\n".join(f"{k}: {v!r}" for k, v in sorted(options.items()))
    kept = sc.table_bytes  # computed once per PreparedPeople, else now
    if kept is None:
        kept = {"mentors": table_bytes(sc.mentors), "mentees": table_bytes(sc.mentees)}
    return hash_bytes(kept, settings)


def _check_required(
    sc: _Scores, label: Mapping[tuple[str, str], str] | None = None
) -> dict[int, int]:
    """Required pairs as {mentee row: mentor column}; raise when they cannot all hold."""
    label = label or {}
    ids_e, ids_m = sc.mentee_ids, sc.mentor_ids
    pos_e = {k: i for i, k in enumerate(ids_e)}
    pos_m = {k: j for j, k in enumerate(ids_m)}
    seen: dict[str, str] = {}
    for e, m in sc.rules.required_pairs:
        if e in seen:
            raise InfeasibleMatchingError(
                N_("required pairs"),
                (e, seen[e], m),
                N_("mentee {e} is required with two mentors ({seen} and {m})").format(
                    e=e, seen=seen[e], m=m
                ),
            )
        seen[e] = m
    fixed: dict[int, int] = {}
    hard = sc.hard_mask
    for e, m in sc.rules.required_pairs:
        i, j = pos_e[e], pos_m[m]
        bits = sc.excluded[i, j] & hard
        if bits:
            what = label.get((e, m), "required pair")
            rules = "+".join(sc.reasons(bits))
            raise InfeasibleMatchingError(
                f"{what} ({e}, {m})",
                (e, m),
                N_(
                    "the pair breaks the hard rule(s) {rules} (score {score:.1f}); relax "
                    "the rule or drop the pair"
                ).format(rules=rules, score=sc.score[i, j]),
            )
        fixed[i] = j
    load = np.bincount(np.array(list(fixed.values()), dtype=np.int64), minlength=len(ids_m))
    over = np.flatnonzero(load > sc.capacity)
    if len(over):
        j = over[0]
        people = [ids_e[i] for i, jj in fixed.items() if jj == j]
        raise InfeasibleMatchingError(
            N_("capacity of mentor {ids_m}").format(ids_m=ids_m[j]),
            (ids_m[j], *sorted(people)),
            N_("{load} required pairs but capacity {capacity}").format(
                load=load[j], capacity=sc.capacity[j]
            ),
        )
    return fixed


@dataclass(frozen=True)
class MatchSummary:
    """Key figures of a pairing (see :meth:`MatchResult.summary`).

    ``group_coverage`` maps each value of the mentees' ``group`` column (``"(not declared)"``
    for empty values) to its coverage. ``gap`` is an upper bound of how far the total score
    may be below the optimum (0 when proven optimal; NaN for heuristics). ``timings`` (seconds)
    never enter ``provenance``, the hash of inputs, rules, options and package version.

    Attributes
    ----------
    n_mentees, n_mentors, total_capacity : int
        People on each side and the places the mentors offer.
    n_pairs : int
        Pairs made.
    coverage : float
        Share of mentees paired (NaN without mentees).
    score_total, score_mean, score_min, score_q1, score_median, score_q3, score_max : float
        The pairs' scores (0-100): total, mean and distribution (NaN without pairs).
    group_coverage : mapping of str to float
        Coverage per group of mentees.
    objective : str
        The objective optimised.
    objective_value : float
        Its value: the lowest score for ``maximin``, else the total score.
    solver, status : str
        Which solver ran and how it ended (``optimal``, ``time_limit``, ``heuristic``).
    proven_optimal : bool
        The solver proved the pairing optimal.
    gap : float
        Upper bound of the distance to the optimum (see above).
    timings : mapping of str to float
        Seconds spent per stage.
    provenance, version : str
        Hash of inputs, rules and options, and the ementor-kit version.

    Examples
    --------
    >>> from ementor_kit.matching import match
    >>> from ementor_kit.datasets import example_profiles
    >>> s = match(*example_profiles()).summary()
    >>> print(s)  # doctest: +ELLIPSIS
    2 pairs: 2/2 mentees paired (100.0%), 2 mentors, capacity 3
    score mean 63.1, min 44.9, quartiles 54.0 / 63.1 / 72.2
    group coverage: (not declared) 100.0%
    objective coverage_then_score = 126.1364; scipy.linear_sum_assignment, optimal, proven optimal
    provenance ek1-... (ementor-kit ...)
    """

    n_mentees: int
    n_mentors: int
    total_capacity: int
    n_pairs: int
    coverage: float
    score_total: float
    score_mean: float
    score_min: float
    score_q1: float
    score_median: float
    score_q3: float
    score_max: float
    group_coverage: Mapping[str, float]
    objective: str
    objective_value: float
    solver: str
    status: str
    proven_optimal: bool
    gap: float
    timings: Mapping[str, float]
    provenance: str
    version: str

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of every field.

        Returns
        -------
        dict
            Field name to value, in declaration order; mappings are copied as plain dicts.

        Examples
        --------
        >>> from ementor_kit.matching import match
        >>> from ementor_kit.datasets import example_profiles
        >>> d = match(*example_profiles()).summary().as_dict()
        >>> list(d)[:4], d["group_coverage"]
        (['n_mentees', 'n_mentors', 'total_capacity', 'n_pairs'], {'(not declared)': 1.0})
        """
        return {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in self.__dict__.items()}

    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, lang: str | None = None) -> str:
        """The five-line report of ``print(summary)``, in ``lang``.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`). French writes numbers its way
            (``93,7 %``, ``21 772,1275``); codes (objective, solver, status, groups) stay as
            they are.

        Returns
        -------
        str
            Pairs and coverage, scores, coverage per group, objective and solver,
            provenance: one line each.

        Examples
        --------
        >>> from ementor_kit.matching import match
        >>> from ementor_kit.datasets import example_profiles
        >>> print(match(*example_profiles()).summary().to_text("fr"))  # doctest: +ELLIPSIS
        2 binômes : 2/2 mentoré·es apparié·es (100,0 %), 2 mentor·es, capacité 3
        score moyen 63,1, min. 44,9, quartiles 54,0 / 63,1 / 72,2
        couverture par groupe : (non déclaré) 100,0 %
        objectif coverage_then_score = 126,1364 ; scipy.linear_sum_assignment, optimal, optimum prouvé
        provenance ek1-... (ementor-kit ...)
        """
        t = translator(lang)
        en = t.lang == "en"

        def num(x: float, digits: int) -> str:
            return format(x, f".{digits}f") if en else format_number(x, digits, t.lang)

        def pct(x: float) -> str:
            return f"{x:.1%}" if en else format_percent(x, 1, t.lang)

        groups = ", ".join(
            f"{t.gettext(g) if g == NOT_DECLARED else g} {pct(c)}"
            for g, c in self.group_coverage.items()
        )
        if self.proven_optimal:
            opt = t.gettext(N_("{status}, proven optimal")).format(status=self.status)
        elif self.status == "heuristic":
            opt = t.gettext(N_("heuristic baseline, no optimality claim"))
        else:
            gap = f"{self.gap:.3g}"
            opt = t.gettext(N_("{status}, not proven optimal (gap at most {gap})")).format(
                status=self.status, gap=gap if en else french_number(gap)
            )
        # i18n: the English singular is the plural on purpose (the text stays as it was)
        head = t.ngettext(
            "{n_pairs} pairs: {n_pairs}/{n_mentees} mentees paired ({coverage}), "
            "{n_mentors} mentors, capacity {capacity}",
            "{n_pairs} pairs: {n_pairs}/{n_mentees} mentees paired ({coverage}), "
            "{n_mentors} mentors, capacity {capacity}",
            self.n_pairs,
        )
        return "\n".join(
            [
                head.format(
                    n_pairs=self.n_pairs,
                    n_mentees=self.n_mentees,
                    coverage=pct(self.coverage),
                    n_mentors=self.n_mentors,
                    capacity=self.total_capacity,
                ),
                t.gettext(
                    N_("score mean {mean}, min {min}, quartiles {q1} / {median} / {q3}")
                ).format(
                    mean=num(self.score_mean, 1),
                    min=num(self.score_min, 1),
                    q1=num(self.score_q1, 1),
                    median=num(self.score_median, 1),
                    q3=num(self.score_q3, 1),
                ),
                t.gettext(N_("group coverage: {groups}")).format(groups=groups),
                t.gettext(N_("objective {objective} = {value}; {solver}, {opt}")).format(
                    objective=self.objective,
                    value=num(self.objective_value, 4),
                    solver=self.solver,
                    opt=opt,
                ),
                t.gettext(N_("provenance {provenance} (ementor-kit {version})")).format(
                    provenance=self.provenance, version=self.version
                ),
            ]
        )


@dataclass(frozen=True, eq=False)
class MatchResult:
    """A pairing and everything needed to explain and audit it.

    Attributes
    ----------
    pairs : DataFrame
        ``mentee_id, mentor_id, score``, the contribution of each criterion of ``rules.criteria``
        (points adding up to ``score``) and ``required``; sorted by ``mentee_id``.
    unmatched : DataFrame
        ``person_id, role, reason, detail, spare_capacity``: every mentee without a mentor and
        every mentor with free places (or with capacity 0). Mentee reasons:
        ``no_feasible_mentor`` (``detail`` counts the mentors each hard rule excludes),
        ``feasible_mentors_full``, ``not_selected`` (a feasible mentor has room but the
        objective or a quota left the pair out). Mentor reasons: ``spare_capacity``,
        ``no_capacity``.
    rules : MatchRules
    objective, solver, status : str
    proven_optimal : bool
    gap : float
    provenance : str
        :func:`~ementor_kit.provenance.provenance_hash` of the validated profiles, the rules
        YAML, the options and the package version (never timings).
    timings : mapping of str to float
    changes : DataFrame or None
        Set by :func:`~ementor_kit.matching.rematch`: what happened to each mentee.

    Examples
    --------
    >>> from ementor_kit.matching import match
    >>> from ementor_kit.datasets import example_profiles
    >>> r = match(*example_profiles())
    >>> r
    MatchResult(2 pairs for 2 mentees, objective='coverage_then_score', solver='scipy.linear_sum_assignment', status='optimal')
    >>> r.pairs["mentor_id"].tolist(), r.proven_optimal, r.gap
    (['M001', 'M002'], True, 0.0)
    """

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    rules: MatchRules
    objective: str
    solver: str
    status: str
    proven_optimal: bool
    gap: float
    provenance: str
    timings: Mapping[str, float] = field(repr=False)
    changes: pd.DataFrame | None = field(default=None, repr=False)
    _scores: _Scores | None = field(default=None, repr=False)
    _rows: np.ndarray | None = field(default=None, repr=False)
    _cols: np.ndarray | None = field(default=None, repr=False)
    _notes: tuple[str, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        n_e = len(self._scores.mentee_ids) if self._scores is not None else "?"
        return (
            f"MatchResult({len(self.pairs)} pairs for {n_e} mentees, objective="
            f"{self.objective!r}, solver={self.solver!r}, status={self.status!r})"
        )

    # ------------------------------------------------------------------ summary
    def summary(self) -> MatchSummary:
        """Coverage, score distribution, per-group coverage, optimality and provenance.

        Returns
        -------
        MatchSummary
            The key figures; ``print()`` it for a five-line report.

        Examples
        --------
        >>> from ementor_kit.matching import match
        >>> from ementor_kit.datasets import example_profiles
        >>> s = match(*example_profiles()).summary()
        >>> s.n_pairs, s.coverage, s.proven_optimal
        (2, 1.0, True)
        """
        sc = self._scores
        assert sc is not None
        scores = self.pairs["score"].to_numpy(dtype=np.float64)
        n_e = len(sc.mentee_ids)
        q = np.quantile(scores, [0.25, 0.5, 0.75]) if len(scores) else [np.nan] * 3
        if "group" in sc.mentees.columns:
            col = sc.mentees["group"]
            groups = col.astype(object).where(col.notna(), NOT_DECLARED)
        else:  # a declared programme without groups
            groups = pd.Series(NOT_DECLARED, index=sc.mentees.index, dtype=object)
        paired = sc.mentees["mentee_id"].isin(self.pairs["mentee_id"])
        cov = paired.groupby(groups.to_numpy(), sort=True).mean()
        if self.objective == "maximin":
            value = float(scores.min()) if len(scores) else 0.0
        else:
            value = float(scores.sum())
        return MatchSummary(
            n_mentees=n_e,
            n_mentors=len(sc.mentor_ids),
            total_capacity=int(sc.capacity.sum()),
            n_pairs=len(scores),
            coverage=len(scores) / n_e if n_e else float("nan"),
            score_total=float(scores.sum()),
            score_mean=float(scores.mean()) if len(scores) else float("nan"),
            score_min=float(scores.min()) if len(scores) else float("nan"),
            score_q1=float(q[0]),
            score_median=float(q[1]),
            score_q3=float(q[2]),
            score_max=float(scores.max()) if len(scores) else float("nan"),
            group_coverage={str(k): float(v) for k, v in cov.items()},
            objective=self.objective,
            objective_value=value,
            solver=self.solver,
            status=self.status,
            proven_optimal=self.proven_optimal,
            gap=self.gap,
            timings=dict(self.timings),
            provenance=self.provenance,
            version=__version__,
        )

    def unmatched_reasons(self, lang: str | None = None) -> pd.DataFrame:
        """Every person left without a pair, and why, in a sentence.

        Parameters
        ----------
        lang : str, optional
            Language of the sentences (``"en"``, ``"fr"``; default the process language,
            :func:`~ementor_kit.i18n.set_language`).

        Returns
        -------
        DataFrame
            The rows of :attr:`unmatched`: ``person_id``, ``role``, ``reason`` (the code,
            the same in every language) and ``why``, the sentence of
            :func:`~ementor_kit.matching.export.reason_sentence` made from the reason and its
            ``detail``.

        Examples
        --------
        >>> import ementor_kit as ek
        >>> prog = ek.load_sample()
        >>> r = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
        >>> print(r.unmatched_reasons().iloc[0]["why"])
        Every mentor compatible with this mentee is already full (90 mentors).
        >>> print(r.unmatched_reasons(lang="fr").iloc[0]["why"])
        Tous les mentor·es compatibles avec ce ou cette mentoré·e sont déjà complet·es (90 mentor·es).
        """
        u = self.unmatched
        why = [reason_sentence(c, d, lang) for c, d in zip(u["reason"], u["detail"], strict=True)]
        out = u[["person_id", "role", "reason"]].copy()
        out["why"] = pd.array(why, dtype="str")
        return out

    # ------------------------------------------------------------------ explain
    def explain(self, mentee_id: str, n: int = 5, lang: str | None = None) -> pd.DataFrame:
        """Why this mentee got this mentor: the chosen pair next to the best alternatives.

        Parameters
        ----------
        mentee_id : str
            The mentee to explain.
        n : int
            Number of alternatives (the best-scoring other mentors, feasible or not).
        lang : str, optional
            Language of the ``why_not`` sentences (``"en"``, ``"fr"``; default the process
            language, :func:`~ementor_kit.i18n.set_language`). The other columns are codes and
            numbers, the same in every language.

        Returns
        -------
        DataFrame
            One row per mentor: ``mentor_id``, ``status`` (``chosen`` / ``alternative``),
            ``score``, the criterion contributions, ``feasible``, ``excluded_by``,
            ``mentor_load`` (``"paired/capacity"``) and ``why_not``: ``lower score``,
            ``equal score`` (a tie), ``mentor full`` (with the mentor's mentees and their
            scores), ``hard rule`` (which) or ``left out by the objective``.

        Examples
        --------
        >>> from ementor_kit.matching import match
        >>> from ementor_kit.datasets import example_profiles
        >>> r = match(*example_profiles(), {"weights": {"skills": 1, "domain": 1}})
        >>> r.explain("E001")[["mentor_id", "status", "score", "why_not"]]
          mentor_id       status  score                  why_not
        0      M001       chosen   75.0
        1      M002  alternative   25.0  hard rule: language
        >>> r.explain("E001", lang="fr").loc[1, "why_not"]
        'règle impérative : language'
        """
        t = translator(lang)
        sc = self._scores
        assert sc is not None and self._rows is not None and self._cols is not None
        pos = np.flatnonzero(sc.mentee_ids == mentee_id)
        if len(pos) == 0:
            raise UnknownNameError(
                "mentee_id",
                mentee_id,
                (
                    N_("use the id of one of the {n} mentees of this pairing (e.g. '{first}')")
                    if len(sc.mentee_ids)
                    else N_("use the id of one of the {n} mentees of this pairing")
                ).format(
                    n=len(sc.mentee_ids), first=sc.mentee_ids[0] if len(sc.mentee_ids) else ""
                ),
                message=N_(
                    "unknown mentee_id {mentee_id!r}: not among the mentees of this pairing"
                ).format(mentee_id=mentee_id),
            )
        i = int(pos[0])
        m = len(sc.mentor_ids)
        chosen = self._cols[self._rows == i]
        j0 = int(chosen[0]) if len(chosen) else -1
        load = np.bincount(self._cols, minlength=m)
        score = sc.score[i]
        order = np.lexsort((np.arange(m), -score))
        others = [j for j in order if j != j0][:n]
        cols = ([j0] if j0 >= 0 else []) + others
        contrib = sc.contributions(np.array([i]))
        s0 = score[j0] if j0 >= 0 else None
        rows = []
        for j in cols:
            feasible = sc.excluded[i, j] == 0
            if j == j0:
                why = ""
            elif not feasible:
                why = t.gettext(N_("hard rule: {rules}")).format(
                    rules="+".join(sc.reasons(sc.excluded[i, j]))
                )
            elif s0 is not None and score[j] < s0:
                why = t.gettext(N_("lower score ({score:.1f} < {best:.1f})")).format(
                    score=localized(score[j], t.lang), best=localized(s0, t.lang)
                )
            elif load[j] >= sc.capacity[j]:
                mates = sorted(
                    (float(sc.score[k, j]), str(sc.mentee_ids[k]))
                    for k in self._rows[self._cols == j]
                )
                shown = ", ".join(f"{e} ({localized(s, t.lang):.1f})" for s, e in mates[::-1])
                why = t.gettext(N_("mentor full ({load}/{capacity}): {shown}")).format(
                    load=load[j], capacity=sc.capacity[j], shown=shown
                )
            elif s0 is not None and score[j] == s0:
                why = t.gettext(N_("equal score (tie broken by the solver)"))
            else:
                why = t.gettext(
                    N_("left out by the objective ({objective}, quotas)")
                    if self.rules.quotas
                    else N_("left out by the objective ({objective})")
                ).format(objective=self.objective)
            row = {
                "mentor_id": str(sc.mentor_ids[j]),
                "status": N_("chosen") if j == j0 else N_("alternative"),
                "score": float(score[j]),
            }
            for c in sc.rules.criterion_names:
                row[c] = float(contrib[c][0, j])
            row.update(
                feasible=bool(feasible),
                excluded_by="+".join(sc.reasons(sc.excluded[i, j])),
                mentor_load=f"{load[j]}/{sc.capacity[j]}",
                why_not=why,
            )
            rows.append(row)
        return pd.DataFrame(rows).astype(
            {
                "mentor_id": "str",
                "status": "str",
                "excluded_by": "str",
                "mentor_load": "str",
                "why_not": "str",
            }
        )

    # ------------------------------------------------------------------ export
    def to_csv(
        self,
        path: str | Path | None = None,
        programme: Programme | People | None = None,
        *,
        excel_fr: bool = False,
    ) -> str:
        """Write the pairs as CSV with a provenance comment line; returns the text.

        Read it back with ``pd.read_csv(path, comment="#")``. With ``programme`` or
        ``excel_fr``, the table a coordinator reads instead (see
        :func:`~ementor_kit.matching.export.coordinator_table`): one row per mentee with the
        mentor or a sentence saying why none, names and contacts joined from ``programme``,
        scores with one decimal, text cells safe from formula injection, no comment line.

        Parameters
        ----------
        path : str or Path, optional
            File to write (UTF-8; UTF-8 with BOM when ``excel_fr``); without it the text is
            only returned.
        programme : Programme or People, optional
            The programme whose people were matched: its names and contacts are joined by id.
        excel_fr : bool, default False
            Write for a French-locale spreadsheet: ``;`` separator, decimal comma, CRLF, BOM.
            Read it back with ``pd.read_csv(path, sep=";", decimal=",",
            encoding="utf-8-sig")``.

        Returns
        -------
        str
            The CSV text (without BOM): by default a ``#`` line with the version, provenance,
            objective, solver and status, then ``pairs``; else the coordinator's table.

        Examples
        --------
        >>> from ementor_kit.matching import match
        >>> from ementor_kit.datasets import example_profiles
        >>> text = match(*example_profiles()).to_csv()
        >>> print(text.splitlines()[0][:47])
        # ementor-kit 0.1.0 pairing; provenance ek1-...
        >>> import io, pandas as pd
        >>> pd.read_csv(io.StringIO(text), comment="#")[["mentee_id", "mentor_id"]]
          mentee_id mentor_id
        0      E001      M001
        1      E002      M002
        >>> print(match(*example_profiles()).to_csv(excel_fr=True).splitlines()[0])
        mentee_id;mentor_id;score;status;reason
        """
        if programme is not None or excel_fr:
            text = coordinator_csv(self, programme, excel_fr=excel_fr)
            if path is not None:
                Path(path).write_text(
                    text, encoding="utf-8-sig" if excel_fr else "utf-8", newline=""
                )
            return text
        buf = io.StringIO()
        buf.write(
            f"# ementor-kit {__version__} pairing; provenance {self.provenance}; "
            f"objective {self.objective}; solver {self.solver}; status {self.status}\n"
        )
        self.pairs.to_csv(buf, index=False, lineterminator="\n")
        text = buf.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_excel(
        self, path: str | Path, programme: Programme | People, *, lang: str | None = None
    ) -> Path:
        """Write the workbook a coordinator sends: pairs, unmatched, rules, mentors' sheets.

        See :func:`~ementor_kit.matching.export.write_excel`.

        Parameters
        ----------
        path : str or Path
            The ``.xlsx`` file to write.
        programme : Programme or People
            The programme whose people were matched: names and contacts are joined by id.
        lang : str, optional
            Language of the sheet names, headings and sentences (``"en"``, ``"fr"``; default
            the process language).

        Returns
        -------
        Path
            ``path``: sheets ``Pairs`` (names, contacts, score with one decimal),
            ``Unmatched`` (each unpaired mentee and why, in words), ``Rules``,
            ``Provenance``, then one sheet per mentor listing their mentees. The same result
            and programme give the same bytes.

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl
        >>> import ementor_kit as ek
        >>> prog = ek.load_sample()
        >>> r = ek.match(prog.mentors, prog.mentees, ek.sample_dir() / "rules" / "default.yaml")
        >>> path = r.to_excel(pathlib.Path(tempfile.mkdtemp()) / "pairing.xlsx", prog)
        >>> wb = openpyxl.load_workbook(path)
        >>> wb["Unmatched"].max_row - 1, wb["Pairs"].max_row - 1
        (19, 281)
        """
        return write_excel(self, path, programme, lang=lang)


def _rule_counts(sc: _Scores, i: int) -> str:
    counts = []
    for k, name in enumerate(sc.exclusion_rules):
        one = sc.excluded.dtype.type(1)
        c = int(((sc.excluded[i] >> sc.excluded.dtype.type(k)) & one).sum())
        if c:
            counts.append(f"{name} excludes {c}")
    return "; ".join(counts)


def _build_result(
    sc: _Scores,
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    objective: str,
    solver: str,
    status: str,
    proven_optimal: bool,
    gap: float,
    timings: Mapping[str, float],
    options: Mapping[str, Any],
    notes: tuple[str, ...] = (),
    changes: pd.DataFrame | None = None,
) -> MatchResult:
    """Assemble a MatchResult from chosen (mentee row, mentor column) pairs."""
    order = np.argsort(rows, kind="stable")
    rows = np.asarray(rows, dtype=np.int64)[order]
    cols = np.asarray(cols, dtype=np.int64)[order]
    n, m = sc.score.shape
    pairs = _pairs_table(sc, rows, cols)
    load = np.bincount(cols, minlength=m)
    feasible = sc.excluded == 0
    paired = np.zeros(n, dtype=bool)
    paired[rows] = True
    out = _unpaired_mentees(sc, paired, load, feasible, objective, solver)
    out += _idle_mentors(sc, paired, load, feasible)
    unmatched = pd.DataFrame(
        out, columns=["person_id", "role", "reason", "detail", "spare_capacity"]
    )
    unmatched = unmatched.astype(
        {
            "person_id": "str",
            "role": "str",
            "reason": "str",
            "detail": "str",
            "spare_capacity": "int64",
        }
    )
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        rules=sc.rules,
        objective=objective,
        solver=solver,
        status=status,
        proven_optimal=proven_optimal,
        gap=gap,
        provenance=_provenance(sc, options),
        timings=dict(timings),
        changes=changes,
        _scores=sc,
        _rows=rows,
        _cols=cols,
        _notes=tuple(notes),
    )


_Unmatched = tuple[str, str, str, str, int]
"""A row of ``MatchResult.unmatched``: person_id, role, reason, detail, spare_capacity."""


def _pairs_table(sc: _Scores, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
    """``MatchResult.pairs``: ids, score, each criterion's contribution, required or not."""
    contrib = sc.pair_contributions(rows, cols)
    required = np.array(
        [sc.required.get(int(i)) == int(j) for i, j in zip(rows, cols, strict=True)], dtype=bool
    )
    return pd.DataFrame(
        {
            "mentee_id": pd.array(sc.mentee_ids[rows], dtype="str"),
            "mentor_id": pd.array(sc.mentor_ids[cols], dtype="str"),
            "score": sc.score[rows, cols],
            **{c: contrib[c] for c in sc.rules.criterion_names},
            "required": required,
        }
    )


def _unpaired_mentees(
    sc: _Scores,
    paired: np.ndarray,
    load: np.ndarray,
    feasible: np.ndarray,
    objective: str,
    solver: str,
) -> list[_Unmatched]:
    """Why each unpaired mentee has no mentor: none feasible, all full, or not selected."""
    out: list[_Unmatched] = []
    for i in np.flatnonzero(~paired):
        fj = np.flatnonzero(feasible[i])
        if len(fj) == 0:
            out.append(
                (
                    sc.mentee_ids[i],
                    "mentee",
                    "no_feasible_mentor",
                    f"no mentor passes the hard rules: {_rule_counts(sc, int(i))}",
                    0,
                )
            )
            continue
        room = fj[load[fj] < sc.capacity[fj]]
        if len(room) == 0:
            out.append(
                (
                    sc.mentee_ids[i],
                    "mentee",
                    "feasible_mentors_full",
                    f"all {len(fj)} feasible mentor(s) are full",
                    0,
                )
            )
        else:
            why = _left_out_by(sc, sc.score[i, room], objective, solver)
            shown = ", ".join(sc.mentor_ids[room][:5]) + (", ..." if len(room) > 5 else "")
            out.append(
                (
                    sc.mentee_ids[i],
                    "mentee",
                    "not_selected",
                    f"{len(room)} feasible mentor(s) with room ({shown}) left out by {why}",
                    0,
                )
            )
    return out


def _left_out_by(sc: _Scores, scores_with_room: np.ndarray, objective: str, solver: str) -> str:
    """What left a mentee out while feasible mentors had room."""
    if objective == "score" and (scores_with_room <= 0).all():
        return "the score objective (every feasible pair with room scores 0)"
    if sc.rules.quotas:
        return "the quotas (" + "; ".join(q.describe() for q in sc.rules.quotas) + ")"
    if solver in ("greedy", "random", "stable"):
        return f"the {solver} heuristic"
    return "the objective"


def _idle_mentors(
    sc: _Scores, paired: np.ndarray, load: np.ndarray, feasible: np.ndarray
) -> list[_Unmatched]:
    """Mentors with no capacity, or with places left and why no unpaired mentee took them."""
    out: list[_Unmatched] = []
    for j in range(sc.score.shape[1]):
        spare = int(sc.capacity[j] - load[j])
        if sc.capacity[j] == 0:
            src = (
                "capacity_override"
                if sc.mentor_ids[j] in sc.rules.capacity_override
                else ("capacity column")
            )
            out.append((sc.mentor_ids[j], "mentor", "no_capacity", f"capacity 0 ({src})", 0))
        elif spare > 0:
            compatible = np.flatnonzero(feasible[:, j] & ~paired)
            if len(compatible) == 0:
                detail = (
                    f"{spare} of {sc.capacity[j]} place(s) free: no unpaired mentee is "
                    f"compatible ({int(feasible[:, j].sum())} compatible mentee(s), all "
                    "paired)"
                )
            else:
                detail = (
                    f"{spare} of {sc.capacity[j]} place(s) free; compatible unpaired "
                    f"mentee(s) {', '.join(sc.mentee_ids[compatible][:5])} left out"
                )
            out.append((sc.mentor_ids[j], "mentor", "spare_capacity", detail, spare))
    return out
