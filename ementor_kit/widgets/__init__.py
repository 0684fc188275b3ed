"""Interactive widgets for notebooks and the Voilà app.

- :mod:`~ementor_kit.widgets.playground`: :class:`MatchPlayground`, rules to pairing live.
- :mod:`~ementor_kit.widgets.design_canvas`: :class:`DesignCanvas`, a programme design and its
  simulated consequences.
- :mod:`~ementor_kit.widgets.followup`: :class:`FollowUpBoard`, this week's pairs to contact for
  coordinators, exported to their workbook.
"""

from ementor_kit.widgets.design_canvas import DesignCanvas
from ementor_kit.widgets.followup import FollowUpBoard
from ementor_kit.widgets.playground import MatchPlayground

__all__ = ["DesignCanvas", "FollowUpBoard", "MatchPlayground"]
