"""What a document covers: its province, years and number, compared with what a question names.

Used twice: to boost hits from the document a question points at, and to recognise a question
about a province, year or document the corpus does not hold (which must not be answered from
the nearest plan).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.types import DocumentMeta
from ingest.vntext import fold
from retriever.provinces import canonical_province
from retriever.query import DocRef

_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_NUMBER = re.compile(r"^\s*(\d{1,5})")
# Province and years are read per document for every question (boosts, scope checks);
# metadata is immutable, so each document's are worked out once.
DOCUMENT_CACHE_SIZE = 8192


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def document_province(meta: DocumentMeta) -> str | None:
    """Canonical province of a document, from its metadata or, failing that, its issuer."""
    for value in (meta.province, meta.issuer, meta.place):
        if value:
            province = canonical_province(value) or _province_in(value)
            if province:
                return province
    return None


def _province_in(text: str) -> str | None:
    from retriever.provinces import find_provinces

    found = find_provinces(text)
    return found[0] if found else None


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def document_years(meta: DocumentMeta) -> frozenset[int]:
    """The years a document is about: its own year, the period its title names when that is
    the plan's own (starting at most a year before it was issued; an older period is that of
    the strategy it implements), and a year its title names ("... năm 2024")."""
    years: set[int] = set()
    if meta.year:
        years.add(meta.year)
    if meta.issued_date:
        years.add(meta.issued_date.year)
    own = min(years) if years else None
    title = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", " ", fold(meta.title))
    for match in _RANGE.finditer(title):
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end and end - start <= 30 and (own is None or start >= own - 1):
            years.update(range(start, end + 1))
    for match in re.finditer(r"(?<!den )(?<!toi )nam ((?:19|20)\d{2})(?!\d)", title):
        years.add(int(match.group(1)))
    return frozenset(years)


def document_own_years(meta: DocumentMeta) -> set[int]:
    """The years a question may name the document by ("kế hoạch năm 2027"): its years
    (document_years) from the year it was issued on. A plan issued in 2026 for the period
    2025 - 2030 is not "the plan of 2025"."""
    years = document_years(meta)
    own = [y for y in (meta.year, meta.issued_date.year if meta.issued_date else None) if y]
    return {year for year in years if not own or year >= min(own)}


def document_number(meta: DocumentMeta) -> str:
    """The numeric part of a document's number ("2224" for "2224/QĐ-UBND"), "" when blank."""
    match = _NUMBER.match(meta.number or "")
    return str(int(match.group(1))) if match else ""


def number_matches(meta: DocumentMeta, ref: DocRef) -> bool:
    """True when the document's own number is the one the question names."""
    number = document_number(meta)
    if not number or number != ref.number:
        return False
    if ref.code:
        return _code_key(ref.code) == _code_key(meta.number)
    if ref.doc_type and meta.doc_type:
        return fold(ref.doc_type) == fold(meta.doc_type)
    return True


def _code_key(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(code).replace("~", ""))


def names_some_plan(documents: Iterable[DocumentMeta], ref: DocRef) -> bool:
    """Some plan here bears the number or implements the document it names; a number none
    does names a document only cited inside a plan ("theo Nghị quyết 29-NQ/TU")."""
    return any(names_plan(meta, ref) for meta in documents)


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def names_plan(meta: DocumentMeta, ref: DocRef) -> bool:
    """The number the question names is the plan's own, or that of the document its title
    says it implements ("Kế hoạch thực hiện Kết luận 13-KL/TW")."""
    return number_matches(meta, ref) or text_mentions_number(meta.title, ref)


def text_mentions_number(text: str, ref: DocRef) -> bool:
    """True when a passage cites the named document ("Kế hoạch số 58-KH/ĐU ...")."""
    folded = fold(text)
    if ref.code:
        key = _code_key(ref.code)
        return key in re.sub(r"[^0-9a-z]", "", folded)
    pattern = rf"(?<![\d/])0*{re.escape(ref.number)}(?=[-/ ]|$)"
    if ref.doc_type:
        pattern = rf"{re.escape(fold(ref.doc_type))}\s*(?:so\s*)?[:.]?\s*" + pattern
    return re.search(pattern, folded) is not None


def text_mentions_year(text: str, year: int) -> bool:
    """True when a passage names the year on its own or as a period bound, not only inside a
    date or a document code."""
    folded = fold(text)
    folded = re.sub(r"\d{1,5}/\d{4}/[a-z]", " ", folded)  # codes like 03/2019/nd-cp
    folded = re.sub(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", " ", folded)  # dates
    if re.search(rf"(?<![\d/.]){year}(?![\d/])", folded):
        return True
    for match in _RANGE.finditer(folded):
        if int(match.group(1)) <= year <= int(match.group(2)):
            return True
    return False


__all__ = [
    "document_number",
    "document_own_years",
    "document_province",
    "document_years",
    "names_plan",
    "names_some_plan",
    "number_matches",
    "text_mentions_number",
    "text_mentions_year",
]
