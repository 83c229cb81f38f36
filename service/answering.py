"""Which answerer a deployment uses: generative when a chat model is configured
(PLANQA_LLM_MODEL, optionally PLANQA_LLM_BASE_URL), else the extractive one, which is also
the generative answerer's fallback."""

from __future__ import annotations

from ingest.protocols import IndexReader
from ingest.settings import Settings
from retriever.rerank import build_reranker
from service.extractive import ExtractiveAnswerer
from service.types import Answerer


def build_answerer(settings: Settings, index: IndexReader | None = None) -> Answerer:
    """The configured answerer. Without `index`, the live index version is opened per
    question, so a new ingest is picked up without a restart."""
    from ingest.index import open_index

    source = index if index is not None else (lambda: open_index(settings))
    extractive = ExtractiveAnswerer(source, reranker=build_reranker(settings))
    if settings.llm_model or settings.llm_base_url:
        from service.generative import GenerativeAnswerer, build_chat_model

        chat_model = build_chat_model(settings)
        return GenerativeAnswerer(extractive, chat_model, timeout_s=settings.llm_timeout_s)
    return extractive


__all__ = ["build_answerer"]
