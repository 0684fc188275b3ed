"""HTML escaping and figure-to-PNG, shared by the pilot report and the notebook widgets.

One implementation of each, so the report and the widgets escape text and save figures the
same way. Only the standard library and matplotlib are used (no ipywidgets): the report
imports this module.
"""

from __future__ import annotations

import html
import io

from matplotlib.figure import Figure

__all__ = ["escape", "figure_png"]


def escape(value: object) -> str:
    """``str(value)`` with ``&``, ``<``, ``>`` and both quotes escaped, for text and attributes.

    Parameters
    ----------
    value : object
        Anything; it is converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> escape('<b class="x">Tom & Jerry\\'s</b>')
    '&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt;'
    >>> escape(3.5)
    '3.5'
    """
    return html.escape(str(value), quote=True)


def figure_png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, saved without software metadata (same figure, same bytes).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : float, optional
        Resolution; default matplotlib's ``savefig.dpi`` setting (the figure's own dpi unless
        changed).

    Returns
    -------
    bytes

    Examples
    --------
    >>> fig = Figure(figsize=(1, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> png = figure_png(fig, dpi=50)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png == figure_png(fig, dpi=50), b"Software" in png
    (True, True, False)
    """
    buf = io.BytesIO()
    if dpi is None:
        fig.savefig(buf, format="png", metadata={"Software": None})
    else:
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
