"""ementor_kit.report.render: how a report's tables, figures and settings become HTML."""

import base64

import numpy as np
import pandas as pd
import pytest

from ementor_kit.report.model import PilotReport, ReportFigure, ReportSection, ReportTable
from ementor_kit.report.render import SUPPRESSED, render_html, table_html


def _settings(**changes):
    base = {"as_of": "2026-11-30T00:00:00+00:00", "k": 5, "rules": "default pairing rules"}
    return {**base, "pair_lists": True, **changes}


def _report(sections, **settings) -> PilotReport:
    return PilotReport(tuple(sections), "ek1-abc", "9.9", _settings(**settings), "0badf00d")


def test_count_cells_show_the_suppression_mark_and_totals_are_bold():
    data = pd.DataFrame(
        {"what": ["a", "b", "Total"], "count": pd.array([None, 12, 15], dtype="Int64")}
    )
    out = table_html(ReportTable("n", "Counts", data, counts=("count",)))
    assert f'<td class="count suppressed">{SUPPRESSED}</td>' in out
    assert '<td class="count">12</td>' in out
    assert out.count('<tr class="total">') == 1 and '<tr class="total"><td>Total</td>' in out


def test_statistics_follow_their_format_and_missing_ones_show_a_dash():
    data = pd.DataFrame(
        {
            "term": ["x", "y"],
            "p": [0.00001, 0.0312],
            "coverage": [0.5, np.nan],
            "other": [1.23456, 2.0],
            "items": [np.int64(7), np.int64(8)],
        }
    )
    table = ReportTable("t", "T", data, formats={"p": "p", "coverage": "{:.1%}"})
    out = table_html(table)
    assert '<td class="num">&lt; 0.0001</td>' in out and '<td class="num">0.0312</td>' in out
    assert '<td class="num">50.0%</td>' in out and '<td class="na">–</td>' in out
    assert '<td class="num">1.235</td>' in out  # unformatted floats: 3 decimals
    assert '<td class="num">7</td>' in out


def test_text_is_escaped_everywhere():
    data = pd.DataFrame({"<col>": ["<b>bold</b>"]})
    sec = ReportSection(
        "s&1",
        "Title <i>",
        ("a & b",),
        (ReportTable("t<", "Tab <x>", data, note="n < 5"),),
    )
    out = render_html(_report([sec]))
    for raw in ("<b>bold</b>", "<col>", "Title <i>", "<x>", "n < 5", "s&1"):
        assert raw not in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out and "<p>a &amp; b</p>" in out


def test_figures_are_inline_and_lists_are_collapsed():
    png = b"\x89PNG fake"
    lst = ReportTable("l", "A pair list", pd.DataFrame({"mentee": ["e-1", "e-2"]}))
    sec = ReportSection(
        "engagement", "3. E", figures=(ReportFigure("f", "Cap", png, "Alt"),), lists=(lst,)
    )
    out = render_html(_report([sec]))
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in out
    assert 'alt="Alt"' in out and "<figcaption>Cap</figcaption>" in out
    assert "<details><summary>A pair list (2 rows)</summary>" in out


def test_only_the_regression_caveat_is_highlighted():
    paragraphs = ("first", "second")
    out = render_html(
        _report([ReportSection("regression", "8", paragraphs), ReportSection("x", "9", paragraphs)])
    )
    assert out.count('<p class="caveat">second</p>') == 1
    assert out.count("<p>second</p>") == 1


@pytest.mark.parametrize(
    ("rules", "shown"),
    [
        ("default pairing rules", "· default pairing rules ·"),
        ("unnamed pairing rules", "· unnamed pairing rules ·"),
        ("quota 2026", "· pairing rules &#x27;quota 2026&#x27; ·"),
    ],
)
def test_header_names_the_rules(rules, shown):
    assert shown in render_html(_report([], rules=rules))


def test_header_and_about_follow_the_settings():
    out = render_html(_report([], k=10, as_of=None, pair_lists=False))
    assert "counts below 10 suppressed" in out and "Counts from 1 to 9 are hidden" in out
    assert "engagement as of (no exchange log)" in out
    assert "--no-pair-lists" not in out  # the advice to drop pair lists only when they are in
    assert "--no-pair-lists" in render_html(_report([]))
    assert "<tr><th>k</th><td>10</td></tr>" in out
    assert "<tr><th>key fingerprint</th><td>0badf00d</td></tr>" in out
    assert "<script" not in out and out.endswith("</body></html>\n")


@pytest.mark.parametrize(
    ("k", "hidden", "about"),
    [
        (2, "Counts of 1 are hidden", "hidden because it is 1,"),
        (10, "Counts from 1 to 9 are hidden", "hidden because it is between 1 and 9,"),
    ],
)
def test_the_header_says_which_counts_are_hidden(k, hidden, about):
    out = render_html(_report([], k=k))
    assert hidden in out and about in out
    assert f"counts below {k} suppressed" in out
    assert "from 1 to 1 " not in out and "between 1 and 1," not in out


def test_the_report_takes_the_key_source_from_study_key(monkeypatch):
    from ementor_kit import pilot_report
    from ementor_kit.samples.generator import generate_programme

    monkeypatch.setenv("EMENTOR_KIT_KEY", "x9f3kq0zt7wq1mlp2")
    prog = generate_programme(n_mentees=30, n_mentors=10, weeks=4, seed=1)
    assert pilot_report(prog).key_source == "environment"


def test_pre_post_pairs_are_pairs_of_answers_in_french_not_mentoring_pairs():
    data = pd.DataFrame({"subscale": ["total"], "pairs": [12]})
    head = table_html(ReportTable("prepost", "Change", data), lang="fr").split("</thead>")[0]
    assert "<th>paires de réponses</th>" in head and "binômes" not in head
    other = table_html(ReportTable("pairing", "Pairs", data), lang="fr").split("</thead>")[0]
    assert "<th>binômes</th>" in other  # elsewhere "pairs" are mentoring pairs
    assert "<th>pairs</th>" in table_html(ReportTable("prepost", "Change", data))


def test_a_table_in_french_keeps_codes_the_html_names():
    from ementor_kit.report.render import section_in_language, table_in_language

    data = pd.DataFrame(
        {"status": ["at_risk", "Total"], "count": pd.array([None, 9], dtype="Int64")}
    )
    table = ReportTable("engagement_status", "Pairs by status", data, counts=("count",))
    fr = table_in_language(table, "fr")
    assert fr.data["status"].tolist() == ["at_risk", "Total"] and fr.data["count"].equals(
        data["count"]
    )
    assert "<td>at_risk</td>" not in table_html(table, "fr") and fr.title == "Binômes par statut"
    # the same code in a column of texts is named, as in the HTML
    other = table_in_language(ReportTable("n", "Pairs by status", data), "fr")
    assert other.data["status"].iloc[0] != "at_risk"
    assert f"<td>{other.data['status'].iloc[0]}</td>" in table_html(
        ReportTable("n", "", data), "fr"
    )
    fig = ReportFigure("f", "Pairs by status", b"\x89PNG", "Pairs by status")
    sec = section_in_language(ReportSection("s", "Pairs by status", figures=(fig,)), "fr")
    assert (sec.figures[0].title, sec.figures[0].alt, sec.figures[0].png) == (
        "Binômes par statut",
        "Binômes par statut",
        b"\x89PNG",
    )
    assert table_in_language(table, "en") is table
