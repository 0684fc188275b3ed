"""Where the package's error messages and fixes are written: a static scan of its sources.

A *text argument* is an argument of an error constructor that the reader sees as words: the
``message`` and ``fix`` of :class:`~ementor_kit.errors.Problem` and of
:class:`~ementor_kit.errors.InvalidArgumentError` (and its subclasses), the message of
:class:`~ementor_kit.errors.SolverTimeLimitError` or of a plain ``EmentorKitError``, the
constraint and detail of :class:`~ementor_kit.errors.InfeasibleMatchingError`. Functions that
pass one of their parameters on to such an argument (``def _problem(message, fix): return
Problem(...)``, ``check_real(..., what=...)``) are *wrappers*: their callers' arguments are text
arguments too. A text argument that is a local variable or a call of a function of the package
is followed to the variable's assignments and the function's ``return`` values.

Every string literal or f-string found there that holds words must be inside a catalogue mark
(``N_``, ``_mark``, ``gettext``, ``ngettext``), so that its English text is a message id of the
catalogue (checked for a French translation by :func:`ementor_kit.i18n.catalog.catalog_problems`)
and :func:`ementor_kit.i18n.text.translate_text` finds it when the error is shown in French.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from ementor_kit.i18n.catalog import po_path
from ementor_kit.i18n.text import untranslated

PACKAGE = Path(__file__).resolve().parents[2] / "ementor_kit"

# constructor -> text arguments as (position, keyword); position counts the call's arguments
CONSTRUCTORS: dict[str, tuple[tuple[int | None, str | None], ...]] = {
    "Problem": ((3, "message"), (4, "fix")),
    "InvalidArgumentError": ((2, "fix"), (3, "message")),
    "ArgumentTypeError": ((2, "fix"), (3, "message")),
    "UnknownNameError": ((2, "fix"), (3, "message")),
    "InfeasibleMatchingError": ((0, "constraint"), (2, "detail")),
    "SolverTimeLimitError": ((0, None),),
    "EmentorKitError": ((0, None),),
}
MARKS = frozenset({"N_", "_mark", "gettext", "ngettext", "Nn_"})
# parameters that reach a message only as a value inside it (a name, a number), not as words
NOT_TEXT = frozenset(
    {
        "argument",
        "value",
        "file",
        "path",
        "column",
        "col",
        "name",
        "names",
        "rows",
        "table",
        "role",
        "key",
        "field",
        "label",
        "source",
        "allowed",
        "found",
        "expected",
        "instrument",
        "subscale",
        "wave",
        "n",
        "k",
        "minimum",
        "maximum",
        "example",
        "headers",
        "person",
        "people",
        "ids",
        "id_column",
        "self",
        "cls",
        "encoding",
        "sheet",
        "dayfirst",
        "solver",
        "start",
        "width",
        "head_row",
        "i",
        "number",
        "line",
        "as_of",
        "mentee_id",
        "person_id",
        "group",
        "groups",
        "role_col",
        "effect_size",
        "power",
        "alpha",
        "distinct",
        "length",
        "total_label",
        "language",
        "id",
        "exc",
        "meetings",
    }
)


@dataclass(frozen=True)
class Text:
    """A string literal (or f-string) that reaches an error message unmarked."""

    file: str
    line: int
    source: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.source}"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_mark(node: ast.AST) -> bool:
    """``N_("...")`` or ``N_("...").format(...)`` (the mark's own string is its argument)."""
    return isinstance(node, ast.Call) and _name(node.func) in MARKS


def has_words(text: str) -> bool:
    """Whether a literal holds words a reader would need translated (not ``", "`` or ``s``)."""
    rest = re.sub(r"\{[^{}]*\}|\S*[\d_./\\-]\S*|\b[A-Z]{2,}\b", " ", text)
    return bool(re.search(r"[A-Za-z]{3,}", rest))


def _literal_text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def unmarked(node: ast.AST) -> Iterator[ast.expr]:
    """The outermost string literals and f-strings with words under ``node`` not inside a mark.

    Inside a mark, only the mark's first argument is its message; the values given to
    ``.format`` are searched again (a value may be a phrase of its own).
    """
    if _is_mark(node):
        assert isinstance(node, ast.Call)
        for a in node.args[1:]:
            yield from unmarked(a)
        for kw in node.keywords:
            yield from unmarked(kw.value)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format" and _is_mark(node.func.value):
            yield from unmarked(node.func.value)
            for a in node.args:
                yield from unmarked(a)
            for kw in node.keywords:
                yield from unmarked(kw.value)
            return
        if node.func.attr == "join":  # "; ".join(...): the separator is no message
            for a in node.args:
                yield from unmarked(a)
            return
    if isinstance(node, ast.Constant | ast.JoinedStr):
        if isinstance(node, ast.JoinedStr) or isinstance(node.value, str):
            if has_words(_literal_text(node)):
                yield node
                return
    if isinstance(node, ast.JoinedStr):
        return
    if isinstance(node, ast.Dict):  # {key: text}: the texts, not the keys
        for v in node.values:
            yield from unmarked(v)
        return
    if isinstance(node, ast.Subscript):  # texts[i]: the texts, not the index
        yield from unmarked(node.value)
        return
    if isinstance(node, ast.Compare):  # a test inside a conditional message
        return
    if isinstance(node, ast.Call):  # a call's arguments are not the message (its result is
        return  # followed to the function's returns when it is the package's)
    for child in ast.iter_child_nodes(node):
        yield from unmarked(child)


@dataclass
class _Module:
    path: Path
    rel: str
    tree: ast.Module
    source: str
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]
    imports: dict[str, str]  # local name -> defining module's name as imported


