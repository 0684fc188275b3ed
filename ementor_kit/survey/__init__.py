"""Survey handling and outcome research, in one namespace.

``ementor_kit.survey`` gathers the public functions of the survey modules:

* :mod:`ementor_kit.survey.instruments` - :class:`Instrument`, :func:`load_instrument`,
  :func:`list_instruments` (MFQ-9, WAI-SR, GSE, EMX-8 built in; add your own in YAML);
* :mod:`ementor_kit.survey.readers` - :func:`read_survey` and one reader per platform
  (Qualtrics, LimeSurvey, Google Forms, SurveyMonkey, Microsoft Forms, SPSS), each returning a
  :class:`SurveyExport` (the responses, the file, its header rows and question texts),
  :func:`write_export`;
* :mod:`ementor_kit.survey.scoring` - :func:`score`, :func:`recode_labels` (answer labels of
  Google Forms, SurveyMonkey, Microsoft Forms to codes), :func:`reverse_key`,
  :func:`scoring_rules` (the rule applied, in words), :func:`scoring_counts` (complete,
  prorated and missing scores);
* :mod:`ementor_kit.survey.internal_consistency` - :func:`cronbach_alpha`, :func:`omega_total`,
  :func:`item_stats`, :func:`reliability`;
* :mod:`ementor_kit.survey.effects` - :func:`paired_scores`, :func:`compare_waves`,
  :func:`compare_groups`, :func:`hedges_j` (pre/post change and group differences);
* :mod:`ementor_kit.survey.agreement` - :func:`icc`, :func:`link_to_pairs`,
  :func:`dyad_agreement` (mentor-mentee agreement), :func:`rwg_null` (r_wg against random
  re-pairings, a :class:`RwgNull`);
* :mod:`ementor_kit.survey.power` - :func:`plan_sample_size`, :func:`t_test_power`;
* :mod:`ementor_kit.survey.privacy` - :func:`pseudonymise`, :func:`suppress_small_cells` (a
  :class:`SuppressedTable`), :func:`drop_identifiers` (a :class:`Deidentified`),
  :func:`study_key` (a :class:`StudyKey` whose :class:`KeyInfo` says where it came from);
* :mod:`ementor_kit.survey.regression` - :func:`ols` (OLS with robust standard errors);
* :mod:`ementor_kit.survey.waves` - :func:`wave_plan` (declared waves ``T0``, ``T1``,
  ``T2``, pulses ``P30`` ..., in order, with days and dates; a :class:`WavePlan` of
  :class:`Wave`), :func:`pulse_waves`, :func:`stack_waves` (long table of scores),
  :func:`compare_wave_series` (contrasts of several waves, a :class:`WaveSeries`);
* :mod:`ementor_kit.survey.lifecycle` - :func:`latest_pulse` (per pair, the latest PULSE-4
  answers and whether they are low: a check-in reason), :func:`closure_summary` (CLOSE-4
  scores by side and the reasons for the end, a :class:`ClosureSummary`),
  :func:`closure_reasons`;
* :mod:`ementor_kit.survey.objectives` - :func:`goal_history` (each goal's steps and the
  wave or pulse just before each revision);
* :mod:`ementor_kit.survey.mixed` - :func:`mixed_model` (longitudinal mixed model, random
  intercept per person, optionally per pair; a :class:`MixedModelResult`);
* :mod:`ementor_kit.survey.plots` - :func:`plot_likert`, :func:`plot_prepost`,
  :func:`likert_table`.

Examples
--------
>>> from ementor_kit import survey
>>> survey.load_instrument("wai").subscale("bond").items
('wai_3', 'wai_5', 'wai_7', 'wai_9')
>>> survey.plan_sample_size(0.5, paired=True).n
34
"""

from __future__ import annotations

from ementor_kit.survey.agreement import (
    DyadAgreement,
    RwgNull,
    dyad_agreement,
    icc,
    link_to_pairs,
    rwg_null,
)
from ementor_kit.survey.effects import (
    WaveComparison,
    compare_groups,
    compare_waves,
    hedges_j,
    paired_scores,
)
from ementor_kit.survey.instruments import (
    Instrument,
    Item,
    Subscale,
    list_instruments,
    load_instrument,
)
from ementor_kit.survey.internal_consistency import (
    AlphaResult,
    Reliability,
    cronbach_alpha,
    item_stats,
    omega_total,
    reliability,
)
from ementor_kit.survey.lifecycle import (
    ClosureSummary,
    closure_reasons,
    closure_summary,
    latest_pulse,
)
from ementor_kit.survey.mixed import MixedModelResult, mixed_model
from ementor_kit.survey.objectives import goal_history
from ementor_kit.survey.plots import likert_table, plot_likert, plot_prepost
from ementor_kit.survey.power import SampleSizePlan, plan_sample_size, t_test_power
from ementor_kit.survey.privacy import (
    Deidentified,
    KeyInfo,
    StudyKey,
    SuppressedTable,
    drop_identifiers,
    pseudonymise,
    study_key,
    suppress_small_cells,
)
from ementor_kit.survey.readers import (
    SurveyExport,
    detect_format,
    read_google_forms,
    read_limesurvey,
    read_msforms,
    read_qualtrics,
    read_spss,
    read_survey,
    read_surveymonkey,
    write_export,
)
from ementor_kit.survey.regression import OLSResult, ols
from ementor_kit.survey.scoring import (
    recode_labels,
    reverse_key,
    score,
    scoring_counts,
    scoring_rules,
)
from ementor_kit.survey.waves import (
    Wave,
    WavePlan,
    WaveSeries,
    compare_wave_series,
    pulse_waves,
    stack_waves,
    wave_plan,
)

__all__ = [
    "AlphaResult",
    "ClosureSummary",
    "Deidentified",
    "KeyInfo",
    "StudyKey",
    "DyadAgreement",
    "Instrument",
    "Item",
    "MixedModelResult",
    "OLSResult",
    "Reliability",
    "RwgNull",
    "SampleSizePlan",
    "Subscale",
    "SuppressedTable",
    "SurveyExport",
    "Wave",
    "WaveComparison",
    "WavePlan",
    "WaveSeries",
    "closure_reasons",
    "closure_summary",
    "compare_groups",
    "compare_wave_series",
    "compare_waves",
    "cronbach_alpha",
    "detect_format",
    "drop_identifiers",
    "dyad_agreement",
    "goal_history",
    "hedges_j",
    "icc",
    "item_stats",
    "latest_pulse",
    "likert_table",
    "link_to_pairs",
    "ols",
    "list_instruments",
    "load_instrument",
    "mixed_model",
    "omega_total",
    "paired_scores",
    "plan_sample_size",
    "plot_likert",
    "plot_prepost",
    "pulse_waves",
    "pseudonymise",
    "read_google_forms",
    "read_limesurvey",
    "read_msforms",
    "read_qualtrics",
    "read_spss",
    "read_survey",
    "read_surveymonkey",
    "recode_labels",
    "reliability",
    "reverse_key",
    "rwg_null",
    "score",
    "scoring_counts",
    "scoring_rules",
    "stack_waves",
    "study_key",
    "suppress_small_cells",
    "t_test_power",
    "wave_plan",
    "write_export",
]
