import re
from pathlib import Path

import pytest
import yaml

from ementor_kit.data.schema import SURVEY_ITEM_PATTERN
from ementor_kit.errors import DataValidationError
from ementor_kit.survey import Instrument, list_instruments, load_instrument


def test_mfq9_structure_follows_castro_scandura_williams():
    mfq = load_instrument("MFQ-9")
    assert mfq.item_ids == tuple(f"mfq_{i}" for i in range(1, 10))
    assert mfq.subscale("career").items == ("mfq_1", "mfq_2", "mfq_3")
    assert mfq.subscale("psychosocial").items == ("mfq_4", "mfq_5", "mfq_6")
    assert mfq.subscale("role_modelling").items == ("mfq_7", "mfq_8", "mfq_9")
    assert (mfq.scale_min, mfq.scale_max, mfq.reverse_keyed) == (1, 5, ())
    assert "Castro" in mfq.citation and "2004" in mfq.citation


def test_wai_sr_structure_follows_hatcher_gillaspy():
    wai = load_instrument("WAI-SR")
    assert wai.item_ids == tuple(f"wai_{i}" for i in range(1, 13))
    assert wai.subscale("task").items == ("wai_1", "wai_2", "wai_10", "wai_12")
    assert wai.subscale("bond").items == ("wai_3", "wai_5", "wai_7", "wai_9")
    assert wai.subscale("goal").items == ("wai_4", "wai_6", "wai_8", "wai_11")
    assert len(wai.subscale("total").items) == 12
    assert (wai.scale_min, wai.scale_max) == (1, 5)
    assert wai.labels("en") == ("Seldom", "Sometimes", "Fairly often", "Very often", "Always")
    assert "Hatcher" in wai.citation and "copyright" in wai.licence.lower()


def test_gse_is_one_four_point_scale_summed():
    gse = load_instrument("gse")
    assert gse.item_ids == tuple(f"gse_{i}" for i in range(1, 11))
    assert [s.id for s in gse.subscales] == ["total"]
    assert gse.subscale("total").method == "sum"
    assert (gse.scale_min, gse.scale_max, gse.n_options) == (1, 4, 4)
    assert "Schwarzer" in gse.citation


def test_emx_own_scale_has_french_and_english_wording_and_reverse_keys():
    emx = load_instrument("emx")
    assert emx.wording == "included"
    assert emx.reverse_keyed == ("emx_4", "emx_6")
    for item in emx.items:
        assert item.text("fr") and item.text("en")
    assert {s.id: s.items for s in emx.subscales} == {
        "usefulness": ("emx_1", "emx_2"),
        "trust": ("emx_3", "emx_4"),
        "ease": ("emx_5", "emx_6"),
        "satisfaction": ("emx_7", "emx_8"),
    }
    assert len(emx.labels("fr")) == 5


@pytest.mark.parametrize("name", ["mfq", "wai", "gse"])
def test_copyrighted_or_restricted_wording_is_not_bundled(name):
    inst = load_instrument(name)
    assert inst.wording == "reference"
    assert all(item.texts == () for item in inst.items)


def test_item_ids_match_the_data_contract():
    pattern = re.compile(SURVEY_ITEM_PATTERN)
    for name in ("mfq", "wai", "gse", "emx"):
        assert all(pattern.match(i) for i in load_instrument(name).item_ids)


@pytest.mark.parametrize("alias", ["mfq", "MFQ-9", "mfq9", " Mfq-9 "])
def test_aliases_and_case(alias):
    assert load_instrument(alias).id == "mfq"


def test_instrument_is_returned_as_is_and_hashable():
    inst = load_instrument("wai")
    assert load_instrument(inst) is inst
    assert hash(inst) == hash(load_instrument("WAI-SR"))


def _user_def():
    return {
        "id": "mys",
        "name": "MYS-3",
        "citation": "Me (2026).",
        "licence": "CC-BY",
        "wording": "included",
        "scale": {"min": 0, "max": 6, "labels": {"en": list("abcdefg")}},
        "items": [
            {"id": "mys_1", "text": {"en": "One"}},
            {"id": "mys_2", "reverse": True},
            {"id": "mys_3"},
        ],
        "subscales": [{"id": "total", "items": ["mys_1", "mys_2", "mys_3"], "score": "sum"}],
    }


def test_user_instrument_from_yaml_file(tmp_path):
    path = tmp_path / "mys.yaml"
    path.write_text(yaml.safe_dump(_user_def()), encoding="utf-8")
    inst = load_instrument(path)
    assert isinstance(inst, Instrument)
    assert inst.reverse_keyed == ("mys_2",)
    assert inst.subscale("total").min_answered == 3  # defaults to every item
    assert inst.n_options == 7 and inst.source == str(path)
    assert load_instrument(str(path)) == inst
    assert load_instrument(_user_def()).item_ids == inst.item_ids


