"""Questionnaire definitions: items, subscales, response range, reverse keys, citations.

An :class:`Instrument` is read from a YAML file. ementor-kit ships six of them (see
:func:`list_instruments`): the Mentoring Functions Questionnaire MFQ-9, the Working Alliance
Inventory short revised (WAI-SR), the General Self-Efficacy scale (GSE), and three of the
project's own, in French and English: the e-mentoring experience scale (EMX-8), a short pulse
between waves (PULSE-4) and a closure questionnaire (CLOSE-4). Item wording is bundled only
where its licence allows (the project's own); the others carry structure, keys and citation
only.

A YAML definition looks like this (every key is checked, errors name the file and the key)::

    id: myscale                   # prefix of the score columns (myscale_<subscale>)
    name: MYS-4
    title: My scale (4 items)
    citation: Author (2026). ...
    licence: ...
    wording: included             # or "reference" (then items carry no text)
    raters: [mentee]
    scale: {min: 1, max: 5, labels: {en: [No, ..., Yes]}}
    items:
      - {id: mys_1, text: {en: "...", fr: "..."}}
      - {id: mys_2, reverse: true}
    subscales:
      - {id: total, label: My construct, items: [mys_1, mys_2], score: mean, min_answered: 2}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ementor_kit._checks import one_of
from ementor_kit.errors import ArgumentTypeError, DataValidationError, Problem, UnknownNameError
from ementor_kit.i18n.language import N_, resolve_language

__all__ = ["Instrument", "Item", "Subscale", "list_instruments", "load_instrument"]

_DEFS = "instrument_defs"
_SCORE_METHODS = ("mean", "sum")
_WORDING = ("included", "reference")


@dataclass(frozen=True)
class Item:
    """One questionnaire item.

    ``texts`` holds ``(language, wording)`` pairs, empty when the wording is not licensed
    for redistribution.

    Parameters
    ----------
    id : str
        Item id, also its column name in survey tables (``emx_1``).
    reverse : bool
        Reverse-keyed: scored as ``scale_min + scale_max - answer``.
    texts : tuple of (str, str) pairs
        Wording per language.

    Examples
    --------
    >>> item = load_instrument("emx").items[3]
    >>> item.id, item.reverse
    ('emx_4', True)
    """

    id: str
    reverse: bool = False
    texts: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str = "en") -> str | None:
        """Wording in ``lang``, or ``None`` when it is not available.

        Parameters
        ----------
        lang : str
            Language code (``en``, ``fr``).

        Returns
        -------
        str or None
            The wording, ``None`` for an unknown language or an item whose wording is not
            bundled.

        Examples
        --------
        >>> item = load_instrument("emx").items[0]
        >>> item.text("en")
        'Live exchanges (video, phone) with my partner were useful to me.'
        >>> item.text("de") is None, load_instrument("gse").items[0].text("en") is None
        (True, True)
        """
        return dict(self.texts).get(lang)


@dataclass(frozen=True)
class Subscale:
    """A score computed from some of the items: their mean or their sum.

    A respondent who answered fewer than ``min_answered`` of the items gets no score.

    Parameters
    ----------
    id : str
        Subscale id; the score column is ``<instrument id>_<id>``.
    label : str
        Name shown in tables and figures.
    items : tuple of str
        Ids of its items.
    method : {"mean", "sum"}
        How the answered items are combined.
    min_answered : int
        Fewest answered items that still give a score.

    Examples
    --------
    >>> load_instrument("wai").subscale("goal")
    Subscale(id='goal', label='Goal agreement', items=('wai_4', 'wai_6', 'wai_8', 'wai_11'), method='mean', min_answered=3)
    """

    id: str
    label: str
    items: tuple[str, ...]
    method: str = "mean"
    min_answered: int = 1


@dataclass(frozen=True)
class Instrument:
    """A questionnaire: items, subscales, theoretical response range and provenance.

    Use :func:`load_instrument` to get one.

    Attributes
    ----------
    id : str
        Short id, also the prefix of score columns (``mfq`` gives ``mfq_career``).
    name, title, description : str
        Short name, full title, what it measures.
    items : tuple of Item
    subscales : tuple of Subscale
    scale_min, scale_max : int
        Theoretical bounds of the response scale (used for reverse keying and checks).
    response_labels : tuple of (language, labels) pairs
        Labels of the response options, lowest first.
    citation, licence : str
    wording : str
        ``"included"`` when item texts are bundled, ``"reference"`` otherwise.
    raters : tuple of str
        Who answers it (``mentee``, ``mentor``).
    url, scoring_note, source : str
        Where the items are published, scoring remarks (English), the YAML file read.
    scoring_notes : tuple of (language, note) pairs
        The scoring remarks in every language the definition gives (YAML ``scoring_note``: a
        text, taken as English, or ``{en: ..., fr: ...}``); see :meth:`scoring_note_in`.
    aliases : tuple of str
        Other names :func:`load_instrument` accepts.
    missing_codes : tuple of str
        Answer codes meaning "no answer" (YAML ``missing_codes: [-1, NSP]``), for the survey
        readers' ``missing_codes=`` (empty when the definition declares none).

    Examples
    --------
    >>> gse = load_instrument("gse")
    >>> gse.scale_min, gse.scale_max, len(gse.items), [s.id for s in gse.subscales]
    (1, 4, 10, ['total'])
    >>> gse.wording, gse.raters
    ('reference', ('mentee',))
    """

    id: str
    name: str
    title: str
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    scale_min: int
    scale_max: int
    citation: str
    licence: str
    wording: str = "reference"
    description: str = ""
    response_labels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    raters: tuple[str, ...] = ()
    url: str = ""
    scoring_note: str = ""
    scoring_notes: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    missing_codes: tuple[str, ...] = ()
    source: str = ""

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Item ids in questionnaire order."""
        return tuple(i.id for i in self.items)

    @property
    def reverse_keyed(self) -> tuple[str, ...]:
        """Ids of the reverse-keyed items."""
        return tuple(i.id for i in self.items if i.reverse)

    @property
    def n_options(self) -> int:
        """Number of response options (``scale_max - scale_min + 1``)."""
        return self.scale_max - self.scale_min + 1

    def subscale(self, id: str) -> Subscale:
        """The subscale called ``id``.

        Parameters
        ----------
        id : str
            Subscale id (see ``subscales``).

        Returns
        -------
        Subscale
            The subscale.

        Raises
        ------
        UnknownNameError
            The instrument has no such subscale (also a ``KeyError``); the fix lists its
            subscales.

        Examples
        --------
        >>> load_instrument("wai").subscale("goal").items
        ('wai_4', 'wai_6', 'wai_8', 'wai_11')
        """
        for s in self.subscales:
            if s.id == id:
                return s
        raise UnknownNameError(
            "id",
            id,
            one_of([s.id for s in self.subscales], id),
            message=N_("{name} has no subscale {id!r}").format(name=self.name, id=id),
        )

    def labels(self, lang: str = "en") -> tuple[str, ...]:
        """Labels of the response options in ``lang`` (empty when not defined).

        Parameters
        ----------
        lang : str
            Language code (``en``, ``fr``).

        Returns
        -------
        tuple of str
            One label per response option, lowest first; empty for a language the
            instrument does not define.

        Examples
        --------
        >>> load_instrument("gse").labels("en")
        ('Not at all true', 'Hardly true', 'Moderately true', 'Exactly true')
        >>> load_instrument("gse").labels("de")
        ()
        """
        return dict(self.response_labels).get(lang, ())

    def scoring_note_in(self, lang: str | None = None) -> str:
        """The scoring remarks in ``lang``, or in English when the definition has none there.

        Parameters
        ----------
        lang : str, optional
            ``"en"`` or ``"fr"``; default the process language
            (:func:`~ementor_kit.i18n.set_language`).

        Returns
        -------
        str
            The note, empty when the instrument has none.

        Examples
        --------
        >>> gse = load_instrument("gse")
        >>> gse.scoring_note_in("en") == gse.scoring_note
        True
        >>> print(gse.scoring_note_in("fr")[:58])
        Le score des auteurs est la somme des dix items (10-40) ou
        """
        return dict(self.scoring_notes).get(resolve_language(lang), self.scoring_note)

    def column(self, subscale: str) -> str:
        """Name of the score column :func:`ementor_kit.survey.scoring.score` gives ``subscale``.

        Parameters
        ----------
        subscale : str
            Subscale id.

        Returns
        -------
        str
            ``<instrument id>_<subscale id>``.

        Raises
        ------
        UnknownNameError
            The instrument has no such subscale.

        Examples
        --------
        >>> load_instrument("emx").column("trust")
        'emx_trust'
        """
        return f"{self.id}_{self.subscale(subscale).id}"


