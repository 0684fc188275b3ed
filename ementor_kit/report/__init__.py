"""The pilot report: the whole pilot as one self-contained, pseudonymised HTML page."""

from ementor_kit.report.pilot import (
    PREDICTORS,
    STEPS,
    PilotReport,
    ReportFigure,
    ReportSection,
    ReportTable,
    engagement_outcome_data,
    pilot_report,
)

__all__ = [
    "PREDICTORS",
    "STEPS",
    "PilotReport",
    "ReportFigure",
    "ReportSection",
    "ReportTable",
    "engagement_outcome_data",
    "pilot_report",
]
