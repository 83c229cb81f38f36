"""Optional second stage: a sentence-transformers cross-encoder re-scores the fused hits.

Off by default (no model ships with the default install); `settings.reranker` names a local
model folder. The model loads on first use, never at import.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from ingest.errors import ConfigError
from ingest.settings import Settings
from ingest.types import SearchHit


class Reranker(Protocol):
    def rerank(self, query: str, hits: list[SearchHit], k: int) -> list[SearchHit]: ...


class CrossEncoderReranker:
    """Re-scores (question, chunk text) pairs with a cross-encoder; keeps the fused score in
    `sources["fused"]`."""

    def __init__(self, model_path: str, batch_size: int = 16) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is None:
            try:
                from sentence_transformers import CrossEncoder
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise ConfigError(
                    "Chưa cài sentence-transformers để xếp hạng lại.", str(exc)
                ) from exc
            try:
                self._model = CrossEncoder(self.model_path, device="cpu")
            except Exception as exc:
                raise ConfigError(
                    "Không nạp được mô hình xếp hạng lại.",
                    f"cannot load cross-encoder {self.model_path!r}: {exc}",
                ) from exc

    def rerank(self, query: str, hits: list[SearchHit], k: int) -> list[SearchHit]:
        if not hits:
            return []
        self.warm_up()
        pairs = [(query, f"{hit.chunk.breadcrumb}\n{hit.chunk.text}") for hit in hits]
        scores = self._model.predict(pairs, batch_size=self.batch_size, show_progress_bar=False)
        rescored = [
            replace(hit, score=float(score), sources={**hit.sources, "fused": hit.score})
            for hit, score in zip(hits, scores, strict=True)
        ]
        rescored.sort(key=lambda hit: hit.score, reverse=True)
        return rescored[:k]


def build_reranker(settings: Settings) -> Reranker | None:
    """The configured reranker, or None when `settings.reranker` is unset."""
    if not settings.reranker:
        return None
    return CrossEncoderReranker(settings.reranker)


__all__ = ["CrossEncoderReranker", "Reranker", "build_reranker"]
