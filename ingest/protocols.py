"""The seams between layers: what the index offers readers, and what an embedder is.

The index (ingest.index) implements `IndexReader`; the retriever and the service use only
this protocol, so they can be tested against any real implementation of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from ingest.types import Agency, Chunk, DocumentMeta, Section, Task

LexicalField = Literal["words", "syllables", "folded"]


@dataclass(frozen=True)
class Filters:
    """Hard filters on retrieval. Empty means no restriction."""

    doc_ids: tuple[str, ...] = ()
    province: str | None = None
    year: int | None = None

    def is_empty(self) -> bool:
        return not self.doc_ids and self.province is None and self.year is None


@runtime_checkable
class Embedder(Protocol):
    """A dense text encoder. `name` is stored in the index manifest; changing it re-embeds."""

    name: str
    dim: int
    input_form: Literal["surface", "segmented"]  # which chunk text the model was trained on

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class IndexReader(Protocol):
    """Read access to one complete index version."""

    def stats(self) -> dict[str, int]:
        """{"documents": n, "sections": n, "chunks": n, "tasks": n}"""
        ...

    def documents(self) -> list[DocumentMeta]: ...

    def document(self, doc_id: str) -> DocumentMeta:
        """Raises NotFound."""
        ...

    def sections(self, doc_id: str) -> list[Section]:
        """All sections of a document in reading order. Raises NotFound."""
        ...

    def section(self, doc_id: str, path: str) -> Section:
        """Raises NotFound."""
        ...

    def chunk(self, chunk_id: str) -> Chunk:
        """Raises NotFound."""
        ...

    def chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """The known ones among `chunk_ids`, in the given order."""
        ...

    def lexical_search(
        self, terms: Sequence[str], field: LexicalField, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """BM25 over FTS5: chunk ids and scores (higher is better) for chunks matching any term.

        `terms` are already in the field's form: underthesea words joined by "_" for "words",
        lower-case canonical-tone syllables for "syllables", folded syllables for "folded".
        """
        ...

    def dense_search(
        self, query: str, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities for a natural-language query (embedded here)."""
        ...

    def tasks(
        self,
        agency: str | None = None,
        doc_id: str | None = None,
        due_before: date | None = None,
        due_after: date | None = None,
    ) -> list[Task]:
        """Task records; `agency` matches the canonical name or any alias (any role)."""
        ...

    def agencies(self) -> list[Agency]: ...
