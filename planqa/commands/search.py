"""`planqa search QUERY`: ranked chunks from the local index (hybrid, lexical or dense)."""

from __future__ import annotations

import argparse

from ingest.errors import BadRequest
from ingest.protocols import Filters
from ingest.settings import Settings
from planqa.commands._output import dump_json
from service.schemas import MAX_TOP_K, HitOut, SearchResponse

SNIPPET_CHARS = 240


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.index import open_index
    from retriever.hybrid import HybridRetriever
    from retriever.rerank import build_reranker

    query = args.query.strip()
    if not query:
        raise BadRequest("Truy vấn không được để trống.")
    if not 1 <= args.top_k <= MAX_TOP_K:
        raise BadRequest(f"-k phải trong khoảng 1–{MAX_TOP_K}.")
    retriever = HybridRetriever(
        open_index(settings), mode=args.mode, reranker=build_reranker(settings)
    )
    hits = [HitOut.from_domain(hit) for hit in retriever.search(query, args.top_k, Filters())]
    if args.json:
        print(dump_json(SearchResponse(hits=hits).model_dump(mode="json")))
        return 0
    if not hits:
        print("Không tìm thấy đoạn văn bản nào phù hợp.")
    for number, hit in enumerate(hits, start=1):
        text = " ".join(hit.text.split())
        if len(text) > SNIPPET_CHARS:
            text = text[:SNIPPET_CHARS].rstrip() + "…"
        print(f"[{number}] {hit.score:.4f}  {hit.doc_id}  § {hit.section_path} {hit.section_title}")
        print(f"    {text}")
    return 0
