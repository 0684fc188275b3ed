"""Exchanges from the tools pairs use: chat, e-mail and video exports in, content never kept.

:func:`import_exchanges` reads WhatsApp chats, mailboxes, Slack workspace exports, Teams
chat messages and attendance reports, Zoom and Google Meet reports and CSV message logs into the programme's exchange log (``interactions.csv``), resolving people
through the programme's declared contacts; :class:`ExchangeImport` holds the log, the people
not resolved, every message set aside with its reason, and the import report. The
:mod:`~ementor_kit.exchanges.generate` module writes such exports from a log (test fixtures,
round trips, benchmarks).
"""

from ementor_kit.exchanges.calendar import PlannedSessions, import_planned_sessions
from ementor_kit.exchanges.importer import import_exchanges
from ementor_kit.exchanges.result import ExchangeImport

__all__ = ["ExchangeImport", "PlannedSessions", "import_exchanges", "import_planned_sessions"]
