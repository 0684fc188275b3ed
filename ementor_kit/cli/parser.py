"""The command line's parser, its help in the chosen language (``--lang``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from ementor_kit._version import __version__
from ementor_kit.cli.engagement import _add_engagement
from ementor_kit.cli.exchanges import _add_import_exchanges
from ementor_kit.cli.programme import _add_init, _add_match, _add_sample, _add_validate
from ementor_kit.cli.report import _add_report
from ementor_kit.cli.survey import _add_survey
from ementor_kit.i18n.language import N_, resolve_language, translator
from ementor_kit.i18n.text import translate_text

_ARGPARSE_WORDS = {  # argparse's own words (it ships no French catalogue)
    "positional arguments": N_("positional arguments"),
    "options": N_("options"),
    "show this help message and exit": N_("show this help message and exit"),
    "show program's version number and exit": N_("show program's version number and exit"),
}


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with the word before the usage in the chosen language."""

    lang = "en"

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None and self.lang != "en":
            prefix = translator(self.lang).gettext(N_("usage: "))
        super().add_usage(usage, actions, groups, prefix)


def _translated(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """The parser with its descriptions, help texts and group titles in ``lang``: they are
    English message ids, translated through the catalogue (English is left as it is)."""
    if lang == "en":
        return parser
    t = translator(lang)
    formatter: type[argparse.HelpFormatter] = type("_LangFormatter", (_Formatter,), {"lang": lang})
    parser.formatter_class = formatter
    parser.description = parser.description and translate_text(parser.description, lang)
    parser.epilog = parser.epilog and translate_text(parser.epilog, lang)
    for group in parser._action_groups:  # argparse keeps its groups privately
        if group.title in _ARGPARSE_WORDS:
            group.title = t.gettext(_ARGPARSE_WORDS[group.title])
    for action in parser._actions:
        if action.help in _ARGPARSE_WORDS:
            action.help = t.gettext(_ARGPARSE_WORDS[action.help])
        elif isinstance(action.help, str):
            action.help = translate_text(action.help, lang)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = choice.help and translate_text(choice.help, lang)
            for sub in dict.fromkeys(action.choices.values()):
                _translated(sub, lang)
    return parser


def _language(argv: Sequence[str]) -> str:
    """The language asked for by ``--lang`` (before parsing: the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return resolve_language(argv[i + 1])
        if arg.startswith("--lang="):
            return resolve_language(arg.split("=", 1)[1])
    return resolve_language(None)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help in ``lang``."""
    return _translated(_english_parser(), lang)


def _english_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ementor-kit",
        description=N_("Pairing, engagement and survey analysis for e-mentoring programmes."),
        epilog=N_(
            "Exit codes: 0 ok, 1 failure (e.g. invalid data), 2 bad usage. CSV outputs "
            "start with a provenance comment line: read them with pandas.read_csv(path, "
            "skiprows=1)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"ementor-kit {__version__}")
    parser.add_argument(
        "--lang",
        help=N_(
            "language of the help, the messages and the report: en or fr (default: the "
            "EMENTOR_KIT_LANG environment variable, then the locale, then English)"
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--no-progress", action="store_true", help=N_("no progress bar on stderr"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_init(sub)
    _add_validate(sub)
    _add_sample(sub, common)
    _add_match(sub, common)
    _add_engagement(sub, common)
    _add_survey(sub, common)
    _add_report(sub, common)
    _add_import_exchanges(sub, common)
    return parser
