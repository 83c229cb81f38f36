"""Tokens for lexical search: underthesea words, syllables and their folded form.

Document codes (`2224/QĐ-UBND`), dates (`20/5/2026`) and numbering (`1.1.`, `a)`) are
protected before segmenting: underthesea would split them at every "/" and "-", and an
officer searching for a code needs it as one token.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from ingest.vntext import fold, index_form

__all__ = [
    "PROTECTED",
    "folded_syllables",
    "protected_spans",
    "segment_words",
    "syllables",
    "words",
]

# Document code: number, optional year, then upper-case groups ("09-NQ/TU",
# "03/2019/NĐ-CP", "18/KH-BCĐ138/CP"), or letters glued to a number ("BCĐ138/CP").
_CODE = (
    r"\d{1,5}(?:/\d{4})?[-/][A-ZĐ]\w*(?:[-/][A-ZĐ][\w()]*)*"
    r"|[A-ZĐ]{2,}\d+(?:[-/][A-ZĐ][\w()]*)+"
)
# Dates: day/month/year ("20/5/2026", "16.01.2026") and month/year ("5/2026").
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}/\d{4}"
# Numbering at the start of a line: "1.", "1.1.", "II.", "a)", "đ)", "a.".
_NUMBERING = r"(?m:^(?:\d{1,3}(?:\.\d{1,3})*\.|[IVXLC]{1,6}\.|[a-zđ]\)|[a-zđ]\.)(?=\s|$))"
# Numbers with separators ("1.000", "2,5") stay one syllable.
_NUMBER = r"\d+(?:[.,]\d+)+"

PROTECTED = re.compile(rf"(?:{_CODE})(?![\w/])|(?:{_DATE})(?![\w/])|(?:{_NUMBERING})")
_SYLLABLE = re.compile(rf"(?:{_CODE})(?![\w/])|(?:{_DATE})(?![\w/])|(?:{_NUMBERING})|{_NUMBER}|\w+")

_word_tokenize: Callable[..., str] | None = None
_load_lock = threading.Lock()


def _tokenizer() -> Callable[..., str]:
    """underthesea takes ~2 s to import: load it on first use only. Its model loads lazily on
    the first call and concurrent first calls race inside it (seen as AttributeError under 32
    clients), so the first call is made here, under a lock, before anyone else gets it."""
    global _word_tokenize
    if _word_tokenize is None:
        with _load_lock:
            if _word_tokenize is None:
                from underthesea import word_tokenize

                word_tokenize("khởi động", format="text")
                _word_tokenize = word_tokenize
    return _word_tokenize


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of codes, dates and numbering that must stay single tokens."""
    return [match.span() for match in PROTECTED.finditer(text)]


def segment_words(text: str) -> str:
    """Word-segmented text ("phòng_chống tội_phạm"), protected tokens kept whole; lines kept."""
    return "\n".join(_segment_line(line) for line in text.split("\n"))


def _segment_line(line: str) -> str:
    if not line.strip():
        return ""
    tokenize = _tokenizer()
    out: list[str] = []
    start = 0
    # The plain runs between protected tokens are segmented on their own, so a code can
    # never be glued to a neighbouring word.
    for begin, end in protected_spans(line):
        out.append(_segment_plain(line[start:begin], tokenize))
        out.append(line[begin:end])
        start = end
    out.append(_segment_plain(line[start:], tokenize))
    return " ".join(part for part in out if part)


def _segment_plain(text: str, tokenize: Callable[..., str]) -> str:
    return tokenize(text, format="text").strip() if text.strip() else ""


def syllables(text: str) -> list[str]:
    """Lower-case syllables in the canonical tone form; punctuation dropped, codes and dates
    kept whole ("2224/qđ-ubnd"), numbering without its punctuation ("1.1", "a")."""
    tokens = []
    for match in _SYLLABLE.finditer(text):
        token = match.group().rstrip(".)")
        if token:
            tokens.append(index_form(token))
    return tokens


def folded_syllables(text: str) -> list[str]:
    """Syllables without diacritics, for queries typed without accents."""
    return [fold(token) for token in syllables(text)]


def words(text: str) -> list[str]:
    """Segmented words, lower-case, canonical tones; punctuation-only tokens dropped."""
    return [
        index_form(token)
        for token in segment_words(text).split()
        if any(ch.isalnum() for ch in token)
    ]
