"""Translation where shown (ementor_kit.i18n.text) and the completeness of the French.

The completeness tests render in French what a person reads (the pilot report, the CLI help,
every plot function, the playground and the design canvas) and fail on any text left in
English, judged by the catalogue, not by a word list: a visible text must not be an English
message id (unless French writes it the same, e.g. 'Total'), and in the report and the CLI,
where the English original of each text is known, every English text with words must have a
translation (data such as group codes and instrument notes excepted, by their source).
"""

from __future__ import annotations

import functools
import html.parser
import re

import ipywidgets as w
import pytest
from babel.messages.pofile import read_po

import ementor_kit as ek
from ementor_kit import cli
from ementor_kit.errors import DataValidationError, InvalidArgumentError, Problem
from ementor_kit.graph import (
    engagement,
    plot_activity_heatmap,
    plot_network,
    plot_retention,
    plot_sync_async,
    programme_graph,
    retention,
    weekly_activity,
)
from ementor_kit.i18n.catalog import po_path
from ementor_kit.i18n.text import _is_words, french_number, translate_text, untranslated
from ementor_kit.survey.instruments import load_instrument
from ementor_kit.survey.plots import plot_likert, plot_prepost
from ementor_kit.widgets.design_canvas import DesignCanvas
from ementor_kit.widgets.playground import MatchPlayground

KEY = "demo-key-for-the-bundled-sample"


@functools.cache
def _catalogue() -> tuple[frozenset[str], frozenset[str]]:
    """English ids that French writes differently, and every French string."""
    with po_path("fr").open("rb") as fh:
        po = read_po(fh, locale="fr")
    english, french = set(), set()
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        french.update(strings)
        english.update(i for i in ids if i not in strings)
    return frozenset(english), frozenset(french)


def _still_english(texts) -> list[str]:
    """Visible French texts that are English message ids (or their templates filled)."""
    english, french = _catalogue()
    out = []
    for text in texts:
        t = str(text).strip()
        if not t or t in french:
            continue
        if t in english or (translate_text(t, "fr") != t and untranslated(t) == []):
            out.append(t)
    return out


