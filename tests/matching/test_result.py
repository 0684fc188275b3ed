"""MatchResult's texts a person reads: the summary and the explanations, in English and French."""

from __future__ import annotations

import re

import pytest

import ementor_kit as ek
from ementor_kit.i18n import set_language
from ementor_kit.i18n.text import untranslated
from ementor_kit.matching import match
from ementor_kit.matching.export import reason_sentence


@pytest.fixture(scope="module")
def strict():
    p = ek.load_sample()
    return match(p.mentors, p.mentees, ek.MatchRules().replace(min_score=70))


def _legacy_english(s) -> str:
    """The summary as the package always printed it (written out independently)."""
    groups = ", ".join(f"{g} {c:.1%}" for g, c in s.group_coverage.items())
    opt = f"{s.status}, proven optimal"
    return "\n".join(
        [
            f"{s.n_pairs} pairs: {s.n_pairs}/{s.n_mentees} mentees paired ({s.coverage:.1%}), "
            f"{s.n_mentors} mentors, capacity {s.total_capacity}",
            f"score mean {s.score_mean:.1f}, min {s.score_min:.1f}, quartiles "
            f"{s.score_q1:.1f} / {s.score_median:.1f} / {s.score_q3:.1f}",
            f"group coverage: {groups}",
            f"objective {s.objective} = {s.objective_value:.4f}; {s.solver}, {opt}",
            f"provenance {s.provenance} (ementor-kit {s.version})",
        ]
    )


def test_the_english_summary_is_unchanged(strict):
    s = strict.summary()
    assert s.proven_optimal
    assert str(s) == s.to_text("en") == _legacy_english(s)


def test_the_summary_in_french(strict):
    fr = strict.summary().to_text("fr")
    lines = fr.splitlines()
    assert (
        lines[0]
        == "263 binômes : 263/300 mentoré·es apparié·es (87,7\u00a0%), 90 mentor·es, capacité 281"
    )
    assert lines[1].startswith("score moyen 78,2, min. 70,1, quartiles 73,9 / ")
    assert lines[2].startswith("couverture par groupe : (non déclaré) 76,6\u00a0%, non_qpv ")
    assert "= 20\u202f574,3876 ; " in lines[3] and lines[3].endswith("optimal, optimum prouvé")
    assert not re.search(r"\d\.\d", lines[1]) and "pairs" not in fr and "mentees" not in fr
    # every line is a catalogue message filled in: nothing of it is left in English
    english = strict.summary().to_text("en").splitlines()
    del english[2]  # the group names are data: '(not declared)' is translated on its own
    assert [x for x in english if untranslated(x)] == []


def test_print_follows_the_process_language(strict):
    s = strict.summary()
    try:
        set_language("fr")
        assert str(s) == s.to_text("fr") != s.to_text("en")
    finally:
        set_language(None)
    assert str(s) == s.to_text("en")


def test_a_summary_of_one_pair_and_of_a_heuristic():
    from ementor_kit.datasets import example_profiles

    mentors, mentees = example_profiles()
    one = match(mentors, mentees.head(1))
    assert one.summary().to_text("fr").startswith("1 binôme : 1/1 mentoré·e")
    assert one.summary().to_text("en").startswith("1 pairs: 1/1 mentees paired")
    greedy = ek.greedy(mentors, mentees)
    assert "référence heuristique, sans garantie d'optimum" in greedy.summary().to_text("fr")
    assert "heuristic baseline, no optimality claim" in str(greedy.summary())


def test_explanations_in_french_with_decimal_commas(strict):
    en = strict.explain("E008", lang="en")
    fr = strict.explain("E008", lang="fr")
    assert en.drop(columns="why_not").equals(fr.drop(columns="why_not"))
    assert en.loc[0, "why_not"].startswith("mentor full (4/4): E229 (91.1), E044 (83.0)")
    assert fr.loc[0, "why_not"].startswith("mentor·e complet·ète (4/4) : E229 (91,1), E044 (83,0)")
    assert fr.loc[2, "why_not"] == "règle impérative : min_score"
    assert strict.explain("E008").equals(en)  # the process language: English by default
    for text in fr["why_not"]:
        assert "full" not in text and "hard rule" not in text


def test_lower_score_in_french():
    from ementor_kit.datasets import example_profiles

    r = match(*example_profiles())
    why = [w for w in r.explain("E002", lang="fr")["why_not"] if w.startswith("score plus bas")]
    assert why and "," in why[0] and "." not in why[0]


def test_unmatched_reasons_are_sentences_of_every_unmatched_row(strict):
    en = strict.unmatched_reasons(lang="en")
    fr = strict.unmatched_reasons(lang="fr")
    u = strict.unmatched
    for table in (en, fr):
        assert list(table.columns) == ["person_id", "role", "reason", "why"]
        assert table[["person_id", "role", "reason"]].equals(u[["person_id", "role", "reason"]])
    for table, lang in ((en, "en"), (fr, "fr")):
        assert table["why"].tolist() == [
            reason_sentence(c, d, lang) for c, d in zip(u["reason"], u["detail"], strict=True)
        ]
    mentees = fr[fr["role"] == "mentee"]
    assert len(mentees) > 0
    assert not (fr["why"] == en["why"]).any()
    assert all("mentor·es" in w for w in mentees["why"])  # French, with the counts kept
    counts = [re.search(r"\d+", d).group(0) for d in u.loc[mentees.index, "detail"]]
    assert [re.search(r"\d+", w).group(0) for w in mentees["why"]] == counts
