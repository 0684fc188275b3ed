"""Interactive widgets for notebooks and the Voilà app.

- :mod:`~ementor_kit.widgets.playground`: :class:`MatchPlayground`, rules to pairing live.
- :mod:`~ementor_kit.widgets.design_canvas`: :class:`DesignCanvas`, a programme design and its
  simulated consequences.
"""

from ementor_kit.widgets.design_canvas import DesignCanvas
from ementor_kit.widgets.playground import MatchPlayground

__all__ = ["DesignCanvas", "MatchPlayground"]
