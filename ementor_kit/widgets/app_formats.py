"""Matching formats in the coordinator app: one mentor per mentee, shortlists, circles.

The app's *Format* choice (step 2. Rules) wires the package's functions to the current rules:
:func:`~ementor_kit.shortlist` (``k`` mentors offered to each mentee, each mentor on at most
``ceil(exposure * capacity)`` lists) and :func:`~ementor_kit.form_circles` (circles of
``size`` mentees, led by a mentor or among peers). Nothing is computed here beyond calling
them: this module holds the controls, the results' markup and the files of a format (the
workbook sheets and the CSV, names and contacts joined back as in the pairs workbook).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from ementor_kit._html import escape
from ementor_kit._version import __version__
from ementor_kit.data.people import People
from ementor_kit.data.validation import Programme
from ementor_kit.errors import EmentorKitError, InvalidArgumentError
from ementor_kit.i18n import N_, Translator, format_number
from ementor_kit.matching import Circles, MatchRules, Shortlist, form_circles, shortlist
from ementor_kit.matching.export import (
    FIXED_DATE,
    csv_cell,
    fit_columns,
    neutralise,
    people_columns,
    save_workbook,
    write_rows,
    write_table,
)
from ementor_kit.widgets.app_data import _link

__all__ = [
    "FORMATS",
    "FORMAT_MAX_PAIRS",
    "FormatControls",
    "FormatSettings",
    "format_files",
    "run_format",
]

FORMATS = ("one_to_one", "shortlist", "circles")
FORMAT_MAX_PAIRS = 50_000
"""Largest ``mentees x mentors`` the page computes shortlists or circles for. Measured
(``benchmarks/bench_app.py --formats``, intake exports of ``benchmarks/bench_intake.py``):
210 x 90 mentees and mentors 1.2 s (shortlists) and 4 s (circles); 700 x 300, 126 s and
43 s; 2,100 x 900 shortlists over an hour. Beyond, the page says to use the Python
functions."""
_FORMAT_LABELS = {
    "one_to_one": N_("One mentor per mentee"),
    "shortlist": N_("Shortlists: mentees choose"),
    "circles": N_("Circles: small groups"),
}
_PEER_LABELS = {"similar": N_("alike"), "diverse": N_("different")}
_ROLE_OF = {"mentor": "mentors", "mentee": "mentees"}
FormatResult = Shortlist | Circles


@dataclass(frozen=True)
class FormatSettings:
    """The format chosen and its settings (what the controls show; saved in a session).

    Examples
    --------
    >>> FormatSettings.from_dict({"format": "circles", "size": [2, 4]})
    FormatSettings(format='circles', k=3, exposure=1.5, size=(2, 4), peer='similar', led=True)
    >>> FormatSettings().to_dict()["format"]
    'one_to_one'
    """

    format: str = "one_to_one"
    k: int = 3
    exposure: float = 1.5
    size: tuple[int, int] = (3, 6)
    peer: str = "similar"
    led: bool = True

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise InvalidArgumentError(
                "format", self.format, N_("use one of {formats}").format(formats=", ".join(FORMATS))
            )
        if self.peer not in _PEER_LABELS:
            raise InvalidArgumentError("peer", self.peer, N_("use similar or diverse"))

    def tag(self) -> str:
        """The settings in a file name: ``k3-x1.5``, ``3-6-similar-led``."""
        if self.format == "shortlist":
            return f"k{self.k}-x{self.exposure:g}"
        return f"{self.size[0]}-{self.size[1]}-{self.peer}" + ("-led" if self.led else "-peers")

    def to_dict(self) -> dict[str, Any]:
        """As plain YAML values."""
        out = dataclasses.asdict(self)
        out["size"] = list(self.size)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormatSettings:
        """From :meth:`to_dict` (keys left out take their defaults)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidArgumentError(
                "format",
                unknown,
                N_("use only the keys {keys}").format(keys=", ".join(sorted(known))),
            )
        values = dict(data)
        if "size" in values:
            lo, hi = values["size"]
            values["size"] = (int(lo), int(hi))
        return cls(**values)


