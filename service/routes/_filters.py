"""Shared request checks that need the index (kept out of the schemas, which cannot see it)."""

from __future__ import annotations

from collections.abc import Iterable

from ingest.errors import NotFound
from ingest.protocols import IndexReader


def require_documents(index: IndexReader, doc_ids: Iterable[str]) -> None:
    """Unknown document ids in a filter are a 404, not an empty result that looks like 'no'."""
    wanted = list(dict.fromkeys(doc_ids))
    if not wanted:
        return
    known = {meta.doc_id for meta in index.documents()}
    missing = [doc_id for doc_id in wanted if doc_id not in known]
    if missing:
        raise NotFound(
            f"Không có văn bản mã {', '.join(missing)} trong chỉ mục.",
            f"unknown doc ids in filter: {missing}",
        )