def test_bad_definition_lists_every_problem_with_key(tmp_path):
    bad = _user_def()
    bad["wording"] = "reference"  # but item 1 has a text
    bad["scale"]["labels"]["en"] = ["a", "b"]
    bad["subscales"] = [
        {"id": "total", "items": ["mys_1", "mys_9"], "min_answered": 5, "score": "median"}
    ]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        load_instrument(path)
    text = str(exc.value)
    assert str(path) in text
    assert "item wording given" in text
    assert "2 labels for 7 response options" in text
    assert "unknown item(s) mys_9" in text
    assert "min_answered 5" in text
    assert "unknown score method 'median'" in text
    assert len(exc.value.problems) == 5


def test_yaml_syntax_error_and_missing_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nitems: [a, b\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid YAML at line"):
        load_instrument(path)
    with pytest.raises(DataValidationError, match="file not found"):
        load_instrument(tmp_path / "absent.yaml")


def test_unknown_name_lists_builtins():
    with pytest.raises(
        DataValidationError, match=r"use one of closure \(CLOSE-4\), emx \(EMX-8\), gse"
    ):
        load_instrument("big-five")


def test_list_instruments():
    table = list_instruments()
    assert table["id"].tolist() == ["closure", "emx", "gse", "mfq", "pulse", "wai"]
    assert table.set_index("id")["n_items"].to_dict() == {
        "closure": 4,
        "emx": 8,
        "gse": 10,
        "mfq": 9,
        "pulse": 4,
        "wai": 12,
    }
    assert table.set_index("id").loc["emx", "reverse_keyed"] == "emx_4, emx_6"


def test_builtin_definitions_ship_as_package_data():
    import ementor_kit

    folder = Path(ementor_kit.__file__).parent / "survey" / "instrument_defs"
    assert sorted(p.name for p in folder.glob("*.yaml")) == [
        "closure.yaml",
        "emx.yaml",
        "gse.yaml",
        "mfq9.yaml",
        "pulse.yaml",
        "wai_sr.yaml",
    ]


@pytest.mark.parametrize("name", ["pulse", "closure"])
def test_project_instruments_are_worded_in_french_and_english(name):
    inst = load_instrument(name)
    assert inst.wording == "included" and inst.raters == ("mentee", "mentor")
    assert len(inst.labels("fr")) == len(inst.labels("en")) == 5
    for item in inst.items:
        assert item.text("fr") and item.text("en") and item.text("fr") != item.text("en")
    assert set().union(*(s.items for s in inst.subscales)) == set(inst.item_ids)


def test_pulse_and_closure_subscales():
    pulse = load_instrument("pulse")
    assert [s.id for s in pulse.subscales] == ["total", "relationship", "progress", "contact"]
    assert pulse.subscale("total").min_answered == 3 and not pulse.reverse_keyed
    closure = load_instrument("closure")
    assert [s.id for s in closure.subscales] == ["achieved", "recommend", "again"]
    assert load_instrument("CLOSE-4") is closure or load_instrument("CLOSE-4") == closure


@pytest.mark.parametrize("name", ["gse", "mfq", "wai", "emx", "pulse", "closure"])
def test_scoring_notes_in_french_keep_the_numbers_and_names(name):
    inst = load_instrument(name)
    en, fr = inst.scoring_note_in("en"), inst.scoring_note_in("fr")
    assert en == inst.scoring_note and fr and fr != en
    assert sorted(re.findall(r"\d+", fr)) == sorted(re.findall(r"\d+", en))
    code_like = r"\b[a-z]+(?:[._][a-z0-9]+)+\b|\bmin_answered=\d+"  # emx_4, ementor_kit.survey...
    assert sorted(re.findall(code_like, fr)) == sorted(re.findall(code_like, en))


def test_scoring_note_as_one_text_is_english_and_the_fallback():
    defs = Path(__file__).resolve().parents[2] / "ementor_kit" / "survey" / "instrument_defs"
    data = yaml.safe_load((defs / "emx.yaml").read_text(encoding="utf-8"))
    data["scoring_note"] = "Two-item subscales need both items."
    inst = load_instrument(data)
    assert inst.scoring_notes == (("en", "Two-item subscales need both items."),)
    assert inst.scoring_note_in("fr") == inst.scoring_note_in("en") == inst.scoring_note
