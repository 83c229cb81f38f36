"""Is the question about something the corpus holds? A question naming a province, a year or a
document number that no indexed plan covers must be answered "the documents do not say",
not from the nearest plan — officers act on the province and year they asked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.agencies import known_agencies
from ingest.types import DocumentMeta, SearchHit
from ingest.vntext import canonical_tones, fold, nfc
from retriever.query import DocRef, NormalizedQuery
from retriever.scope import (
    document_number,
    document_own_years,
    document_province,
    document_years,
    number_matches,
    text_mentions_number,
    text_mentions_year,
)


@dataclass(frozen=True)
class Scope:
    """The documents a question may be answered from, or why none may."""

    doc_ids: frozenset[str]
    problem: str = ""  # English, for logs: why the question is out of scope

    @property
    def ok(self) -> bool:
        return not self.problem


def question_scope(
    query: NormalizedQuery,
    documents: list[DocumentMeta],
    hits: list[SearchHit],
    compares: bool = False,
) -> Scope:
    """Documents matching the province and document year the question names; a problem when
    it names a province, year or document number the corpus does not hold. A question that
    `compares` plans keeps every plan its words fit."""
    provinces = {meta.doc_id: document_province(meta) for meta in documents}
    corpus_provinces = {p for p in provinces.values() if p}
    unknown = [p for p in query.provinces if p not in corpus_provinces]
    if unknown:
        return Scope(frozenset(), f"province not in corpus: {', '.join(unknown)}")

    candidates = [
        meta
        for meta in documents
        if not query.provinces or provinces[meta.doc_id] in query.provinces
    ]
    of_provinces = candidates
    # Several years name several plans ("năm 2024 của Hải Dương và năm 2026 của Đồng Tháp"):
    # each must be some plan's year, and any of them may be answered from.
    named_years = set(query.document_years)
    for year in named_years:
        if not any(year in document_own_years(meta) for meta in candidates):
            return Scope(frozenset(), f"no document of year {year}")
    if named_years:
        candidates = [meta for meta in candidates if named_years & document_years(meta)]
    doc_ids = {meta.doc_id for meta in candidates}

    in_scope_hits = [hit for hit in hits if hit.chunk.doc_id in doc_ids]
    for year in query.period_years:
        covered = any(year in document_years(meta) for meta in candidates) or any(
            text_mentions_year(f"{hit.chunk.breadcrumb}\n{hit.chunk.text}", year)
            for hit in in_scope_hits
        )
        if not covered:
            return Scope(frozenset(), f"year {year} not covered")

    of_type = _only_plan_of_named_type(query, candidates)
    if of_type is not None:
        doc_ids = {of_type.doc_id}

    for ref in query.doc_refs:
        own = [meta for meta in candidates if _number_names(meta, ref)]
        if own:
            doc_ids = {meta.doc_id for meta in own}
            continue
        # "kế hoạch triển khai Nghị quyết 09-NQ/TU": the plan whose title implements it, not
        # every plan of that province and year.
        implementing = {m.doc_id for m in candidates if text_mentions_number(m.title, ref)}
        if implementing and not compares:
            doc_ids = (doc_ids & implementing) or implementing
            continue
        # "Quyết định 2224 của Quảng Ngãi và kế hoạch năm 2026 của Đồng Tháp": with several
        # plans named, the year belongs to one of them and the number to another.
        numbered = (
            [meta for meta in of_provinces if _number_names(meta, ref)]
            if len(query.provinces) > 1
            else []
        )
        if numbered:
            doc_ids |= {meta.doc_id for meta in numbered}
            continue
        # A plan implementing "Kết luận số 13-KL/TW" names it in its title.
        # ... in any province: a comparison may name its other plan by what it implements.
        cited = any(text_mentions_number(meta.title, ref) for meta in documents) or any(
            text_mentions_number(f"{hit.chunk.breadcrumb}\n{hit.chunk.text}", ref)
            for hit in in_scope_hits
        )
        if not cited:
            return Scope(frozenset(), f"document {ref.code or ref.number} not in corpus")
    return Scope(frozenset(doc_ids))


def _only_plan_of_named_type(
    query: NormalizedQuery, candidates: list[DocumentMeta]
) -> DocumentMeta | None:
    """ "Chương trình thực hiện KL 13 ...": the one candidate of the document type the question
    names first, when no other candidate has that type ("Kế hoạch" is shared by several
    plans; "Kế hoạch thực hiện Chương trình ..." is a plan, not the Chương trình)."""
    if len(query.provinces) > 1 or len(query.document_years) > 1:
        return None  # several plans named: a comparison
    first = _first_named_type(query)
    of_type = [meta for meta in candidates if meta.doc_type and fold(meta.doc_type) == first]
    return of_type[0] if first and len(of_type) == 1 else None


def _first_named_type(query: NormalizedQuery) -> str:
    """The folded document type the question names first ("chuong trinh"), or ""."""
    found = []
    for kind in query.doc_types:
        match = re.search(rf"\b{re.escape(fold(kind))}\b", query.folded)
        if match:
            found.append((match.start(), fold(kind)))
    return min(found)[1] if found else ""


# An agency named with its proper name: head word, then a capitalised word ("Sở Ngoại vụ",
# "Bộ Công an", "Ban Chỉ đạo"); "Bộ đội", "các sở", "Ban hành" are not names.
_AGENCY = re.compile(
    r"\b(?:Chi cục|Học viện|Tòa án|Ủy ban|Sở|Bộ|Cục|Viện|Ban|Hội|Đài|Trường)"
    r"\s+(\w+)(?:\s+\w+)?"
)


def named_agencies(text: str) -> list[str]:
    """Agencies a question names by proper name, as folded keys of up to three syllables
    ("so ngoai vu", "bo cong an"). Typed in lower case or without accents, a name is known
    only from the agency table ("so cong thuong")."""
    keys = [
        " ".join(fold(match.group()).split())
        for match in _AGENCY.finditer(canonical_tones(nfc(text)))
        if match.group(1)[0].isupper()
    ]
    folded = _listing_form(text)
    for key in _listed_agencies():
        named = re.search(rf"(?<!\w)(?<!co ){key}(?!\w)", folded) is not None
        if named and not any(key.startswith(k) or k.startswith(key) for k in keys):
            keys.append(key)
    return list(dict.fromkeys(keys))


@cache
def _listed_agencies() -> tuple[str, ...]:
    """Folded keys of the departments, offices and associations of the agency table, up to
    four syllables without "và" ("so ngoai vu", "so ke hoach dau"): three would be "số kế
    hoạch" or "số lao động" typed without accents; "cơ sở y tế" is no "Sở Y tế"."""
    keys = []
    for agency in known_agencies():
        if _LISTED_HEAD.match(agency.canonical):
            name = re.sub(r"\s+tỉnh$", "", agency.canonical)
            keys.append(" ".join(_listing_form(name).split()[:4]))
    return tuple(dict.fromkeys(keys))


