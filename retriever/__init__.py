"""Retrieval: query normalisation, lexical + dense search fused by reciprocal rank, soft
boosts for the province/year/document a question names, optional cross-encoder rerank."""

from retriever.fusion import reciprocal_rank_fusion
from retriever.hybrid import MODES, HybridRetriever
from retriever.query import DocRef, NormalizedQuery, normalize_query

__all__ = [
    "MODES",
    "DocRef",
    "HybridRetriever",
    "NormalizedQuery",
    "normalize_query",
    "reciprocal_rank_fusion",
]
