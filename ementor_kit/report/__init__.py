"""The pilot report: the whole pilot as one self-contained, pseudonymised HTML page.

- :mod:`ementor_kit.report.pilot`: :func:`pilot_report` runs the steps (``STEPS``) in order;
- :mod:`ementor_kit.report.model`: :class:`PilotReport` and its tables, figures and sections;
- :mod:`ementor_kit.report.sections`: one module per section of the report;
- :mod:`ementor_kit.report.render`: the HTML page.

:class:`DisclosureError` is what :func:`pilot_report` raises when its tables read together
would give back a count one of them hides (a gap in the report's suppression).
"""

from ementor_kit.errors import DisclosureError
from ementor_kit.report.model import PilotReport, ReportFigure, ReportSection, ReportTable
from ementor_kit.report.pilot import STEPS, pilot_report
from ementor_kit.report.sections.regression import PREDICTORS, engagement_outcome_data

__all__ = [
    "PREDICTORS",
    "DisclosureError",
    "STEPS",
    "PilotReport",
    "ReportFigure",
    "ReportSection",
    "ReportTable",
    "engagement_outcome_data",
    "pilot_report",
]
