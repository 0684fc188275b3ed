"""The French notebooks (``notebooks/fr/``) are the English ones with the prose translated.

They run exactly the English code cells, after one first cell (tagged ``language``) that calls
``ek.set_language("fr")``; nbval executes both versions (``testpaths`` holds ``notebooks``), so a
code change made in one language and not the other fails here, and an error in either fails there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EN = sorted((ROOT / "notebooks").glob("0*.ipynb"))
FR = ROOT / "notebooks" / "fr"
LANGUAGE_CELL = re.compile(r'^import ementor_kit as ek\n+ek\.set_language\("fr"\)[^\n]*\n?$')


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _is_language_cell(cell: dict) -> bool:
    return "language" in cell.get("metadata", {}).get("tags", [])


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
    assert [_source(c) for c in fr_code[1:]] == en_code


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
