"""The coordinator app's words: the proposal's checks and the decisions in French, and the
pseudonyms shown for ids that are e-mail addresses."""

from __future__ import annotations

import re

import ementor_kit as ek
from ementor_kit.data.review_text import check_text
from ementor_kit.i18n import translator
from ementor_kit.i18n.text import untranslated
from ementor_kit.widgets.app import CoordinatorApp
from ementor_kit.widgets.app_text import Decision, shown_ids
from tests.i18n.test_text import _still_english, _visible, _widget_texts
from tests.widgets.test_app import _files, _upload

FR, EN = translator("fr"), translator("en")


def _intake_checks() -> list[str]:
    folder = ek.example_intake()
    spec = ek.propose_programme(folder / "mentors.csv", folder / "mentees.csv")
    review = spec.review()
    return [c for c in review["check"] if c] + [
        v for v, a in zip(review["values_seen"], review["attribute"], strict=True) if a is None
    ]


def test_every_check_of_the_intake_proposal_is_written_in_french():
    checks = _intake_checks()
    assert len(checks) >= 8
    for text in checks:
        fr = check_text(text, FR)
        assert check_text(text, EN) == text  # English unchanged
        parts_en, parts_fr = text.split("; "), fr.split(" ; ")
        assert len(parts_en) == len(parts_fr)
        for en, part in zip(parts_en, parts_fr, strict=True):
            if untranslated(en) or re.search(r"[A-Za-z]{4,}", en):
                assert part != en, f"left in English: {en!r}"
    assert check_text("'Sante' (1) and 'Santé' (5) read as one code 'sante'", FR) == (
        "'Sante' (1) et 'Santé' (5) lus comme un seul code 'sante'"
    )
    # a text the catalogue does not know stays as it is
    assert check_text("something new; not used", FR) == "something new ; non utilisé"


def test_decisions_are_reworded_when_the_language_changes():
    app = CoordinatorApp(lang="en")
    _upload(app, _files())
    app.recode("mentees", "domain", "Sante", "sante")
    app.accept("mentors", "mentor_id")
    app.set_type("mentors", "avez_vous_deja_ete_mentor", "ignore")
    assert app.decisions == [
        Decision("recode", "mentees", "domain", "sante", label="Sante"),
        Decision("accept", "mentors", "mentor_id"),
        Decision("type", "mentors", "avez_vous_deja_ete_mentor", "ignore"),
    ]
    assert "mentees.domain: &#x27;Sante&#x27; read as &#x27;sante&#x27;" in app.problems_html.value
    app.set_language("fr")
    page = app.problems_html.value
    assert "Vos décisions" in page and "Your decisions" not in page
    assert "mentees.domain : &#x27;Sante&#x27; lu comme &#x27;sante&#x27;" in page
    assert "mentors.avez_vous_deja_ete_mentor : lu comme non lu" in page
    assert "correct tel que proposé" in page


def _app_texts(app: CoordinatorApp) -> list[str]:
    """What the app itself writes (the playground's own views are tested with it)."""
    texts = list(app.tabs.titles)
    for widget in (
        app.problems_html,
        app.fix_item,
        app.fix_type,
        app.fix_html,
        app.unmatched_html,
        app.compare_names_html,
        app.pairs_rules_html,
        app.results_warning,
        app.format_controls.widget,
        app.format_html,
        app.choices.widget,
        app.rules_upload,
        app.save_rules_button,
        app.rules_file_html,
        *app.rules_box.children[:1],
        *app.download_box.children,
    ):
        texts += _widget_texts(widget)
    # the review, without its cells of data: headers, types, how sure, roles, checks
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", app.review_html.value, re.S)
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        if cells and "<th" in row:
            texts += cells
        elif len(cells) == 8:  # file, column, roles, attribute, type, how sure, seen, check
            texts += [cells[2], cells[4], cells[5], cells[7]]
    return [t for raw in texts for t in (_visible(raw) if "<" in raw else [raw])]


def test_the_app_in_french_leaves_no_english_of_its_own():
    app = CoordinatorApp(lang="fr")
    _upload(app, _files())
    app.recode("mentees", "domain", "Sante", "sante")
    app.accept("mentors", "mentor_id")
    app.lock("stu-0045", "paul.dupont@pro.exemple.fr")
    app.forbid("stu-0046", "paul.dupont@pro.exemple.fr")
    app.playground.pin()
    app.playground.weight_sliders["skills"].value = 0.0
    app.format_controls.format.value = "shortlist"
    app._save_rules()
    texts = _app_texts(app)
    app.format_controls.format.value = "circles"
    app._show_downloads()
    texts += _app_texts(app)
    assert "Vos décisions" in texts and "à vérifier" in texts
    assert _still_english(texts) == []
    page = "\n".join(texts)
    english = {p for c in _intake_checks() for p in c.split("; ") if re.search("[a-z]{4} ", p)}
    assert english and [p for p in english if p in page] == []


def test_email_ids_are_shown_as_pseudonyms_in_the_tables():
    app = CoordinatorApp(lang="en")
    _upload(app, _files())
    pg = app.playground
    mentors = list(app.programme.mentors["mentor_id"])
    assert all("@" in m for m in mentors)
    assert pg.id_labels == {m: f"M-{i:03d}" for i, m in enumerate(mentors, 1)}
    app.lock("stu-0045", "paul.dupont@pro.exemple.fr")
    pg.pin()
    pg.weight_sliders["skills"].value = 0.0
    changed = pg.changed_pairs()
    assert len(changed) > 0 and changed["mentor_A"].str.contains("@").all()  # data unchanged
    for html in (
        pg.compare_html.value,
        app.compare_names_html.value,
        pg.pairs_html.value,
        pg.explain_html.value,
        app.pairs_rules_html.value,
    ):
        assert "@" not in html and re.search(r"M-00\d", html)
    shown = [o[0] for o in app.pair_mentor.options + pg.capacity_mentor.options]
    assert not any("@" in o for o in shown)
    # the downloads keep the real ids (the files hold them)
    assert "paul.dupont@pro.exemple.fr" in app.downloads()["csv"][2].decode("utf-8")


def test_shown_ids_leave_plain_ids_alone_and_avoid_clashes():
    assert shown_ids(["M1", "M2"], ["E1"]) == {}
    assert shown_ids(["a@x.fr", "M-001"], []) == {"a@x.fr": "M--001", "M-001": "M--002"}
    labels = shown_ids([f"p{i}@x.fr" for i in range(1200)], [])
    assert labels["p0@x.fr"] == "M-0001" and len(set(labels.values())) == 1200