def _listing_form(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", fold(text)).split()
    return " ".join(word for word in words if word != "va")


_LISTED_HEAD = re.compile(r"(?:Sở|Cục|Liên đoàn|Hội(?! đồng))\s")


def missing_agency(question: str, document_texts: list[str]) -> str:
    """The first agency the question names that none of `document_texts` (folded, spaces
    collapsed) mentions, or "". Such a question asks about a duty those plans do not assign."""
    for key in named_agencies(question):
        if not any(_contains_words(text, key) for text in document_texts):
            return key
    return ""


def _contains_words(text: str, key: str) -> bool:
    """`key`'s words in order in folded `text`, across punctuation and a "và" ("sở kế hoạch
    và đầu tư" holds "so ke hoach dau")."""
    between = r"\W+(?:va\W+)?"
    pattern = between.join(re.escape(word) for word in key.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", text) is not None


_ISSUES = re.compile(r"^\s*ban hanh (ke hoach|chuong trinh|quy che|de an)\b")


def _number_names(meta: DocumentMeta, ref: DocRef) -> bool:
    """The document is the one the question numbers. A decision "Ban hành Kế hoạch ..." also
    names the plan it issues: "kế hoạch 2224" is the plan of Quyết định 2224."""
    if number_matches(meta, ref):
        return True
    if ref.code or not ref.doc_type or document_number(meta) != ref.number:
        return False
    issued = _ISSUES.match(fold(meta.title))
    return issued is not None and issued.group(1) == fold(ref.doc_type).lower()


__all__ = ["Scope", "missing_agency", "named_agencies", "question_scope"]
