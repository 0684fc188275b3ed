"""The French catalogue against the messages of the sources."""

from __future__ import annotations

from ementor_kit.i18n.catalog import catalog_problems, extract_messages


def test_extraction_finds_the_widgets_and_plots_messages():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract_messages()}
    assert "Pairs" in ids
    assert len(ids) > 100


def test_translated_entries_are_not_fuzzy_and_keep_their_placeholders():
    # the catalogue is not complete yet (issue 13): what is translated must be right
    bad = [p for p in catalog_problems("fr") if p.startswith(("fuzzy", "placeholders"))]
    assert bad == []


def test_every_gettext_literal_is_extracted():
    # Babel does not read inside f-strings: f"<b>{t.gettext('Mentor load')}</b>" once left
    # that label untranslated in French with no test noticing; every literal a gettext call
    # inside an f-string asks for must be in the catalogue too
    import io
    import pathlib
    import re
    import tokenize

    import ementor_kit

    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract_messages()}
    call = re.compile(r"""\bn?gettext\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")
    root = pathlib.Path(ementor_kit.__file__).parent
    asked = [
        (path.relative_to(root), m.group(2))
        for path in sorted(root.rglob("*.py"))
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline)
        if tok.type == tokenize.STRING and "f" in tok.string.split(tok.string[-1])[0].lower()
        for m in call.finditer(tok.string)
    ]
    assert asked  # the scan sees the calls inside f-strings (4 today)
    assert [f"{path}: {text!r}" for path, text in asked if text not in ids] == []
