"""What every ``dxlab`` sub-command shares: the language of its help and messages, and an argument parser
whose own words (usage, section titles, the error line) come from the text catalogue.

The language is read from the command line before the parser is built (help texts are fixed when a parser
is made): the last ``--lang vi|en`` anywhere among the arguments (as a global option ``dxlab --lang vi …`` or
a sub-command's), else ``DXLAB_LANG``, else Vietnamese.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from ._i18n import LANGS, check_lang, default_lang, tr

__all__ = [
    "argparse_message",
    "CliParser",
    "lang_from_argv",
    "lang_given",
    "add_lang",
    "set_lang",
    "current_lang",
    "say",
    "fail",
]

_STATE: dict[str, str] = {"lang": "vi"}


def set_lang(lang: str | None) -> str:
    """Fix the language of the parsers built from now on; returns it."""
    _STATE["lang"] = check_lang(lang)
    return _STATE["lang"]


def current_lang() -> str:
    """The language the command line is being built or run in."""
    return _STATE["lang"]


def lang_given(argv: Sequence[str]) -> str | None:
    """The last ``--lang`` value among ``argv`` (before a ``--``), or ``None``.

    >>> lang_given(["--lang", "en", "score", "x", "--lang=vi"]), lang_given(["rubric", "list"])
    ('vi', None)
    """
    found = None
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            found = words[i + 1]
        elif word.startswith("--lang="):
            found = word.split("=", 1)[1]
    return found.strip().lower() if found is not None else None


def lang_from_argv(argv: Sequence[str]) -> str:
    """The language of a command line: the last valid ``--lang``, else ``DXLAB_LANG``, else ``vi``."""
    given = lang_given(argv)
    return given if given in LANGS else default_lang()


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else tr("cli.usage", current_lang()))


class CliParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` speaking the command line's language (usage line, section titles, errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        lang = current_lang()
        self._positionals.title = tr("cli.positionals", lang)
        self._optionals.title = tr("cli.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=tr("cli.help", lang))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        lang = current_lang()
        self.exit(2, tr("cli.parse_error", lang, prog=self.prog, message=argparse_message(message, lang)) + "\n")


# argparse's own error texts (Python 3.11-3.13), each with the catalogue key that says it in our languages.
# argparse formats them with gettext's identity translation, so the English wording below is what it prints.
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"argument (?P<argument>.+?): (?P<message>.+)", "cli.argparse_argument"),
    (r"the following arguments are required: (?P<arguments>.+)", "cli.argparse_required"),
    (r"unrecognized arguments: (?P<arguments>.+)", "cli.argparse_unrecognized"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "cli.argparse_invalid_choice"),
    (r"invalid (?P<kind>\S+) value: (?P<value>.+)", "cli.argparse_invalid_value"),
    (r"expected one argument", "cli.argparse_expected_one"),
    (r"expected at least one argument", "cli.argparse_expected_some"),
    (r"expected at most one argument", "cli.argparse_expected_at_most_one"),
    (r"expected (?P<count>\d+) arguments?", "cli.argparse_expected_n"),
    (r"ambiguous option: (?P<option>.+?) could match (?P<matches>.+)", "cli.argparse_ambiguous"),
    (r"not allowed with argument (?P<other>.+)", "cli.argparse_not_allowed_with"),
    (r"one of the arguments (?P<arguments>.+) is required", "cli.argparse_one_required"),
    (r"ignored explicit argument (?P<value>.+)", "cli.argparse_ignored_explicit"),
)


def argparse_message(message: str, lang: str | None = None) -> str:
    """An argparse error message in ``lang``; a message argparse may add in a later Python stays as it is."""
    for pattern, key in _ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match is None:
            continue
        values = match.groupdict()
        if "message" in values:
            values["message"] = argparse_message(values["message"], lang)
        return tr(key, lang, **values)
    return message


def add_lang(parser: argparse.ArgumentParser, help_key: str = "cli.lang_help") -> None:
    """``--lang vi|en`` on ``parser``; unset unless given, so a global ``dxlab --lang`` still counts."""
    parser.add_argument("--lang", choices=list(LANGS), default=argparse.SUPPRESS, help=tr(help_key, current_lang()))


def say(key: str, /, **values: Any) -> None:
    """Print the catalogue text ``key`` in the command line's language."""
    print(tr(key, current_lang(), **values))


def fail(key: str, /, **values: Any) -> NoReturn:
    """Stop the command with the catalogue text ``key`` as its error (shown without a traceback)."""
    raise ValueError(tr(key, current_lang(), **values))