def _modules() -> dict[str, _Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        imports = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.setdefault(node.name, []).append(node)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ementor_kit"):
                for alias in node.names:
                    imports[alias.asname or alias.name] = alias.name
        rel = path.relative_to(PACKAGE.parent).as_posix()
        out[rel] = _Module(path, rel, tree, source, functions, imports)
    return out


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return node
    return None


Spec = tuple[tuple[int | None, str | None], ...]


def _text_args(call: ast.Call, spec: Spec) -> list[ast.expr]:
    out = []
    for pos, kw in spec:
        if pos is not None and pos < len(call.args) and not isinstance(call.args[pos], ast.Starred):
            out.append(call.args[pos])
        out += [k.value for k in call.keywords if kw is not None and k.arg == kw]
    return out


def _assigned(func: ast.AST | None, name: str) -> list[ast.expr]:
    """Every value assigned to the local ``name`` in ``func`` (``=``, ``+=``, walrus)."""
    if func is None:
        return []
    out: list[ast.expr] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                out.append(node.value)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
            if isinstance(node.target, ast.Name) and node.target.id == name and node.value:
                out.append(node.value)
    return out


def _assigned_at_top(stmt: ast.stmt, name: str) -> list[ast.expr]:
    """The value ``stmt`` (a statement of a module's body) gives the constant ``name``."""
    if isinstance(stmt, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in stmt.targets
    ):
        return [stmt.value]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        if stmt.target.id == name and stmt.value is not None:
            return [stmt.value]
    return []


def _returns(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    out = []
    parents = _parents(func)
    for node in ast.walk(func):
        if isinstance(node, ast.Return) and node.value is not None:
            if _enclosing(node, parents) in (func, None):
                out.append(node.value)
    return out


def text_parts(expr: ast.AST) -> Iterator[ast.AST]:
    """``expr`` and the parts of it that end up as text (not a test, an index, a length)."""
    yield expr
    if isinstance(expr, ast.IfExp):
        yield from text_parts(expr.body)
        yield from text_parts(expr.orelse)
    elif isinstance(expr, ast.BoolOp):
        for v in expr.values:
            yield from text_parts(v)
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        yield from text_parts(expr.left)
        yield from text_parts(expr.right)
    elif isinstance(expr, ast.Subscript):  # messages[key]: the messages
        yield from text_parts(expr.value)
    elif isinstance(expr, ast.Dict):
        for v in expr.values:
            yield from text_parts(v)
    elif isinstance(expr, ast.JoinedStr):
        for v in expr.values:
            if isinstance(v, ast.FormattedValue):
                yield from text_parts(v.value)
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr == "format":
            for a in expr.args:
                yield from text_parts(a)
            for kw in expr.keywords:
                yield from text_parts(kw.value)


class Scan:
    """The text arguments of every error raised in the package, and their unmarked strings."""

    def __init__(self) -> None:
        self.modules = _modules()
        self.parents = {rel: _parents(m.tree) for rel, m in self.modules.items()}
        # wrappers: (module, function name) -> spec of its text parameters
        self.wrappers: dict[tuple[str, str], Spec] = {}
        self._find_wrappers()

    def _spec(self, module: _Module, call: ast.Call) -> Spec | None:
        func = (
            call.func.body if isinstance(call.func, ast.IfExp) else call.func
        )  # (A if x else B)(...)
        name = _name(func)
        if name is None:
            return None
        if name in CONSTRUCTORS:
            return CONSTRUCTORS[name]
        if (module.rel, name) in self.wrappers:
            return self.wrappers[module.rel, name]
        if name in module.imports:
            for (rel, fname), spec in self.wrappers.items():
                if fname == module.imports[name] and rel != module.rel:
                    return spec
        return None

    def calls(self) -> Iterator[tuple[_Module, ast.Call, Spec]]:
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call):
                    spec = self._spec(module, node)
                    if spec:
                        yield module, node, spec

    def _names_in(self, expr: ast.AST, func: ast.AST | None, depth: int = 0) -> set[str]:
        """Names whose value is (part of) the text: ``msg``, ``f"... {what}"``, ``a + b``."""
        names = set()
        for node in text_parts(expr):
            if isinstance(node, ast.Name):
                names.add(node.id)
                if depth < 3:
                    for value in _assigned(func, node.id):
                        names |= self._names_in(value, func, depth + 1)
        return names

    def _find_wrappers(self) -> None:
        changed = True
        while changed:
            changed = False
            for module, call, spec in list(self.calls()):
                func = _enclosing(call, self.parents[module.rel])
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                params = [a.arg for a in func.args.posonlyargs + func.args.args]
                shift = 1 if params[:1] in (["self"], ["cls"]) else 0
                kwonly = [a.arg for a in func.args.kwonlyargs]
                used: set[str] = set()
                for arg in _text_args(call, spec):
                    used |= self._names_in(arg, func)
                new = []
                for p in used - NOT_TEXT:
                    if p in params[shift:]:
                        new.append((params.index(p) - shift, p))
                    elif p in kwonly:
                        new.append((None, p))
                if not new:
                    continue
                key = (module.rel, func.name)
                merged = tuple(sorted(set(self.wrappers.get(key, ())) | set(new), key=str))
                if merged != self.wrappers.get(key):
                    self.wrappers[key] = merged
                    changed = True

    def _function(self, module: _Module, name: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        if name in module.functions:
            return module.functions[name]
        if name in module.imports:
            target = module.imports[name]
            return [f for m in self.modules.values() for f in m.functions.get(target, [])]
        return []

    def _follow(
        self, module: _Module, expr: ast.expr, func: ast.AST | None, seen: set[int]
    ) -> Iterator[tuple[_Module, ast.expr]]:
        """``expr`` and what it is made of: local assignments, the package's functions' returns."""
        if id(expr) in seen:
            return
        seen.add(id(expr))
        yield module, expr
        for node in text_parts(expr):
            if isinstance(node, ast.Name):
                values = _assigned(func, node.id) or [  # else a constant of the module
                    v for stmt in module.tree.body for v in _assigned_at_top(stmt, node.id)
                ]
                for value in values:
                    yield from self._follow(module, value, func, seen)
            elif isinstance(node, ast.Call):
                name = _name(node.func)
                if name is None or name in CONSTRUCTORS or name in MARKS:
                    continue
                for f in self._function(module, name):
                    owner = next(
                        m for m in self.modules.values() if f in m.functions.get(f.name, [])
                    )
                    for value in _returns(f):
                        yield from self._follow(owner, value, f, seen)

    def texts(self) -> list[Text]:
        """Every unmarked string with words that reaches an error message, once each."""
        found: dict[tuple[str, int, int], Text] = {}
        seen: set[int] = set()
        for module, call, spec in self.calls():
            func = _enclosing(call, self.parents[module.rel])
            for arg in _text_args(call, spec):
                for owner, expr in self._follow(module, arg, func, seen):
                    for node in unmarked(expr):
                        key = (owner.rel, node.lineno, node.col_offset)
                        segment = ast.get_source_segment(owner.source, node) or ""
                        found[key] = Text(owner.rel, node.lineno, " ".join(segment.split()))
        return [found[k] for k in sorted(found)]

    def nodes(self) -> dict[str, list[ast.expr]]:
        """The unmarked nodes of :meth:`texts` per file (for the rewriting script)."""
        out: dict[str, dict[tuple[int, int], ast.expr]] = {}
        seen: set[int] = set()
        for module, call, spec in self.calls():
            func = _enclosing(call, self.parents[module.rel])
            for arg in _text_args(call, spec):
                for owner, expr in self._follow(module, arg, func, seen):
                    for node in unmarked(expr):
                        out.setdefault(owner.rel, {})[node.lineno, node.col_offset] = node
        return {rel: list(d.values()) for rel, d in out.items()}

    def sites(self) -> int:
        """Number of constructor and wrapper calls whose text arguments are scanned."""
        return sum(1 for _ in self.calls())


@functools.cache
def _catalogue() -> Any:
    with po_path("fr").open("rb") as fh:
        return read_po(fh, locale="fr")


@functools.cache
def _english_ids() -> tuple[str, ...]:
    """Catalogue messages of two words or more without placeholders that French writes otherwise."""
    out = []
    for m in _catalogue():
        if isinstance(m.id, str) and m.id and m.string and m.string != m.id and "{" not in m.id:
            if len(m.id.split()) >= 2:
                out.append(m.id)
    return tuple(out)


def english_left(error: Any) -> list[str]:
    """English still in the French rendering of ``error``: texts or phrases of the catalogue."""
    french = error.in_language("fr")
    left = [i for i in _english_ids() if i in french]
    problems = getattr(error, "problems", None) or [getattr(error, "problem", None)]
    for p in problems:
        if p is not None:
            left += untranslated(p.message, data=True) + untranslated(p.fix, data=True)
    if not problems or problems == [None]:
        left += untranslated(str(error), data=True)
    return left
