"""The message catalogue: every text the code marks for users has a Vietnamese translation,
each translation keeps the text's {placeholders}, and the language follows NTM_LANG."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ntmlib import config, i18n

PO = i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "ntm.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def marked_texts() -> set[tuple[str | None, str]]:
    """(context, text) of every marked text: a text with a context (pgettext) is a message of
    its own, translated apart from the same text without it."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            config.PACKAGE_DIR, method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="vi")


@pytest.mark.e2e
def test_every_marked_text_has_a_vietnamese_translation():
    translated = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string
                  for m in catalogue()
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple)
                                               else m.string)}
    missing = sorted(marked_texts() - set(translated))
    assert not missing, f"{len(missing)} text(s) without translation (make messages): {missing[:5]}"


def test_translations_keep_the_placeholders():
    field = re.compile(r"\{(\w*)[^{}]*\}")
    wrong = []
    for m in catalogue():
        if not m.id or isinstance(m.id, tuple) or not m.string:
            continue
        if sorted(field.findall(m.id)) != sorted(field.findall(m.string)):
            wrong.append(m.id)
    assert not wrong, wrong[:5]


@pytest.mark.parametrize(("env", "expected"), [("", "vi"), ("en", "en"), ("en_US.UTF-8", "en"),
                                               ("vi_VN", "vi"), ("fr", "vi")])
def test_language_follows_ntm_lang(monkeypatch, env, expected):
    monkeypatch.setenv("NTM_LANG", env)
    assert i18n.language() == expected


@pytest.mark.e2e
def test_no_text_is_translated_inside_an_f_string():
    """Babel does not see `_()` inside an f-string, so such a text would never reach the
    catalogue (and would print in English)."""
    import io
    import tokenize

    found = []
    for path in sorted(config.PACKAGE_DIR.rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for tok in tokens:
            prefix = re.match(r"[a-zA-Z]*", tok.string).group(0).lower()
            literal = re.search(r"\b_\(\s*['\"]", tok.string)
            if tok.type == tokenize.STRING and "f" in prefix and literal:
                found.append(f"{path.name}:{tok.start[0]}")
    assert not found, found
