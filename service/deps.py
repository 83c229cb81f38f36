"""Request dependencies: settings, the current index and what is built on it, the API key check.

The index is opened lazily on the first request that needs it, never at import or start-up,
and cached. Before each use the holder reads `<data_dir>/index/CURRENT` (a few bytes): when
another process (an ingest, an upload served by another API worker) has switched the pointer
to a new index version, the holder opens the new version and rebuilds the retrievers and the
answerer on it. Several API processes can therefore serve one index folder, and a write made
through one of them is visible to all of them on their next request.
"""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from ingest.errors import IndexMissing
from ingest.protocols import IndexReader
from ingest.settings import Settings
from service.errors import Forbidden, Unauthorized
from service.types import Answerer

log = logging.getLogger("planqa.service")

NO_INDEX_MESSAGE = "Chưa có chỉ mục văn bản. Hãy chạy `planqa ingest` để lập chỉ mục trước."


@dataclass
class _Loaded:
    marker: tuple[bytes, int] | None
    index: IndexReader
    answerer: Answerer | None = None
    retrievers: dict[str, Any] = field(default_factory=dict)


class IndexHolder:
    """The process's view of the current index version, shared by all requests (thread-safe)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._loaded: _Loaded | None = None

    def _marker(self) -> tuple[bytes, int] | None:
        current = self.settings.index_root / "CURRENT"
        try:
            return current.read_bytes(), current.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def _current(self) -> _Loaded:
        marker = self._marker()
        with self._lock:
            loaded = self._loaded
            if loaded is not None and loaded.marker == marker:
                return loaded
            if marker is None:
                self._loaded = None
                raise IndexMissing(NO_INDEX_MESSAGE, f"no {self.settings.index_root / 'CURRENT'}")
            from ingest.index import open_index

            log.info("opening index version %s", marker[0].decode(errors="replace").strip())
            # The old reader is dropped, not closed: requests still running may be using it.
            self._loaded = _Loaded(marker=marker, index=open_index(self.settings))
            return self._loaded

    def index(self) -> IndexReader:
        return self._current().index

    def answerer(self) -> Answerer:
        loaded = self._current()
        with self._lock:
            if loaded.answerer is None:
                from service.answering import build_answerer

                loaded.answerer = build_answerer(self.settings, index=loaded.index)
            return loaded.answerer

    def retriever(self, mode: str = "hybrid") -> Any:
        loaded = self._current()
        with self._lock:
            if mode not in loaded.retrievers:
                from retriever.hybrid import HybridRetriever
                from retriever.rerank import build_reranker

                loaded.retrievers[mode] = HybridRetriever(
                    loaded.index, mode=mode, reranker=build_reranker(self.settings)
                )
            return loaded.retrievers[mode]

    def warm_up(self) -> None:
        """Load the index, the embedder and the word segmenter before the first question, so
        no officer waits for model loading. Without an index there is nothing to warm."""
        try:
            self.answerer().answer("Ai chủ trì thực hiện kế hoạch?", top_k=3)
        except IndexMissing:
            log.info("warm-up skipped: no index yet")

    def forget(self) -> None:
        """Drop the cached version, e.g. after a write from this process."""
        with self._lock:
            self._loaded = None


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_holder(request: Request) -> IndexHolder:
    return request.app.state.index_holder


def _presented_key(x_api_key: str | None, authorization: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
    return None


def require_api_key(
    settings: Annotated[Settings, Depends(get_settings)],
    x_api_key: Annotated[str | None, Header(description="API key for write endpoints")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <API key>")] = None,
) -> None:
    """Writes need the key from `X-API-Key` or `Authorization: Bearer`; no key set = no writes."""
    expected = settings.api_key
    if not expected:
        raise Forbidden(
            "Máy chủ chưa cấu hình khóa API (PLANQA_API_KEY) nên chức năng ghi đang bị tắt.",
            "write refused: no PLANQA_API_KEY configured",
        )
    presented = _presented_key(x_api_key, authorization)
    if presented is None:
        raise Unauthorized(
            "Thiếu khóa API. Hãy gửi khóa trong tiêu đề X-API-Key hoặc Authorization: Bearer.",
            "write refused: no API key presented",
        )
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Forbidden("Khóa API không đúng.", "write refused: wrong API key")


SettingsDep = Annotated[Settings, Depends(get_settings)]
HolderDep = Annotated[IndexHolder, Depends(get_holder)]
ApiKeyDep = Depends(require_api_key)
