"""The French notebooks (``notebooks/fr/``) are the English ones with the prose translated.

They run the English code cells, after one first cell (tagged ``language``) that calls
``ek.set_language("fr")``. Only the prose inside the code may differ: comments, string
literals holding a space (a label, a title, a sentence) and the text of f-strings; every
other token, every identifier-like string (a column, an id, a code) and every expression
inside an f-string must be the same. nbval executes both versions (``testpaths`` holds
``notebooks``), so a code change made in one language and not the other fails here, and an
error in either fails there.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EN = sorted((ROOT / "notebooks").glob("0*.ipynb"))
FR = ROOT / "notebooks" / "fr"
CODE_LIKE = re.compile(r"[\w./-]*")  # a column, an id, a code, a file name: never translated
LANGUAGE_CELL = re.compile(r'^import ementor_kit as ek\n+ek\.set_language\("fr"\)[^\n]*\n?$')


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _is_language_cell(cell: dict) -> bool:
    return "language" in cell.get("metadata", {}).get("tags", [])


def _code_tokens(code: str) -> list[tuple[str, str]]:
    """The tokens of a code cell, with its prose replaced by a placeholder.

    Prose is what a reader reads and a translation may change: comments (but not the nbval
    markers), string literals that are not one code-like word (``CODE_LIKE``), and the
    literal text of f-strings (their expressions are kept, dumped from the AST).
    """
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            out.append((tokenize.tok_name[tok.type], ""))
        elif tok.type == tokenize.COMMENT:
            out.append(("COMMENT", tok.string if "NBVAL" in tok.string else ""))
        elif tok.type == tokenize.STRING:
            node = ast.parse(tok.string, mode="eval").body
            if isinstance(node, ast.JoinedStr):
                exprs = [ast.dump(v) for v in node.values if isinstance(v, ast.FormattedValue)]
                out.append(("FSTRING", repr(exprs)))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                prose = not CODE_LIKE.fullmatch(node.value)
                out.append(("STRING", "<prose>" if prose else repr(node.value)))
            else:
                out.append(("STRING", tok.string))
        else:
            out.append((tokenize.tok_name[tok.type], tok.string))
    return out


def test_code_tokens_keep_code_and_free_prose():
    en = 'x = df["mentee_id"]  # the ids\nprint(f"{len(x)} pairs", "hidden:", x[0])\n'
    fr = 'x = df["mentee_id"]  # les identifiants\nprint(f"{len(x)} binômes", "masqués :", x[0])\n'
    assert _code_tokens(en) == _code_tokens(fr)
    for drift in (
        en.replace('"mentee_id"', '"mentor_id"'),  # another column
        en.replace("len(x)", "len(df)"),  # another expression in the f-string
        en.replace("x[0]", "x[1]"),
        en.replace("  # the ids", "  # NBVAL_CHECK_OUTPUT"),
    ):
        assert _code_tokens(drift) != _code_tokens(en), drift


def test_every_english_notebook_is_checked():
    assert [p.name for p in EN][:1] == ["00_start_here.ipynb"] and len(EN) == 6


@pytest.mark.parametrize("name", [p.name for p in EN])
def test_french_notebook_runs_the_english_code(name):
    fr_path = FR / name
    assert fr_path.exists(), f"notebooks/fr/{name} is missing: translate notebooks/{name}"
    fr_code = [c for c in _cells(fr_path) if c["cell_type"] == "code"]
    en_code = [_source(c) for c in _cells(ROOT / "notebooks" / name) if c["cell_type"] == "code"]
    language = [c for c in fr_code if _is_language_cell(c)]
    assert len(language) == 1 and fr_code[0] is language[0], "one language cell, the first"
    assert LANGUAGE_CELL.match(_source(language[0])), _source(language[0])
    assert len(fr_code) - 1 == len(en_code), "as many code cells as the English notebook"
    for k, (fr_cell, en_source) in enumerate(zip(fr_code[1:], en_code, strict=True), start=1):
        assert _code_tokens(_source(fr_cell)) == _code_tokens(en_source), (
            f"code cell {k}: only comments and prose strings may differ"
        )


@pytest.mark.parametrize("name", [p.name for p in EN])
def test_french_notebook_is_translated_and_executed(name):
    fr_path = FR / name
    if not fr_path.exists():
        pytest.fail(f"notebooks/fr/{name} is missing")
    en_prose = {
        _source(c).strip()
        for c in _cells(ROOT / "notebooks" / name)
        if c["cell_type"] == "markdown" and len(_source(c).strip()) > 40
    }
    cells = _cells(fr_path)
    untranslated = [
        _source(c)[:60]
        for c in cells
        if c["cell_type"] == "markdown" and _source(c).strip() in en_prose
    ]
    assert untranslated == []
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "committed executed (nbconvert --execute)"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
