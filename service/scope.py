"""Is the question about something the corpus holds? A question naming a province, a year or a
document number that no indexed plan covers must be answered "the documents do not say",
not from the nearest plan — officers act on the province and year they asked about.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.types import DocumentMeta, SearchHit
from retriever.query import NormalizedQuery
from retriever.scope import (
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
    query: NormalizedQuery, documents: list[DocumentMeta], hits: list[SearchHit]
) -> Scope:
    """Documents matching the province and document year the question names; a problem when
    it names a province, year or document number the corpus does not hold."""
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
    for year in query.document_years:
        with_year = [meta for meta in candidates if year in document_years(meta)]
        if not with_year:
            return Scope(frozenset(), f"no document of year {year}")
        candidates = with_year
    doc_ids = {meta.doc_id for meta in candidates}

    in_scope_hits = [hit for hit in hits if hit.chunk.doc_id in doc_ids]
    for year in query.period_years:
        covered = any(year in document_years(meta) for meta in candidates) or any(
            text_mentions_year(f"{hit.chunk.breadcrumb}\n{hit.chunk.text}", year)
            for hit in in_scope_hits
        )
        if not covered:
            return Scope(frozenset(), f"year {year} not covered")

    for ref in query.doc_refs:
        own = [meta for meta in candidates if number_matches(meta, ref)]
        if own:
            doc_ids = {meta.doc_id for meta in own}
            continue
        cited = any(
            text_mentions_number(f"{hit.chunk.breadcrumb}\n{hit.chunk.text}", ref)
            for hit in in_scope_hits
        )
        if not cited:
            return Scope(frozenset(), f"document {ref.code or ref.number} not in corpus")
    return Scope(frozenset(doc_ids))


__all__ = ["Scope", "question_scope"]
