"""POST /search: ranked chunks, without composing an answer."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import HolderDep
from service.routes._filters import require_documents
from service.schemas import HitOut, SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, holder: HolderDep) -> SearchResponse:
    filters = body.domain_filters()
    require_documents(holder.index(), filters.doc_ids)
    hits = holder.retriever(body.mode).search(body.query, body.top_k, filters)
    return SearchResponse(hits=[HitOut.from_domain(hit) for hit in hits])
