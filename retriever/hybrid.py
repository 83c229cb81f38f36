"""Hybrid retrieval: BM25 on the right lexical form + dense e5, fused by reciprocal rank.

Accented questions are matched on underthesea words and canonical-tone syllables; questions
typed without accents on the folded form (folding makes words collide, so it is the fallback,
not the default), helped at lower weight by the question with its diacritics restored from the
corpus, which is also what the dense encoder sees (e5 is weak on accentless Vietnamese). A province, year or document named in the question boosts matching documents softly;
hard restrictions come only from `filters`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from ingest.protocols import Filters, IndexReader
from ingest.types import DocumentMeta, SearchHit
from retriever.fusion import reciprocal_rank_fusion
from retriever.query import STOP_PHRASES, NormalizedQuery, normalize_query
from retriever.rerank import Reranker
from retriever.restore import DiacriticRestorer
from retriever.scope import document_province, document_years, number_matches

MODES = ("hybrid", "lexical", "dense")

# RRF weights per ranking; measured on the corpus questions in tests/test_retriever.py.
ACCENTED_WEIGHTS = {"words": 1.0, "syllables": 1.0, "dense": 1.0}
# Accentless: the folded form carries the query; the question with its diacritics restored
# from the corpus (retriever.restore) adds lexical and dense evidence at lower weight.
ACCENTLESS_WEIGHTS = {"folded": 1.0, "words": 0.5, "syllables": 0.5, "dense": 0.8}
# Multipliers on the fused score when a hit's document is the one the question points at.
PROVINCE_BOOST = 1.3
YEAR_BOOST = 1.15
NUMBER_BOOST = 1.5
DOC_TYPE_BOOST = 1.1
DENSE_CACHE_SIZE = 512
RRF_K = 60


class HybridRetriever:
    """`search(query, k, filters)` over any `IndexReader`; mode is hybrid, lexical or dense."""

    def __init__(
        self,
        index: IndexReader,
        mode: str = "hybrid",
        reranker: Reranker | None = None,
        candidates: int = 40,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {MODES}")
        self.index = index
        self.mode = mode
        self.reranker = reranker
        self.candidates = candidates
        self._documents: dict[str, DocumentMeta] = {}
        self._dense_cache: OrderedDict[tuple, list[tuple[str, float]]] = OrderedDict()
        self._restorer: DiacriticRestorer | None = None
        self._restored: OrderedDict[str, NormalizedQuery] = OrderedDict()

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchHit]:
        return self.search_normalized(normalize_query(query), k=k, filters=filters)

    def search_normalized(
        self, query: NormalizedQuery, k: int = 10, filters: Filters | None = None
    ) -> list[SearchHit]:
        """Search with an already normalised query (the answerers normalise once)."""
        if k <= 0:
            return []
        filters = filters if filters is not None and not filters.is_empty() else None
        depth = max(self.candidates, 3 * k)
        rankings = self._rankings(query, depth, filters)
        if not rankings:
            return []
        names = list(rankings)
        weights_table = ACCENTED_WEIGHTS if query.has_diacritics else ACCENTLESS_WEIGHTS
        fused = reciprocal_rank_fusion(
            [[cid for cid, _ in rankings[name]] for name in names],
            k=RRF_K,
            weights=[weights_table.get(name, 1.0) for name in names],
        )
        boosted = [(cid, score * self._boost(cid, query)) for cid, score in fused]
        boosted.sort(key=lambda pair: pair[1], reverse=True)
        keep = depth if self.reranker is not None else k
        top = boosted[:keep]
        chunks = {chunk.chunk_id: chunk for chunk in self.index.chunks([cid for cid, _ in top])}
        details = _details(rankings)
        hits = [
            SearchHit(chunk=chunks[cid], score=score, sources=details.get(cid, {}))
            for cid, score in top
            if cid in chunks
        ]
        if self.reranker is not None:
            hits = self.reranker.rerank(query.text, hits, k)
        return hits[:k]

    def document_meta(self, doc_id: str) -> DocumentMeta | None:
        """Cached document metadata (refreshed when an unknown document shows up)."""
        if doc_id not in self._documents:
            self._documents = {meta.doc_id: meta for meta in self.index.documents()}
        return self._documents.get(doc_id)

    def restored_query(self, query: NormalizedQuery) -> NormalizedQuery | None:
        """The accentless question with diacritics restored from the corpus (None when the
        question has its accents). Province, year and document named stay the original's."""
        if query.has_diacritics or not query.folded.strip():
            return None
        if query.folded in self._restored:
            return self._restored[query.folded]
        if self._restorer is None:
            texts = list(STOP_PHRASES)  # question words: "nao" → "nào", "bao nhieu" → ...
            for meta in self.index.documents():
                texts.append(meta.title)
                texts.extend(f"{sec.title}\n{sec.text}" for sec in self.index.sections(meta.doc_id))
            self._restorer = DiacriticRestorer.from_texts(texts)
        restored = normalize_query(self._restorer.restore_text(query.folded))
        restored = replace(
            restored,
            raw=query.raw,
            provinces=query.provinces,
            years=query.years,
            period_years=query.period_years,
            doc_refs=query.doc_refs,
            doc_types=query.doc_types,
            abbreviations=query.abbreviations,
        )
        self._restored[query.folded] = restored
        if len(self._restored) > DENSE_CACHE_SIZE:
            self._restored.popitem(last=False)
        return restored

    def _rankings(
        self, query: NormalizedQuery, depth: int, filters: Filters | None
    ) -> dict[str, list[tuple[str, float]]]:
        rankings: dict[str, list[tuple[str, float]]] = {}
        accented = query if query.has_diacritics else self.restored_query(query)
        if self.mode in ("hybrid", "lexical"):
            if not query.has_diacritics and query.folded_syllables:
                rankings["folded"] = self.index.lexical_search(
                    query.folded_syllables, "folded", depth, filters
                )
            if accented is not None and accented.words:
                rankings["words"] = self.index.lexical_search(
                    accented.words, "words", depth, filters
                )
            if accented is not None and accented.syllables:
                rankings["syllables"] = self.index.lexical_search(
                    accented.syllables, "syllables", depth, filters
                )
        dense_text = (accented or query).dense_text
        if self.mode in ("hybrid", "dense") and dense_text.strip():
            rankings["dense"] = self._dense(dense_text, depth, filters)
        return {name: ranking for name, ranking in rankings.items() if ranking}

    def _dense(self, text: str, depth: int, filters: Filters | None) -> list[tuple[str, float]]:
        """Dense search with a small LRU: embedding the query is the slowest step, and the
        evaluation asks each question once per configuration."""
        key = (text, depth, filters)
        if key in self._dense_cache:
            self._dense_cache.move_to_end(key)
            return self._dense_cache[key]
        result = self.index.dense_search(text, depth, filters)
        self._dense_cache[key] = result
        if len(self._dense_cache) > DENSE_CACHE_SIZE:
            self._dense_cache.popitem(last=False)
        return result

    def _boost(self, chunk_id: str, query: NormalizedQuery) -> float:
        if not (query.provinces or query.years or query.doc_refs or query.doc_types):
            return 1.0
        meta = self.document_meta(chunk_id.split(":", 1)[0])
        if meta is None:
            return 1.0
        boost = 1.0
        if query.provinces and document_province(meta) in query.provinces:
            boost *= PROVINCE_BOOST
        if query.years and document_years(meta) & set(query.years):
            boost *= YEAR_BOOST
        if any(number_matches(meta, ref) for ref in query.doc_refs):
            boost *= NUMBER_BOOST
        if meta.doc_type and meta.doc_type in query.doc_types:
            boost *= DOC_TYPE_BOOST
        return boost


def _details(rankings: dict[str, list[tuple[str, float]]]) -> dict[str, dict[str, float]]:
    """Per chunk: each retriever's rank (under its name) and raw score (`<name>_score`)."""
    out: dict[str, dict[str, float]] = {}
    for name, ranking in rankings.items():
        for rank, (cid, score) in enumerate(ranking, start=1):
            entry = out.setdefault(cid, {})
            if name not in entry:
                entry[name] = float(rank)
                entry[f"{name}_score"] = float(score)
    return out


__all__ = ["HybridRetriever", "MODES"]