def _builtin_files() -> dict[str, Any]:
    root = resources.files("ementor_kit.survey").joinpath(_DEFS)
    return {p.name: p for p in root.iterdir() if p.name.endswith((".yaml", ".yml"))}


@functools.cache
def _builtins() -> tuple[Instrument, ...]:
    out = []
    for name, path in sorted(_builtin_files().items()):
        text = path.read_text(encoding="utf-8")
        out.append(_from_mapping(yaml.safe_load(text), f"{_DEFS}/{name}"))
    return tuple(sorted(out, key=lambda i: i.id))


def _problem(source: str, key: str | None, message: str, fix: str) -> Problem:
    return Problem(source, key, (), message, fix)


def _text_field(
    data: Mapping[str, Any], key: str, fix: str, source: str, problems: list[Problem]
) -> Any:
    """``data[key]`` if it is a non-empty text, else ``None`` and a problem appended."""
    value = data.get(key)
    if value is None or not isinstance(value, str) or value == "":
        problems.append(_problem(source, key, N_("missing or not a str"), fix))
        return None
    return value


def _scale(
    scale: Any, source: str, problems: list[Problem]
) -> tuple[int | None, int | None, list[tuple[str, tuple[str, ...]]]]:
    """Minimum, maximum (``None`` when unusable) and response labels of ``scale:``."""
    smin = smax = None
    labels: list[tuple[str, tuple[str, ...]]] = []
    if not isinstance(scale, Mapping):
        problems.append(
            _problem(source, "scale", N_("missing"), N_("add 'scale: {min: 1, max: 5}'"))
        )
        return smin, smax, labels
    smin, smax = scale.get("min"), scale.get("max")
    if not (isinstance(smin, int) and isinstance(smax, int)) or isinstance(smin, bool):
        problems.append(
            _problem(source, "scale", N_("min and max must be whole numbers"), N_("e.g. min: 1"))
        )
        smin = smax = None
    elif smin >= smax:
        problems.append(
            _problem(
                source,
                "scale",
                N_("min {smin} is not below max {smax}").format(smin=smin, smax=smax),
                N_("swap them"),
            )
        )
        smin = smax = None
    for lang, labs in sorted((scale.get("labels") or {}).items()):
        labs = tuple(str(x) for x in labs or ())
        if smin is not None and smax is not None and len(labs) != smax - smin + 1:
            problems.append(
                _problem(
                    source,
                    f"scale.labels.{lang}",
                    N_("{n} labels for {n2} response options").format(
                        n=len(labs), n2=smax - smin + 1
                    ),
                    N_("give one label per option, lowest first"),
                )
            )
        labels.append((str(lang), labs))
    return smin, smax, labels


