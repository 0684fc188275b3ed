"""Sessions and rules files of the coordinator app: saved, reopened, read outside the app,
and refused when an upload would make the server read what it did not bring."""

from __future__ import annotations

import io
import zipfile

import pytest

import ementor_kit as ek
from ementor_kit.errors import EmentorKitError
from ementor_kit.widgets.app import CoordinatorApp
from ementor_kit.widgets.app_formats import FormatSettings
from ementor_kit.widgets.app_session import read_rules, read_session
from tests.widgets.test_app import _files, _upload

LOCK = ("stu-0045", "paul.dupont@pro.exemple.fr")
FORBID = ("stu-0046", "julien.payet@pro.exemple.fr")


def _worked_app() -> CoordinatorApp:
    app = CoordinatorApp(lang="en")
    _upload(app, _files())
    app.recode("mentees", "domain", "Sante", "sante")
    app.set_type("mentors", "avez_vous_deja_ete_mentor", "ignore")
    app.lock(*LOCK)
    app.forbid(*FORBID)
    app.playground.weight_sliders["domain"].value = 0.5
    app.playground.set_capacity("marie.hoarau@pro.exemple.fr", 2)
    app.set_format(FormatSettings("shortlist", k=2, exposure=1.2))
    return app


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_saved_session_is_a_programme_folder_the_package_reads(tmp_path):
    app = _worked_app()
    name, mime, data = app.downloads()["session"]
    assert name == f"session_{app.playground.last_result.provenance}.zip"
    assert mime == "application/zip" and data == app.downloads()["session"][2]  # same bytes
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted(
            ["programme.yaml", *app.files, "rules.yaml", "session.yaml"]
        )
        zf.extractall(tmp_path)
    prog = ek.read_programme(tmp_path)
    rules = ek.MatchRules.from_yaml(tmp_path / "rules.yaml")
    assert rules == app.playground.last_rules
    assert rules.required_pairs == (LOCK,) and rules.forbidden_pairs == (FORBID,)
    assert rules.capacity_override == {"marie.hoarau@pro.exemple.fr": 2}
    result = ek.match(prog.mentors, prog.mentees, rules)
    assert result.provenance == app.playground.last_result.provenance


def test_a_session_reopens_with_its_data_rules_locks_format_and_decisions():
    app = _worked_app()
    data = app.downloads()["session"][2]
    again = CoordinatorApp(lang="fr")
    _upload(again, {"session_x.zip": data})  # through the Data step's upload, as the page does
    assert again.problems == [] and again.to_check == []
    assert again.spec == app.spec and again.files == app.files
    assert again.playground.last_rules == app.playground.last_rules
    assert again.playground.last_result.provenance == app.playground.last_result.provenance
    assert again.format_settings == FormatSettings("shortlist", k=2, exposure=1.2)
    assert again.format_result.options.equals(app.format_result.options)
    assert again.decisions == app.decisions and "Vos décisions" in again.problems_html.value
    assert "Payet, Kenny (stu-0045)" in again.pairs_rules_html.value


def test_a_sample_session_reopens_on_the_sample():
    app = CoordinatorApp(lang="en", sample=True)
    app.playground.min_score_slider.value = 20.0
    data = app.downloads()["session"][2]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["rules.yaml", "session.yaml"]
    again = CoordinatorApp(lang="en")
    again.open_session(data)
    assert again.playground.last_rules == app.playground.last_rules
    assert len(again.programme.mentees) == 300


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ({"../rules.yaml": b"{}", "session.yaml": b"data: sample"}, "top of the zip"),
        ({"session.yaml": b"data: sample"}, "it holds rules.yaml"),
        (
            {
                "rules.yaml": b"{}",
                "session.yaml": b"data: files",
                "programme.yaml": (ek.example_intake() / "programme.yaml")
                .read_bytes()
                .replace(b"path: mentors.csv", b"path: /etc/passwd"),
                "mentees.csv": (ek.example_intake() / "mentees.csv").read_bytes(),
            },
            "/etc/passwd",
        ),
        (
            {
                "rules.yaml": b"criteria:\n- kind: preference\n",
                "session.yaml": b"data: sample",
            },
            "reads no file named by the rules",
        ),
        ({"rules.yaml": b"{}", "session.yaml": b"format: {format: trios}"}, "format"),
    ],
)
def test_a_session_that_would_read_elsewhere_is_refused_with_its_fix(entries, said):
    with pytest.raises(EmentorKitError) as info:
        read_session(_zip(entries))
    assert said in str(info.value)
    app = CoordinatorApp(lang="en", sample=True)
    app.open_session(_zip(entries))  # the page says it, nothing raises
    assert app.playground is None and said in app.problems_html.value.replace("&#x27;", "'")


def test_not_a_zip_is_refused():
    with pytest.raises(EmentorKitError, match="session .zip the app downloaded"):
        read_session(b"PK not really")


def test_rules_saved_from_the_rules_step_load_into_another_page():
    app = CoordinatorApp(lang="en", sample=True)
    app.playground.weight_sliders["skills"].value = 2.5
    app.lock("E001", "M002")
    app._save_rules()
    link = app.rules_file_html.value
    assert "ek-save-rules-link" in link and "download='rules_" in link
    data = app.downloads()["rules"][2]
    other = CoordinatorApp(lang="en", sample=True)
    other.load_rules(data, "mine.yaml")
    assert other.playground.last_rules == app.playground.last_rules
    assert "Rules read from mine.yaml." in other.rules_file_html.value
    assert other.playground.weight_sliders["skills"].value == 2.5


def test_a_rules_file_that_does_not_fit_keeps_the_current_rules():
    app = CoordinatorApp(lang="en", sample=True)
    before = app.playground
    app.load_rules(b"weights: {no_such_criterion: 1}", "bad.yaml")
    assert app.playground is before and "ek-rules-error" in app.rules_file_html.value
    app.load_rules(b"/etc/passwd.yaml", "path.yaml")  # text, never a path on the server
    assert app.playground is before and "ek-rules-error" in app.rules_file_html.value
    with pytest.raises(EmentorKitError, match="reads no file"):
        read_rules(b"criteria:\n- kind: preference\n  file: /etc/passwd\n")