class _Visible(html.parser.HTMLParser):
    """Text nodes and alt/title attributes of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        self.texts += [v for k, v in attrs if k in ("alt", "title") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _visible(page: str) -> list[str]:
    p = _Visible()
    p.feed(page)
    return p.texts


@pytest.fixture(scope="module")
def sample():
    return ek.load_sample()


@pytest.fixture(scope="module")
def reports(sample):
    rep = ek.pilot_report(sample, key=KEY, lang="fr")
    return rep, rep.to_html(lang="en"), rep.to_html()


# ------------------------------------------------------------------ translate_text


def test_templates_are_filled_again_with_french_numbers():
    assert translate_text("Retention of 1234 pairs", "fr") == "Maintien de 1234 binômes"
    assert translate_text("Retention of 12345 pairs", "fr") == "Maintien de 12\u202f345 binômes"
    assert french_number("0.523") == "0,523" and french_number("-1.5%") == "-1,5\u00a0%"
    assert translate_text("{n} pairs".replace("{n}", "1"), "fr") == "1 binôme"


def test_english_comes_back_unchanged_and_unknown_text_too():
    for text in ("Pairs", "Retention of 3 pairs", "E001 is somewhere"):
        assert translate_text(text, "en") == text
    assert translate_text("An English sentence nobody wrote.", "fr").startswith("An English")
    assert untranslated("An English sentence nobody wrote.") == [
        "An English sentence nobody wrote."
    ]


def test_a_template_without_words_of_its_own_matches_nothing():
    # '{status}: {reason}' would otherwise turn any 'a: b' into 'a : b'
    assert translate_text("GSE total: sum of ten", "fr") == "GSE total: sum of ten"


# ------------------------------------------------------------------ completeness


def _data_values(programme, report) -> set[str]:
    """Texts that come from the data, not from the package: codes, names, instrument notes."""
    values = set()
    for df in [programme.mentors, programme.mentees, programme.pairs, *programme.surveys.values()]:
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype).startswith(("str", "string", "cat")):
                values.update(str(v) for v in df[col].dropna().unique()[:200])
    for inst in ("gse", "mfq", "wai", "emx"):
        i = load_instrument(inst)
        values.add(f"{i.name}: {i.scoring_note}")
    values.update(str(v) for v in report.settings.values())
    values.add("ementor-kit")
    return values


def test_the_report_in_french_leaves_no_english(sample, reports):
    rep, en, fr = reports
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    en_texts, fr_texts = _visible(en), _visible(fr)
    assert len(en_texts) == len(fr_texts)  # the same page, text for text
    _, french = _catalogue()
    data = _data_values(sample, rep)
    left = [
        a
        for a, b in zip(en_texts, fr_texts, strict=True)
        if a == b and _is_words(a) and a not in french and a not in data
    ]
    assert left == []
    assert _still_english(fr_texts) == []
    assert re.search(r"\d+,\d", fr) and "décembre" in fr or "UTC" in fr


def test_the_report_writes_numbers_and_dates_the_french_way(reports):
    _, en, fr = reports
    m = re.search(r"engagement as of (\S+)", en)
    assert m is not None
    assert "engagement au " in fr and " à " in fr
    cells = re.findall(r'<td class="num">([^<]*)</td>', fr)
    assert cells and not any(re.fullmatch(r"-?\d+\.\d+", c) for c in cells)


def _helps(parser) -> list[str]:
    out = [parser.description or "", parser.epilog or ""]
    for action in parser._actions:
        out.append(action.help or "")
        for choice in getattr(action, "_choices_actions", []):
            out.append(choice.help or "")
        for sub in dict.fromkeys(getattr(action, "choices", None) or {}).keys():
            if not isinstance(sub, str):
                continue
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            for sub in dict.fromkeys(action.choices.values()):
                out += _helps(sub)
    return [h for h in out if h]


def test_every_cli_help_has_a_french_version():
    english = _helps(cli._parser("en"))
    assert [h for h in english if untranslated(h)] == []
    french = _helps(cli._parser("fr"))
    assert _still_english(french) == []


def test_cli_help_and_errors_speak_french(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fr", "report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : ") and "dossier du programme" in out
    assert cli.main(["--lang", "fr", "validate", "no/such/folder"]) == 1
    assert "problème trouvé" in capsys.readouterr().err


def _figure_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def test_every_plot_function_in_french(sample):
    p = sample
    eng = engagement(p.interactions, p.pairs)
    weekly = weekly_activity(p.interactions, p.pairs)
    g = programme_graph(p.mentors, p.mentees, p.pairs, p.interactions)
    t0, t1 = p.surveys["mentee_t0"], p.surveys["mentee_t1"]
    figures = [
        plot_activity_heatmap(weekly, eng, lang="fr"),
        plot_retention(retention(eng), lang="fr"),
        plot_sync_async(weekly, lang="fr"),
        plot_network(g, eng, lang="fr"),
        plot_likert(t1, "emx", lang="fr"),
        plot_prepost(t0, t1, "gse", lang="fr"),
    ]
    for fig in figures:
        assert _still_english(_figure_texts(fig)) == []


def _widget_texts(widget) -> list[str]:
    out = []
    for attr in ("description", "tooltip", "placeholder"):
        out.append(getattr(widget, attr, "") or "")
    if isinstance(widget, w.HTML | w.Label):
        out += _visible(str(widget.value))
    for opt in getattr(widget, "options", ()) or ():
        out.append(opt[0] if isinstance(opt, tuple) else str(opt))
    if isinstance(widget, w.Tab | w.Accordion):
        out += [t for t in widget.titles if t]
    for child in getattr(widget, "children", ()) or ():
        out += _widget_texts(child)
    return [t for t in out if t]


def test_the_design_canvas_in_french(tmp_path):
    canvas = DesignCanvas(output_dir=tmp_path, lang="fr")
    texts = _widget_texts(canvas.widget)
    assert texts
    assert _still_english(texts) == []


def test_the_playground_in_french(sample, tmp_path):
    pg = MatchPlayground(sample.mentors, sample.mentees, output_dir=tmp_path, lang="fr")
    texts = _widget_texts(pg.widget)
    assert texts
    assert _still_english(texts) == []
    # the tables' cells too: the explanation of a mentee's mentor and its alternatives
    explain = _visible(pg.explain_html.value)
    assert "retenu·e" in explain and "autre possibilité" in explain
    assert not any(t.startswith(("mentor full", "lower score", "hard rule")) for t in explain)
    assert "(not declared)" not in " ".join(texts)


def test_every_error_message_structure_has_a_french_version():
    p = Problem("mentors.csv", "capacity", (3, 5), "not a whole number", "write 1 to 4")
    fr = DataValidationError([p]).in_language("fr")
    assert fr.startswith("1 problème trouvé :") and "lignes 3, 5, colonne « capacity »" in fr
    err = InvalidArgumentError("lang", "de", "use one of 'en', 'fr'")
    assert err.in_language("fr").startswith("argument « lang » : 'de' n'est pas accepté.")
    assert err.in_language("en") == str(err)


def test_reason_sentences_in_french():
    from ementor_kit.matching.export import REASON_WORDINGS, reason_sentence

    cases = {
        "no_feasible_mentor": "no mentor passes the hard rules: language excludes 88; "
        "same_department excludes 1; forbidden excludes 2",
        "feasible_mentors_full": "all 5 feasible mentor(s) are full",
        "not_selected": "2 feasible mentor(s) with room (M001, M002) left out by maximin",
        "spare_capacity": "",
        "no_capacity": "",
    }
    assert set(cases) == set(REASON_WORDINGS)
    for code, detail in cases.items():
        en, fr = reason_sentence(code, detail, lang="en"), reason_sentence(code, detail, lang="fr")
        assert en == reason_sentence(code, detail) and fr != en
        assert _still_english([fr]) == [] and not any(
            w in fr for w in (" for ", " mentors", "full")
        )
    fr = reason_sentence("no_feasible_mentor", cases["no_feasible_mentor"], lang="fr")
    assert "aucune langue en commun pour 88 mentor·es ; " in fr and "pour 1 mentor·e ;" in fr


def test_cli_progress_and_result_lines_speak_french(capsys, tmp_path):
    folder, rules = ek.sample_dir(), ek.sample_dir() / "rules" / "default.yaml"
    args = ["match", str(folder), "--rules", str(rules), "--no-progress"]
    assert cli.main(["--lang", "fr", *args, "--out", str(tmp_path / "fr.csv")]) == 0
    fr = capsys.readouterr()
    assert cli.main([*args, "--out", str(tmp_path / "en.csv")]) == 0
    en = capsys.readouterr()
    assert en.err.startswith("wrote 281 pairs to ") and "(provenance ek1-" in en.err
    assert fr.err.startswith("281 binômes écrits dans ") and "wrote" not in fr.err
    assert cli.main(["--lang", "fr", "validate", str(folder)]) == 0
    assert ": valide — " in capsys.readouterr().out


def test_every_bundled_instrument_names_its_scores_in_french():
    # the closure (CLOSE-4) and pulse scores among them: the report and the figures show these
    from pathlib import Path

    from ementor_kit.survey.plots import BUILT_IN_NAMES

    folder = Path(ek.__file__).parent / "survey" / "instrument_defs"
    names = []
    for path in sorted(folder.glob("*.yaml")):
        inst = load_instrument(path)
        names += [inst.title, *(s.label for s in inst.subscales)]
    assert len(names) >= 25 and set(names) <= set(BUILT_IN_NAMES)
    assert [n for n in names if untranslated(n)] == []
    assert translate_text("What the mentoring achieved", "fr") == "Ce que le mentorat a permis"
