"""What users read, in their language: Vietnamese by default, English when `NTM_LANG=en` (or
`ntm --lang en`, which sets it for the kernels and workers it starts too).

Texts are written in English in the code, wrapped in `_()`, and translated through the gettext
catalogue `ntmlib/locale/vi/LC_MESSAGES/ntm.po` (Babel reads it; `make messages` extracts new
texts from the code into it). A text with values takes them by name after translation, so that
a translation may reorder them: `_("row {row} of {file}").format(row=7, file="x.csv")`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "ntm"
LANGUAGES = ("vi", "en")
DEFAULT = "vi"


def language() -> str:
    """The language of messages: NTM_LANG ("vi", "en", or a locale such as "en_US.UTF-8"),
    else Vietnamese."""
    wanted = os.environ.get("NTM_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else DEFAULT


def set_language(lang: str) -> None:
    """Use `lang` from now on, here and in every process started from here."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    os.environ["NTM_LANG"] = lang


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Messages in `lang` inside the block (for instance English for developer documentation),
    then in the language of before."""
    before = os.environ.get("NTM_LANG")
    set_language(lang)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NTM_LANG", None)
        else:
            os.environ["NTM_LANG"] = before


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return _PoTranslations(catalog)


class _PoTranslations(gettext.NullTranslations):
    """A gettext catalogue read straight from the .po file by Babel (no compiled .mo to keep
    in step with it); fuzzy and empty translations fall back to the English text."""

    def __init__(self, catalog) -> None:
        super().__init__()
        self._messages: dict[str, str] = {}
        self._plurals: dict[str, tuple[str, ...]] = {}
        self._plural_index = gettext.c2py(catalog.plural_expr or "0")
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                if all(message.string):
                    self._plurals[message.id[0]] = tuple(message.string)
            elif message.string:
                key = f"{message.context}\x04{message.id}" if message.context else message.id
                self._messages[key] = message.string

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def pgettext(self, context: str, message: str) -> str:
        return self._messages.get(f"{context}\x04{message}", message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self._plurals.get(singular)
        if not forms:
            return singular if n == 1 else plural
        return forms[min(self._plural_index(n), len(forms) - 1)]


def _(message: str) -> str:
    """`message` in the user's language."""
    return _catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the user's language."""
    return _catalogue(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the user's language, where the same English text needs a different
    translation in another `context` (or no English words at all: `pgettext("location",
    "{file}")` is the file alone in English, "tệp {file}" in Vietnamese)."""
    return _catalogue(language()).pgettext(context, message)


def every_language(message: str) -> set[str]:
    """`message` as it reads in each language: what a person may have typed for it, for
    instance a column's name in a filled form."""
    return {_catalogue(lang).gettext(message) for lang in LANGUAGES}


def number(value: float) -> str:
    """A value quoted in a message: 6442.7 and 1e+06 as Python writes them in English,
    6.442,7 and 1.000.000 in Vietnamese (a dot there groups thousands)."""
    if language() == "en":
        return f"{value:g}"
    from .formatting import fmt_number

    return fmt_number(value, places=6)


def count(value: int) -> str:
    """A whole number with its thousands grouped: 50,000 in English, 50.000 in Vietnamese."""
    if language() == "en":
        return f"{value:,}"
    from .formatting import fmt_number

    return fmt_number(value, places=0)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; `_()` translates it where used."""
    return message