def _items(raw_items: Any, wording: Any, source: str, problems: list[Problem]) -> list[Item]:
    """The ``items:`` list; every entry with an id gives an item, problems or not."""
    items: list[Item] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(_problem(source, "items", N_("missing or empty"), N_("list the items")))
        raw_items = []
    seen: set[str] = set()
    for n, it in enumerate(raw_items, start=1):
        key = f"items[{n}]"
        if not isinstance(it, Mapping) or not isinstance(it.get("id"), str):
            problems.append(
                _problem(source, key, N_("item without an id"), N_("write '- {id: x_1}'"))
            )
            continue
        if it["id"] in seen:
            problems.append(
                _problem(
                    source,
                    key,
                    N_("item id {id!r} repeats").format(id=it["id"]),
                    N_("give each item its own id"),
                )
            )
        seen.add(it["id"])
        texts = it.get("text") or {}
        if not isinstance(texts, Mapping):
            problems.append(
                _problem(
                    source, key, N_("text must map languages to wording"), N_("text: {en: ...}")
                )
            )
            texts = {}
        if texts and wording != "included":
            problems.append(
                _problem(
                    source,
                    key,
                    N_("item wording given although 'wording' is not 'included'"),
                    N_("remove the text, or set 'wording: included' if its licence allows it"),
                )
            )
        reverse = it.get("reverse", False)
        if not isinstance(reverse, bool):
            problems.append(
                _problem(source, key, N_("reverse must be true or false"), N_("fix it"))
            )
            reverse = False
        items.append(
            Item(it["id"], reverse, tuple(sorted((str(k), str(v)) for k, v in texts.items())))
        )
    return items


