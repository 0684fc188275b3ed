"""Labels as coordinators write them: folding, codes, languages, time zones, yes/no answers.

Shared by :mod:`~ementor_kit.data.spec`, :mod:`~ementor_kit.data.propose` and
:mod:`~ementor_kit.data.people` (private to the ``data`` subpackage).
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from functools import lru_cache

from ementor_kit.i18n.language import N_

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


_INVISIBLE_NAMES = {"Cc": "a control character", "Cf": "an invisible (format) character"}


def id_flaw(value: str) -> str | None:
    """Why ``value`` (already stripped) cannot be an id, or ``None`` when it can.

    The rule: printable text. Control characters (``U+0000-U+001F``, ``U+007F-U+009F``),
    invisible format characters (zero-width spaces and joiners, bidirectional marks and
    overrides, a byte-order mark, a soft hyphen), line separators and any white space other
    than the plain space (a no-break space looks like a space and is not one) are refused: two
    ids that print alike must be the same id.

    >>> id_flaw("stu-0042"), id_flaw("Anaïs L. 3")
    (None, None)
    >>> id_flaw("E0\u200b01"), id_flaw("M\u00a0001"), id_flaw("E\x01")
    ('holds an invisible (format) character (U+200B)', 'holds a white space other than a plain space (U+00A0)', 'holds a control character (U+0001)')
    """
    if value.isprintable():
        return None
    ch = next(c for c in value if not c.isprintable() and c != " ")
    kind = _INVISIBLE_NAMES.get(unicodedata.category(ch))
    if kind is None:
        kind = (
            N_("a white space other than a plain space")
            if ch.isspace()
            else N_("a non-printable character")
        )
    return N_("holds {kind} (U+{ord:04X})").format(kind=kind, ord=ord(ch))


def id_text(value: str) -> str:
    """An id as compared everywhere: Unicode NFC (accents composed, as Windows and the web
    write them; macOS writes them decomposed), so one id written both ways is one id.

    >>> id_text("Zoe\u0301-1") == "Zoé-1"
    True
    """
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation and spacing collapsed to single spaces.

    >>> fold("  Nombre de mentoré·es ")
    'nombre de mentore es'
    >>> fold("Adresse e-mail")
    'adresse e mail'
    """
    text = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def slug(text: str) -> str:
    """A code made from a label: folded words joined by ``_`` (``"Arts et culture"`` ->
    ``arts_et_culture``).

    >>> slug("Visio / téléphone")
    'visio_telephone'
    """
    return fold(text).replace(" ", "_")


def stem(token: str) -> str:
    """A folded word without its plural ``s`` (``langues`` -> ``langue``)."""
    return token[:-1] if len(token) > 3 and token.endswith("s") else token


def split_items(cell: str, separator: str) -> list[str]:
    """Items of a multi-select answer, split on ``separator`` outside parentheses, stripped.

    Google Forms joins the answers with ``", "`` even when an answer itself holds a comma in
    parentheses (``"Écrit (messagerie, e-mail)"``); those stay whole.

    >>> split_items("Visio, Écrit (messagerie, e-mail), ", ", ")
    ['Visio', 'Écrit (messagerie, e-mail)']
    >>> split_items("Français;Anglais;", ";")
    ['Français', 'Anglais']
    """
    sep = separator.strip() or separator
    if "(" not in cell and "[" not in cell:
        return [s.strip() for s in cell.split(sep) if s.strip()]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(cell):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and cell.startswith(sep, i):
            items.append(cell[start:i])
            start = i + len(sep)
    items.append(cell[start:])
    return [s.strip() for s in items if s.strip()]


# --------------------------------------------------------------------------- yes / no

TRUE_LABELS = frozenset({"oui", "yes", "vrai", "true", "o", "y"})
FALSE_LABELS = frozenset({"non", "no", "faux", "false", "n"})


def boolean_label(text: str) -> bool | None:
    """``True``/``False`` for the usual French and English yes/no labels, else ``None``.

    >>> boolean_label("Oui"), boolean_label("FALSE"), boolean_label("Peut-être")
    (True, False, None)
    """
    f = fold(text)
    return True if f in TRUE_LABELS else False if f in FALSE_LABELS else None