def run_format(
    settings: FormatSettings, mentors: pd.DataFrame, mentees: pd.DataFrame, rules: MatchRules
) -> FormatResult | None:
    """The package's function of the format on these people and rules (None: one-to-one).

    Examples
    --------
    >>> from ementor_kit.datasets import example_profiles
    >>> mentors, mentees = example_profiles()
    >>> run_format(FormatSettings("shortlist", k=1), mentors, mentees, MatchRules())
    Shortlist(k=1, exposure=1.5, 2 options for 2 mentees, 0 with fewer than 1)
    """
    if settings.format == "shortlist":
        return shortlist(mentors, mentees, rules, k=settings.k, exposure=settings.exposure)
    if settings.format == "circles":
        return form_circles(
            mentors, mentees, rules, size=settings.size, peer=settings.peer, mentor=settings.led
        )
    return None


class FormatControls:
    """The *Format* controls of the Rules step; ``on_change()`` is called when one moves."""

    def __init__(
        self, t: Translator, settings: FormatSettings, on_change: Callable[[], None]
    ) -> None:
        style = {"description_width": "150px"}
        self.format = w.Dropdown(
            options=[(t.gettext(_FORMAT_LABELS[f]), f) for f in FORMATS],
            value=settings.format,
            description=t.gettext("format"),
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.format.add_class("ek-format")
        self.k = w.IntSlider(
            value=settings.k,
            min=1,
            max=6,
            description=t.gettext("mentors offered"),
            tooltip=t.gettext("How many mentors each mentee is offered to choose from."),
            continuous_update=False,
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.k.add_class("ek-format-k")
        self.exposure = w.FloatSlider(
            value=settings.exposure,
            min=1.0,
            max=4.0,
            step=0.1,
            readout_format=".1f",
            description=t.gettext("lists per place"),
            tooltip=t.gettext(
                "How many lists a mentor may be on for each place they offer: 1.5 puts a "
                "mentor with 2 places on at most 3 lists."
            ),
            continuous_update=False,
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.exposure.add_class("ek-format-exposure")
        self.size = w.IntRangeSlider(
            value=settings.size,
            min=1,
            max=12,
            description=t.gettext("mentees per circle"),
            continuous_update=False,
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.size.add_class("ek-format-size")
        self.peer = w.Dropdown(
            options=[(t.gettext(_PEER_LABELS[p]), p) for p in _PEER_LABELS],
            value=settings.peer,
            description=t.gettext("peers of a circle"),
            tooltip=t.gettext("Whether the mentees of a circle should be alike or different."),
            style=style,
            layout=w.Layout(width="420px"),
        )
        self.peer.add_class("ek-format-peer")
        self.led = w.Checkbox(
            value=settings.led, description=t.gettext("Each circle led by a mentor"), indent=False
        )
        self.led.add_class("ek-format-led")
        self.shortlist_box = w.VBox([self.k, self.exposure])
        self.circles_box = w.VBox([self.size, self.peer, self.led])
        self.widget = w.VBox([self.format, self.shortlist_box, self.circles_box])
        self._show()
        self.format.observe(lambda _c: self._show(), names="value")
        for control in (self.format, self.k, self.exposure, self.size, self.peer, self.led):
            control.observe(lambda _c: on_change(), names="value")

    def _show(self) -> None:
        f = self.format.value
        self.shortlist_box.layout.display = "" if f == "shortlist" else "none"
        self.circles_box.layout.display = "" if f == "circles" else "none"

    def settings(self) -> FormatSettings:
        """What the controls show."""
        lo, hi = self.size.value
        return FormatSettings(
            format=self.format.value,
            k=int(self.k.value),
            exposure=round(float(self.exposure.value), 6),
            size=(int(lo), int(hi)),
            peer=self.peer.value,
            led=bool(self.led.value),
        )


# ---------------------------------------------------------------------------- markup
def _num(x: float, lang: str) -> str:
    return f"{x:.1f}" if lang == "en" else format_number(x, 1, lang)


def _html_table(rows: list[list[str]], head: list[str], css: str) -> str:
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    heads = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f"<div style='max-height:360px;overflow:auto'><table class='{css}'><tr>{heads}</tr>"
        f"{cells}</table></div>"
    )


def format_markup(
    result: FormatResult, t: Translator, named: Callable[[str], str], reason: Callable[[str], str]
) -> str:
    """The results of a format as HTML: its summary, then its table (people by ``named``)."""
    lang = t.lang
    if isinstance(result, Shortlist):
        o, m = result.options, result.mentors
        n = int(o["mentee_id"].nunique())
        over = int((m["lists"] > m["exposure_cap"]).sum())
        head = [
            t.ngettext(
                "{n} mentee gets a list of mentors to choose from",
                "{n} mentees get a list of mentors to choose from",
                n,
            ).format(n=n),
            t.gettext("{places} places on the lists (up to {k} per mentee)").format(
                places=len(o), k=result.k
            ),
            t.ngettext(
                "{n} mentee has fewer than {k} options",
                "{n} mentees have fewer than {k} options",
                len(result.short),
            ).format(n=len(result.short), k=result.k),
            t.gettext("busiest mentor on {most} lists; mentors above their cap: {over}").format(
                most=int(m["lists"].max()) if len(m) else 0, over=over
            ),
        ]
        rows = [
            [named(str(r.mentee_id)), str(r.rank), named(str(r.mentor_id)), _num(r.score, lang)]
            for r in o.itertuples(index=False)
        ]
        table = _html_table(
            rows,
            [t.gettext("mentee"), t.gettext("option"), t.gettext("mentor"), t.gettext("score")],
            "ek-shortlist",
        )
        short = ""
        if len(result.short):
            fewer = t.gettext("Mentees with fewer than {k} options").format(k=result.k)
            short = f"<p><b>{escape(fewer)}</b></p>" + _html_table(
                [[named(str(r.mentee_id)), str(r.options)] for r in result.short.itertuples()],
                [t.gettext("mentee"), t.gettext("options")],
                "ek-shortlist-short",
            )
        items = "".join(f"<li>{escape(h)}</li>" for h in head)
        return f"<ul class='ek-format-summary'>{items}</ul>{table}{short}"
    c, un = result.circles, result.unplaced
    placed = int(c["size"].sum()) if len(c) else 0
    head = [
        t.ngettext(
            "{n} circle formed, {placed} mentees placed",
            "{n} circles formed, {placed} mentees placed",
            len(c),
        ).format(n=len(c), placed=placed),
        t.ngettext(
            "{n} mentee in no circle",
            "{n} mentees in no circle",
            int((un["role"] == "mentee").sum()),
        ).format(n=int((un["role"] == "mentee").sum())),
        (
            t.gettext("proven optimal")
            if result.status == "optimal"
            else t.gettext("at most {gap} below the best possible circles").format(
                gap=f"{100 * result.gap:.1f}%"
                if lang == "en"
                else format_number(100 * result.gap, 1, lang) + "\u00a0%"
            )
        ),
    ]
    members = result.members
    rows = []
    for g, group in members.groupby("group_id", sort=True):
        lead = group[group["role"] == "mentor"]["person_id"].tolist()
        tees = group[group["role"] == "mentee"]["person_id"].tolist()
        rows.append(
            [
                str(g),
                named(str(lead[0])) if lead else "",
                ", ".join(named(str(e)) for e in tees),
            ]
        )
    table = _html_table(
        rows, [t.gettext("circle"), t.gettext("mentor"), t.gettext("mentees")], "ek-circles"
    )
    left = un[un["role"] == "mentee"]
    alone = ""
    if len(left):
        nowhere = t.gettext("Mentees in no circle")
        alone = f"<p><b>{escape(nowhere)}</b></p>" + _html_table(
            [[named(str(r.person_id)), reason(str(r.reason))] for r in left.itertuples()],
            [t.gettext("mentee"), t.gettext("why")],
            "ek-circles-unplaced",
        )
    items = "".join(f"<li>{escape(h)}</li>" for h in head)
    return f"<ul class='ek-format-summary'>{items}</ul>{table}{alone}"


# ---------------------------------------------------------------------------- files
def _joined(programme: Programme | People, role: str, ids: pd.Series) -> pd.DataFrame:
    """Names and contacts of ``ids`` (all of ``role``), as in the pairs workbook."""
    return people_columns(programme, role, ids.astype(str).tolist())


def _shortlist_tables(result: Shortlist, programme: Programme | People) -> dict[str, pd.DataFrame]:
    o = result.options.reset_index(drop=True)
    lists = pd.concat(
        [
            o[["mentee_id"]].astype(str),
            _joined(programme, "mentees", o["mentee_id"]),
            o[["rank"]],
            o[["mentor_id"]].astype(str),
            _joined(programme, "mentors", o["mentor_id"]),
            o[["score"]].round(1),
            o[["explanation"]],
        ],
        axis=1,
    )
    short = result.short.reset_index(drop=True)
    fewer = pd.concat(
        [
            short[["mentee_id"]].astype(str),
            _joined(programme, "mentees", short["mentee_id"]),
            short.drop(columns=["mentee_id"]),
        ],
        axis=1,
    )
    m = result.mentors.reset_index(drop=True)
    mentors = pd.concat(
        [
            m[["mentor_id"]],
            _joined(programme, "mentors", m["mentor_id"]),
            m.drop(columns="mentor_id"),
        ],
        axis=1,
    )
    return {"Shortlists": lists, "Fewer options": fewer, "Mentor lists": mentors}


def _people_rows(table: pd.DataFrame, programme: Programme | People) -> pd.DataFrame:
    """``table`` (``person_id``, ``role``...) with each person's names and contacts."""
    parts = []
    for role, rows in table.groupby("role", sort=False):
        who = _joined(programme, _ROLE_OF[str(role)], rows["person_id"])
        who.columns = [c.split("_", 1)[1] if "_" in c else c for c in who.columns]
        who.index = rows.index
        parts.append(who)
    joined = pd.concat(parts).reindex(table.index) if parts else pd.DataFrame(index=table.index)
    front = table[["group_id"]] if "group_id" in table.columns else table.iloc[:, :0]
    rest = table.drop(columns=[c for c in ("group_id",) if c in table.columns])
    return pd.concat([front, rest.iloc[:, :2], joined, rest.iloc[:, 2:]], axis=1)


def _circles_tables(result: Circles, programme: Programme | People) -> dict[str, pd.DataFrame]:
    members = result.members.reset_index(drop=True)
    members["fit"] = members["fit"].round(1)
    circles = result.circles.reset_index(drop=True).round({"fit": 1, "peer": 1})
    unplaced = result.unplaced.reset_index(drop=True)
    return {
        "Circles": _people_rows(members, programme),
        "Circle scores": circles,
        "Not in a circle": _people_rows(unplaced, programme),
    }


def _facts(result: FormatResult, settings: FormatSettings, provenance: str) -> list[tuple]:
    rows: list[tuple] = [
        ("ementor-kit version", __version__),
        ("provenance of the data and rules", provenance),
        ("format", settings.format),
    ]
    if isinstance(result, Shortlist):
        rows += [
            ("options per mentee (k)", result.k),
            ("lists per place (exposure)", result.exposure),
            ("total score of the lists", round(result.total_score, 1)),
            ("mentees with a list", int(result.options["mentee_id"].nunique())),
            ("mentees with fewer than k options", len(result.short)),
        ]
    else:
        rows += [
            ("mentees per circle", f"{result.size[0]} to {result.size[1]}"),
            ("peers", result.peer),
            ("led by a mentor", "yes" if settings.led else "no"),
            ("circles", len(result.circles)),
            ("objective", round(result.objective, 1)),
            ("bound", round(result.bound, 1)),
            ("gap", round(result.gap, 4)),
            ("status", result.status),
            ("method", result.method),
        ]
    rows.append(("note", "contains personal data: share it only with the people concerned"))
    return rows


def format_files(
    result: FormatResult,
    settings: FormatSettings,
    rules: MatchRules,
    provenance: str,
    programme: Programme | People,
) -> tuple[bytes, str]:
    """The workbook (bytes) and the French-Excel CSV (text, without BOM) of a format.

    The workbook's sheets: the format's tables with names and contacts joined back
    (``Shortlists``, ``Fewer options``, ``Mentor lists``; or ``Circles``, ``Circle scores``,
    ``Not in a circle``), then ``Rules`` and ``Provenance``. The CSV is the first table.
    """
    tables = (
        _shortlist_tables(result, programme)
        if isinstance(result, Shortlist)
        else _circles_tables(result, programme)
    )
    wb = Workbook()
    first = True
    for title, table in tables.items():
        ws = wb.active if first else wb.create_sheet(title)
        ws.title, first = title, False
        write_table(ws, table)
        ws.freeze_panes = "A2"
        fit_columns(ws, cap=100)
    ws = wb.create_sheet("Rules")
    write_table(ws, pd.DataFrame({"rules (YAML)": rules.to_yaml().splitlines()}))
    for row in ws.iter_rows(min_row=2):
        row[0].font = Font(name="Courier New")
    ws = wb.create_sheet("Provenance")
    write_rows(ws, _facts(result, settings, provenance))
    fit_columns(ws, cap=100)
    props = wb.properties
    props.created = props.modified = FIXED_DATE
    props.creator = props.lastModifiedBy = f"ementor-kit {__version__}"
    buf = io.BytesIO()
    _save_to(wb, buf)
    table = next(iter(tables.values()))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([csv_cell(v, ",") for v in row])
    return buf.getvalue(), text.getvalue()


def _save_to(wb: Workbook, buf: io.BytesIO) -> None:
    """The pairs workbook's fixed-date save, into memory (through a folder removed at once)."""
    with tempfile.TemporaryDirectory(prefix="ek-download-") as tmp:
        path = Path(tmp) / "format.xlsx"
        save_workbook(wb, path)
        buf.write(path.read_bytes())


# ---------------------------------------------------------------------------- choices
def read_choices(data: bytes, name: str = "choices.csv") -> pd.DataFrame:
    """The mentees' choices from an uploaded CSV (``mentee_id``, ``mentor_id``[, ``rank``]).

    UTF-8 (with or without BOM) or Windows-1252; ``,`` or ``;`` separated; every cell read as
    text (the ranks are checked by :meth:`~ementor_kit.Shortlist.resolve`).

    Examples
    --------
    >>> read_choices(b"mentee_id;mentor_id;rank\\nE001;M002;1\\n")
      mentee_id mentor_id rank
    0      E001      M002    1
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text.strip() else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InvalidArgumentError(
            "choices",
            name,
            N_("upload a CSV with columns mentee_id, mentor_id, rank ({exc})").format(exc=exc),
        ) from None
    table.columns = [str(c).strip() for c in table.columns]
    return table


def resolution_markup(
    resolution: Any, t: Translator, named: Callable[[str], str]
) -> tuple[str, bytes]:
    """The choices turned into pairs (:meth:`~ementor_kit.Shortlist.resolve`) as HTML, and
    the pairs as French-Excel CSV bytes (UTF-8 with BOM)."""
    pairs, lost = resolution.pairs, resolution.lost_out
    head = [
        t.ngettext(
            "{n} mentee gets a mentor they chose", "{n} mentees get a mentor they chose", len(pairs)
        ).format(n=len(pairs)),
        t.ngettext(
            "{n} mentee lost out: every mentor chosen was full",
            "{n} mentees lost out: every mentor chosen was full",
            len(lost),
        ).format(n=len(lost)),
        t.gettext("{n} new options offered to them").format(n=len(resolution.reoffer.options)),
    ]
    rows = [
        [named(str(r.mentee_id)), named(str(r.mentor_id)), str(r.choice)]
        for r in pairs.itertuples(index=False)
    ]
    table = _html_table(
        rows, [t.gettext("mentee"), t.gettext("mentor"), t.gettext("choice")], "ek-resolved"
    )
    items = "".join(f"<li>{escape(h)}</li>" for h in head)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["mentee_id", "mentor_id", "score", "choice"])
    for r in pairs.itertuples(index=False):
        writer.writerow(
            [
                neutralise(str(r.mentee_id)),
                neutralise(str(r.mentor_id)),
                csv_cell(float(r.score), ","),
                r.choice,
            ]
        )
    return (
        f"<ul class='ek-resolution-summary'>{items}</ul>{table}",
        ("\ufeff" + text.getvalue()).encode("utf-8"),
    )


class ChoicesStep:
    """After shortlists: upload the mentees' choices, see them turned into pairs.

    ``set_lists(shortlist)`` shows the upload for those lists (hidden when None); an upload
    calls :meth:`resolve`, which shows the pairs and a CSV link of them.
    """

    def __init__(self, t: Translator, named: Callable[[str], str]) -> None:
        self._t, self._named = t, named
        self.lists: Shortlist | None = None
        self.resolution: Any = None
        self.upload = w.FileUpload(
            accept=".csv",
            multiple=False,
            description=t.gettext("Upload the choices"),
            tooltip=t.gettext(
                "A CSV of the mentees' choices: mentee_id, mentor_id, rank (1 = first choice)."
            ),
            layout=w.Layout(width="220px"),
        )
        self.upload.add_class("ek-choices-upload")
        self.upload.observe(self._on_upload, names="value")
        self.html = w.HTML()
        self.html.add_class("ek-choices-widget")
        intro = t.gettext(
            "When the mentees have chosen: upload their choices (mentee_id, mentor_id, rank) to "
            "turn them into pairs; a mentor with more choosers than places keeps the "
            "best-scoring ones, and those who lost out are offered new lists."
        )
        self.widget = w.VBox([w.HTML(f"<p>{escape(intro)}</p>"), self.upload, self.html])
        self.set_lists(None)

    def set_lists(self, lists: FormatResult | None) -> None:
        """The shortlists the choices are made on (anything else hides the step)."""
        self.lists = lists if isinstance(lists, Shortlist) else None
        self.resolution, self.html.value = None, ""
        self.widget.layout.display = "" if self.lists is not None else "none"

    def _on_upload(self, change: dict) -> None:
        for f in change["new"] or ():
            self.resolve(bytes(f["content"]), str(f["name"]))

    def resolve(self, data: bytes, name: str = "choices.csv") -> None:
        """Turn the uploaded choices into pairs with :meth:`~ementor_kit.Shortlist.resolve`."""
        t = self._t
        try:
            if self.lists is None:
                raise InvalidArgumentError(
                    "format",
                    None,
                    N_("choose the shortlist format first (2. Rules)"),
                    N_("no shortlists formed"),
                )
            self.resolution = self.lists.resolve(read_choices(data, name))
        except EmentorKitError as exc:
            self.resolution = None
            self.html.value = f"<div class='ek-choices-error' style='color:#a00'>{escape(exc.in_language(t.lang))}</div>"
            return
        markup, data_csv = resolution_markup(self.resolution, t, self._named)
        link = _link(
            data_csv,
            "text/csv",
            "pairs_from_choices.csv",
            t.gettext("Pairs from the choices (.csv)"),
            "ek-download-choices",
        )
        self.html.value = markup + link