def _subscale(
    sub: Mapping[str, Any], key: str, item_ids: set[str], source: str, problems: list[Problem]
) -> Subscale | None:
    """One entry of ``subscales:`` (``None`` without items); its id is checked by the caller."""
    sitems = sub.get("items")
    if not isinstance(sitems, list) or not sitems:
        problems.append(_problem(source, key, N_("no items"), N_("list the subscale's item ids")))
        return None
    sitems = [str(x) for x in sitems]
    unknown = [x for x in sitems if x not in item_ids]
    if unknown:
        problems.append(
            _problem(
                source,
                key,
                N_("unknown item(s) {unknown}").format(unknown=", ".join(unknown)),
                N_("use listed ids"),
            )
        )
    if len(set(sitems)) != len(sitems):
        problems.append(_problem(source, key, N_("an item is listed twice"), N_("list it once")))
    method = sub.get("score", "mean")
    if method not in _SCORE_METHODS:
        problems.append(
            _problem(
                source,
                key,
                N_("unknown score method {method!r}").format(method=method),
                N_("use mean or sum"),
            )
        )
    mina = sub.get("min_answered", len(sitems))
    if not isinstance(mina, int) or isinstance(mina, bool) or not 1 <= mina <= len(sitems):
        problems.append(
            _problem(
                source,
                key,
                N_("min_answered {mina!r} is not between 1 and {n}").format(
                    mina=mina, n=len(sitems)
                ),
                N_("give the least number of answered items that still yields a score"),
            )
        )
        mina = len(sitems)
    return Subscale(sub["id"], str(sub.get("label", sub["id"])), tuple(sitems), str(method), mina)


def _subscales(
    raw_subs: Any, item_ids: set[str], source: str, problems: list[Problem]
) -> list[Subscale]:
    """The ``subscales:`` list, each checked against the items' ids."""
    subscales: list[Subscale] = []
    if not isinstance(raw_subs, list) or not raw_subs:
        problems.append(
            _problem(source, "subscales", N_("missing or empty"), N_("list at least one subscale"))
        )
        raw_subs = []
    sub_ids: set[str] = set()
    for n, sub in enumerate(raw_subs, start=1):
        key = f"subscales[{n}]"
        if not isinstance(sub, Mapping) or not isinstance(sub.get("id"), str):
            problems.append(
                _problem(source, key, N_("subscale without an id"), N_("add 'id: ...'"))
            )
            continue
        if sub["id"] in sub_ids:
            problems.append(
                _problem(
                    source, key, N_("subscale {id!r} repeats").format(id=sub["id"]), N_("rename")
                )
            )
        sub_ids.add(sub["id"])
        built = _subscale(sub, key, item_ids, source, problems)
        if built is not None:
            subscales.append(built)
    return subscales


def _from_mapping(data: Any, source: str) -> Instrument:
    """Build an :class:`Instrument` from parsed YAML, listing every problem found.

    The steps (header fields, scale, items, subscales) each append what they find wrong to
    ``problems``, in the file's order; nothing is built unless the list stays empty.
    """
    if not isinstance(data, Mapping):
        raise DataValidationError(
            [
                _problem(
                    source,
                    None,
                    N_("not a YAML mapping"),
                    N_("start the file with 'id: <short id>'"),
                )
            ]
        )
    problems: list[Problem] = []
    iid = _text_field(
        data,
        "id",
        N_("give a short id such as 'mfq' (prefix of the score columns)"),
        source,
        problems,
    )
    name = _text_field(data, "name", N_("give a short name such as 'MFQ-9'"), source, problems)
    citation = _text_field(
        data, "citation", N_("cite the source of the instrument"), source, problems
    )
    licence = _text_field(
        data, "licence", N_("say under which terms the instrument may be used"), source, problems
    )
    if iid is not None and not iid.replace("_", "").isalnum():
        problems.append(
            _problem(
                source,
                "id",
                N_("id {iid!r} is not a plain identifier").format(iid=iid),
                N_("use letters and _"),
            )
        )
    wording = data.get("wording", "reference")
    if wording not in _WORDING:
        problems.append(
            _problem(
                source,
                "wording",
                N_("unknown value {wording!r}").format(wording=wording),
                N_("use included or reference"),
            )
        )
    smin, smax, labels = _scale(data.get("scale"), source, problems)
    items = _items(data.get("items"), wording, source, problems)
    subscales = _subscales(data.get("subscales"), {it.id for it in items}, source, problems)
    if problems:
        raise DataValidationError(problems)
    assert smin is not None and smax is not None  # a missing or bad scale is a problem above
    raw_note = data.get("scoring_note") or ""
    if isinstance(raw_note, Mapping):
        notes = tuple((str(k), " ".join(str(v).split())) for k, v in raw_note.items())
    else:
        notes = (("en", " ".join(str(raw_note).split())),)
    notes = tuple((k, v) for k, v in notes if v)
    return Instrument(
        id=iid,
        name=name,
        title=str(data.get("title", name)),
        items=tuple(items),
        subscales=tuple(subscales),
        scale_min=smin,
        scale_max=smax,
        citation=" ".join(citation.split()),
        licence=" ".join(licence.split()),
        wording=wording,
        description=" ".join(str(data.get("description", "")).split()),
        response_labels=tuple(labels),
        raters=tuple(str(r) for r in data.get("raters") or ()),
        url=str(data.get("url", "")),
        scoring_note=dict(notes).get("en", ""),
        scoring_notes=notes,
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        missing_codes=tuple(str(c).strip() for c in data.get("missing_codes") or ()),
        source=source,
    )


