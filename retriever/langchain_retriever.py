"""LangChain adapter: PlanQA's hybrid retriever as a `BaseRetriever`, for chains and agents."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest.protocols import Filters
from ingest.types import SearchHit


class PlanQARetriever(BaseRetriever):
    """Returns one `Document` per hit: the chunk text, with its citation fields as metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # a HybridRetriever (typed loosely: pydantic need not know the class)
    k: int = 8
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, filters=self.filters)
        return [hit_to_document(hit) for hit in hits]


def hit_to_document(hit: SearchHit) -> Document:
    chunk = hit.chunk
    return Document(
        page_content=chunk.text,
        metadata={
            "chunk_id": chunk.chunk_id,
            "doc_id": chunk.doc_id,
            "section_path": chunk.section_path,
            "section_title": chunk.section_title,
            "breadcrumb": chunk.breadcrumb,
            "score": hit.score,
        },
    )


__all__ = ["PlanQARetriever", "hit_to_document"]
