"""The sections of the pilot report, one module each, in report order.

Each module builds one :class:`~ementor_kit.report.model.ReportSection` from a
:class:`~ementor_kit.report._context.ReportContext` and what earlier steps produced (passed as
arguments), and returns what later steps need in a small frozen dataclass:

* :mod:`.intake` - files read, participants, the table of what was left out
* :mod:`.pairing` - the rules' pairs, coverage, scores, who stays unpaired
* :mod:`.engagement` - statuses, the check-in list, engagement measures, activity figures
* :mod:`.scoring`, :mod:`.reliability` - survey scores and internal consistency
* :mod:`.prepost` - change from T0 to T1 and attrition
* :mod:`.agreement` - mentor-mentee agreement on the working alliance
* :mod:`.regression` - engagement and outcomes
* :mod:`.closure` - how pairs ended: completed, closed early, reasons and their cumulative
  incidence, the curve's horizon
"""