def load_instrument(name_or_path: str | Path | Mapping[str, Any] | Instrument) -> Instrument:
    """Load a built-in instrument by name, or your own from a YAML file or a mapping.

    Parameters
    ----------
    name_or_path : str, Path, mapping or Instrument
        A built-in name (``"mfq"``, ``"MFQ-9"``, ``"wai"``, ``"WAI-SR"``, ``"gse"``, ``"emx"``,
        ``"pulse"``, ``"closure"``;
        case does not matter), the path of a YAML file, a mapping with the YAML content, or an
        :class:`Instrument` (returned as is).

    Returns
    -------
    Instrument
        The instrument, validated.

    Raises
    ------
    DataValidationError
        When the definition is incomplete or inconsistent (every problem is listed, each
        naming the file and the key), or the name is neither built in nor a YAML file.
    ArgumentTypeError
        ``name_or_path`` is of another type (e.g. a number).

    Examples
    --------
    >>> mfq = load_instrument("MFQ-9")
    >>> mfq.item_ids[:3], [s.id for s in mfq.subscales]
    (('mfq_1', 'mfq_2', 'mfq_3'), ['career', 'psychosocial', 'role_modelling', 'total'])
    >>> load_instrument("emx").reverse_keyed
    ('emx_4', 'emx_6')
    >>> print(load_instrument("emx").items[3].text("fr"))
    La distance m'a empêché·e de parler franchement avec mon binôme.
    """
    if isinstance(name_or_path, Instrument):
        return name_or_path
    if isinstance(name_or_path, Mapping):
        return _from_mapping(name_or_path, "instrument definition")
    if not isinstance(name_or_path, str | Path):
        raise ArgumentTypeError(
            "instrument",
            name_or_path,
            N_(
                "pass a built-in name such as 'wai', the path of a YAML definition, a "
                "mapping or an Instrument"
            ),
        )
    key = str(name_or_path).strip().lower()
    for inst in _builtins():
        if key in {inst.id.lower(), inst.name.lower(), *(a.lower() for a in inst.aliases)}:
            return inst
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataValidationError(
                [
                    _problem(
                        str(path), None, N_("file not found"), N_("check the path of the YAML file")
                    )
                ]
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = N_(" at line {n}").format(n=mark.line + 1) if mark is not None else ""
            raise DataValidationError(
                [
                    _problem(
                        str(path),
                        None,
                        N_("not valid YAML{where}").format(where=where),
                        N_("fix the YAML syntax"),
                    )
                ]
            ) from None
        return _from_mapping(data, str(path))
    known = ", ".join(f"{i.id} ({i.name})" for i in _builtins())
    raise DataValidationError(
        [
            _problem(
                str(name_or_path),
                None,
                N_("neither a built-in instrument nor a YAML file"),
                N_("use one of {known}, or the path of a .yaml definition").format(known=known),
            )
        ]
    )


def list_instruments() -> pd.DataFrame:
    """The built-in instruments, one row each.

    Returns
    -------
    DataFrame
        Columns ``id``, ``name``, ``title``, ``n_items``, ``subscales``, ``scale``,
        ``reverse_keyed``, ``wording``, ``raters``, ``citation``.

    Examples
    --------
    >>> list_instruments()[["id", "name", "n_items", "scale", "wording"]]
            id     name  n_items scale    wording
    0  closure  CLOSE-4        4   1-5   included
    1      emx    EMX-8        8   1-5   included
    2      gse      GSE       10   1-4  reference
    3      mfq    MFQ-9        9   1-5  reference
    4    pulse  PULSE-4        4   1-5   included
    5      wai   WAI-SR       12   1-5  reference
    """
    rows = [
        {
            "id": i.id,
            "name": i.name,
            "title": i.title,
            "n_items": len(i.items),
            "subscales": ", ".join(s.id for s in i.subscales),
            "scale": f"{i.scale_min}-{i.scale_max}",
            "reverse_keyed": ", ".join(i.reverse_keyed),
            "wording": i.wording,
            "raters": ", ".join(i.raters),
            "citation": i.citation,
        }
        for i in _builtins()
    ]
    return pd.DataFrame(rows)