# --------------------------------------------------------------------------- languages

ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la
    lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj
    om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv
    sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh
    zu""".split()
)
# ISO 639-3 (and 639-2 collective) codes of languages without a 639-1 code that French
# programmes meet: French-based creoles, Berber and Arabic varieties, West African languages,
# sign languages.
ISO_639_3 = frozenset(
    """gcf rcf gcr mfe crs acf kab ber zgh shi rif tzm ary arq aeb apc arz snk dyu swb
    fsl ase bfi yue cmn wuu gsw rom pcm srn cpf""".split()
)
# cpf is the ISO 639-2/639-5 collective code "Creoles and pidgins, French-based": what an
# intake form means by "Créole" without a place (the bundled sample uses it).
# three-letter codes that have a two-letter one: always written with the two-letter code
_THREE_TO_TWO = {
    "fra": "fr", "fre": "fr", "eng": "en", "spa": "es", "ara": "ar", "por": "pt", "deu": "de",
    "ger": "de", "ita": "it", "wol": "wo", "zho": "zh", "chi": "zh", "rus": "ru", "tur": "tr",
    "ron": "ro", "rum": "ro", "pol": "pl", "nld": "nl", "dut": "nl", "vie": "vi", "jpn": "ja",
    "kor": "ko", "hin": "hi", "ben": "bn", "urd": "ur", "fas": "fa", "per": "fa", "heb": "he",
    "ell": "el", "gre": "el", "hat": "ht", "bre": "br", "oci": "oc", "cos": "co", "eus": "eu",
    "baq": "eu", "cat": "ca", "tam": "ta", "tah": "ty", "lin": "ln", "bam": "bm", "ful": "ff",
    "swa": "sw", "mlg": "mg", "ukr": "uk",
}  # fmt: skip
_LANGUAGE_NAMES = {
    "fr": "francais french",
    "en": "anglais english",
    "es": "espagnol spanish castillan castilian",
    "ar": "arabe arabic",
    "pt": "portugais portuguese",
    "de": "allemand german",
    "it": "italien italian",
    "wo": "wolof",
    "zh": "chinois chinese mandarin",
    "ru": "russe russian",
    "tr": "turc turkish",
    "ro": "roumain romanian",
    "pl": "polonais polish",
    "nl": "neerlandais dutch flamand flemish",
    "vi": "vietnamien vietnamese",
    "ja": "japonais japanese",
    "ko": "coreen korean",
    "hi": "hindi",
    "bn": "bengali bangla",
    "ur": "ourdou urdu",
    "fa": "persan farsi persian",
    "he": "hebreu hebrew",
    "el": "grec greek",
    "sv": "suedois swedish",
    "no": "norvegien norwegian",
    "da": "danois danish",
    "fi": "finnois finnish",
    "uk": "ukrainien ukrainian",
    "sw": "swahili kiswahili",
    "ln": "lingala",
    "bm": "bambara",
    "ff": "peul fula fulani pulaar",
    "mg": "malgache malagasy",
    "br": "breton",
    "oc": "occitan",
    "co": "corse corsican",
    "eu": "basque",
    "ca": "catalan",
    "ta": "tamoul tamil",
    "ty": "tahitien tahitian",
    "hy": "armenien armenian",
    "sq": "albanais albanian",
    "sr": "serbe serbian",
    "hr": "croate croatian",
    "bg": "bulgare bulgarian",
    "cs": "tcheque czech",
    "hu": "hongrois hungarian",
    "ku": "kurde kurdish",
    "am": "amharique amharic",
    "so": "somali",
    "ha": "haoussa hausa",
    "yo": "yoruba",
    "tl": "tagalog filipino",
    "id": "indonesien indonesian",
    "th": "thai",
    "km": "khmer cambodgien",
    "pa": "pendjabi punjabi",
    "ps": "pachto pashto",
    "ht": "creole haitien haitien haitian haitian creole",
    "gcf": "creole martiniquais creole guadeloupeen creole antillais antillean creole",
    "rcf": "creole reunionnais reunion creole reunionese creole",
    "gcr": "creole guyanais guianese creole french guianese creole",
    "mfe": "creole mauricien mauritian creole morisien",
    "kab": "kabyle",
    "ber": "berbere berber amazigh tamazight",
    "snk": "soninke",
    "swb": "shimaore mahorais",
    "fsl": "langue des signes francaise lsf french sign language",
    "gsw": "alsacien alsatian",
}
_MULTI_WORD_NAMES = (
    "creole haitien",
    "haitian creole",
    "creole martiniquais",
    "creole guadeloupeen",
    "creole antillais",
    "antillean creole",
    "creole reunionnais",
    "reunion creole",
    "reunionese creole",
    "creole guyanais",
    "guianese creole",
    "french guianese creole",
    "creole mauricien",
    "mauritian creole",
    "langue des signes francaise",
    "french sign language",
)


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, text in _LANGUAGE_NAMES.items():
        words = text
        for multi in sorted(_MULTI_WORD_NAMES, key=len, reverse=True):
            if multi in words:
                names[multi] = code
                words = words.replace(multi, " ")
        for word in words.split():
            names[word] = code
    return names


AMBIGUOUS_LANGUAGES = {
    "creole": "which creole? gcf (Guadeloupe, Martinique), rcf (Réunion), gcr (Guyane), "
    "ht (Haïti), mfe (Maurice)",
    "langue des signes": "which sign language? fsl (French), ase (American), bfi (British)",
}


def language_code(text: str) -> str | None:
    """The ISO 639 code of a language written as a code or as its French or English name.

    Two-letter (ISO 639-1) codes are used where they exist (``fra`` -> ``fr``, ``hat`` ->
    ``ht``), ISO 639-3 codes otherwise (French creoles: ``gcf``, ``rcf``, ``gcr``). ``cr`` is
    Cree. A region suffix is dropped (``fr-FR`` -> ``fr``). ``None`` when not recognised.

    >>> [language_code(t) for t in ("Français", "English", "Créole réunionnais", "fr-FR", "hat")]
    ['fr', 'en', 'rcf', 'fr', 'ht']
    >>> language_code("Créole") is None
    True
    """
    raw = str(text).strip()
    m = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})?", raw)
    if m:
        code = m.group(1).lower()
        code = _THREE_TO_TWO.get(code, code)
        if code in ISO_639_1 or code in ISO_639_3:
            return code
    return _language_names().get(fold(raw))


# --------------------------------------------------------------------------- time zones

_OFFSET_RE = re.compile(r"^(?:utc|gmt|tu)?\s*([+-])\s*(\d{1,2})(?:[:h.]?(\d{2}))?$")
_PLACE_ZONES = {
    "france": "Europe/Paris",
    "france metropolitaine": "Europe/Paris",
    "metropole": "Europe/Paris",
    "heure de paris": "Europe/Paris",
    "belgique": "Europe/Brussels",
    "suisse": "Europe/Zurich",
    "luxembourg": "Europe/Luxembourg",
    "reunion": "Indian/Reunion",
    "la reunion": "Indian/Reunion",
    "guadeloupe": "America/Guadeloupe",
    "martinique": "America/Martinique",
    "guyane": "America/Cayenne",
    "mayotte": "Indian/Mayotte",
    "nouvelle caledonie": "Pacific/Noumea",
    "polynesie": "Pacific/Tahiti",
    "polynesie francaise": "Pacific/Tahiti",
    "tahiti": "Pacific/Tahiti",
    "saint pierre et miquelon": "America/Miquelon",
    "quebec": "America/Toronto",
    "montreal": "America/Toronto",
    "maroc": "Africa/Casablanca",
    "algerie": "Africa/Algiers",
    "tunisie": "Africa/Tunis",
    "senegal": "Africa/Dakar",
    "liban": "Asia/Beirut",
}


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    zones = {}
    for name in sorted(zoneinfo.available_timezones()):
        zones[name.lower()] = name
        city = fold(name.rsplit("/", 1)[-1])
        if "/" in name and not name.startswith(("Etc/", "SystemV/")):
            zones.setdefault("city:" + city, name)
    return zones


def timezone_code(text: str) -> str | None:
    """An IANA zone (``Europe/Paris``) or a fixed offset written ``UTC+01:00``, else ``None``.

    Offsets may be written ``UTC+1``, ``GMT-4``, ``+05:30``, ``UTC−4`` (Unicode minus); a
    bare ``UTC``/``GMT``/``Z`` is ``UTC``.

    >>> [timezone_code(t) for t in ("europe/paris", "UTC+1", "GMT−4", "+05:30", "Z")]
    ['Europe/Paris', 'UTC+01:00', 'UTC-04:00', 'UTC+05:30', 'UTC']
    >>> timezone_code("Heure de Paris"), timezone_code("bientôt")
    ('Europe/Paris', None)
    """
    raw = str(text).strip().replace("−", "-").replace("–", "-")
    if raw.lower() in ("utc", "gmt", "z", "tu"):
        return "UTC"
    zones = _zones()
    if raw.lower() in zones:
        return zones[raw.lower()]
    m = _OFFSET_RE.match(raw.lower())
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours <= 14 and minutes < 60:
            return f"UTC{m.group(1)}{hours:02d}:{minutes:02d}"
        return None
    f = fold(raw)
    return _PLACE_ZONES.get(f) or zones.get("city:" + f)
