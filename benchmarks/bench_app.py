"""Benchmark of the coordinator app (``make app``): how long a coordinator waits.

Run from the repository root:

    .venv/bin/python benchmarks/bench_app.py
    .venv/bin/python benchmarks/bench_app.py --people 300 3000 --moves 5
    .venv/bin/python benchmarks/bench_app.py --people 300 --formats

For each size (people in all, 30 % mentors) the Excel fr-FR style export of
``benchmarks/bench_intake.py`` (cp1252, ``;``, decimal comma, French headers) is made in memory,
as the browser uploads it. Kernel side (the ``CoordinatorApp`` widgets driven from Python, as
the page's messages do; the browser adds the upload transfer and drawing):

- **upload to first result**: from the upload's bytes to the first pairing shown (proposal,
  reading the people, the first solve and every view drawn);
- **slider to summary**: from a weight slider's new value to the summary of the new optimal
  pairing being set (the message leaves for the page then), median and worst over ``--moves``
  moves; and to every view redrawn (histogram, tables, unpaired, comparison);
- **downloads**: building the workbook, the CSV, the rules and the session in memory;
- with ``--formats``: **format to result**, from choosing shortlists (k = 3, 1.5 lists per
  place) or circles (3 to 6 mentees, led by a mentor) in the Format control to the format's
  proposal shown, and that format's downloads.

Targets (issue 14): upload to first result under 3 s and slider to summary under 300 ms at
3,000 people.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_intake import _write  # noqa: E402  (the same generated export)

from ementor_kit.widgets.app import CoordinatorApp  # noqa: E402


def _export(n_people: int) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        return {p.name: p.read_bytes() for p in _write(Path(tmp), n_people).values()}


def _one(n_people: int, moves: int, formats: bool) -> dict[str, object]:
    files = _export(n_people)
    app = CoordinatorApp(lang="en")
    t0 = time.perf_counter()
    app.load_files(files)
    first = time.perf_counter() - t0
    pg = app.playground
    assert pg is not None and pg.last_result is not None, app.problems
    criterion = max(pg.weight_sliders, key=lambda c: pg.weight_sliders[c].value)
    slider = pg.weight_sliders[criterion]
    shown: list[float] = []
    pg.summary_html.observe(lambda _c: shown.append(time.perf_counter()), names="value")
    times, full = [], []
    for i in range(moves):
        before, shown[:] = pg.solve_count, []
        t0 = time.perf_counter()
        slider.value = round(slider.value + (0.1 if i % 2 == 0 else -0.1), 6)
        full.append(time.perf_counter() - t0)
        times.append(shown[0] - t0)  # the summary is sent to the page when it is set
        assert pg.solve_count == before + 1 and "ek-provenance" in pg.summary_html.value
    t0 = time.perf_counter()
    app.downloads()
    downloads = time.perf_counter() - t0
    s = pg.last_result.summary()
    row: dict[str, object] = {
        "people": n_people,
        "pairs": f"{s.n_pairs}/{s.n_mentees}",
        "upload_to_first_result_s": first,
        "slider_to_summary_median_ms": 1000 * statistics.median(times),
        "slider_to_summary_max_ms": 1000 * max(times),
        "slider_to_all_views_median_ms": 1000 * statistics.median(full),
        "downloads_s": downloads,
    }
    if formats:
        for name in ("shortlist", "circles"):
            t0 = time.perf_counter()
            app.format_controls.format.value = name  # what choosing it in the page does
            row[f"{name}_s"] = time.perf_counter() - t0
            assert app.format_result is not None, app.format_html.value
            t0 = time.perf_counter()
            app.downloads()
            row[f"{name}_downloads_s"] = time.perf_counter() - t0
        app.format_controls.format.value = "one_to_one"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--moves", type=int, default=5)
    parser.add_argument("--formats", action="store_true", help="time shortlists and circles")
    args = parser.parse_args()
    CoordinatorApp(lang="en", sample=False)  # imports and first widgets out of the timings
    rows = [_one(n, args.moves, args.formats) for n in args.people]
    cols = list(rows[0])
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols))


if __name__ == "__main__":
    main()
