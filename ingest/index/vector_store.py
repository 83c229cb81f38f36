"""The Chroma half of an index version: one collection of chunk vectors with the metadata the
filters need. Embedded (`chroma/` inside the version folder) by default; a Chroma server when
`settings.chroma_url` is set, with one collection per index version (`planqa_<version>`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.errors import ConfigError
from ingest.index.sqlite_store import province_key
from ingest.protocols import Filters
from ingest.settings import Settings

COLLECTION_PREFIX = "planqa_"


def collection_name(version: str) -> str:
    return f"{COLLECTION_PREFIX}{version}"


def _client(settings: Settings, chroma_dir: Path):  # noqa: ANN202 - chromadb is imported lazily
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not settings.chroma_url:
        return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)
    url = urlparse(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"PLANQA_CHROMA_URL không hợp lệ: '{settings.chroma_url}'.",
            "expected http(s)://host:port",
        )
    return chromadb.HttpClient(
        host=url.hostname,
        port=url.port or (443 if url.scheme == "https" else 80),
        ssl=url.scheme == "https",
        settings=chroma_settings,
    )


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma `where` for the hard filters (metadata written by `ChromaStore.add`)."""
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict[str, Any]] = []
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.province is not None:
        clauses.append({"province_key": province_key(filters.province)})
    if filters.year is not None:
        clauses.append({"year": int(filters.year)})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def chunk_metadata(
    doc_id: str, section_path: str, province: str, year: int | None, segmented: str
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": doc_id,
        "section_path": section_path,
        "province": province,
        "province_key": province_key(province),
        "segmented": segmented,
    }
    if year is not None:  # Chroma metadata has no null; a missing key never matches a year
        meta["year"] = int(year)
    return meta


class ChromaStore:
    """One version's collection. Create it while building; open it read-only when serving."""

    def __init__(self, client: Any, collection: Any, local: bool) -> None:
        self._client = client
        self._collection = collection
        self._local = local
        # Vectors in the collection, counted once: queries need it to bound n_results, a
        # version only changes while it is written (add), and at 15,800 chunks a count costs
        # Chroma 4 ms.
        self._size: int | None = None

    @classmethod
    def create(cls, settings: Settings, version: str, version_dir: Path) -> ChromaStore:
        client = _client(settings, version_dir / "chroma")
        name = collection_name(version)
        if settings.chroma_url:  # a previous killed build may have left it on the server
            _delete_if_present(client, name)
        collection = client.create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        return cls(client, collection, local=not settings.chroma_url)

    @classmethod
    def open(cls, settings: Settings, version: str, version_dir: Path) -> ChromaStore:
        client = _client(settings, version_dir / "chroma")
        collection = client.get_collection(collection_name(version), embedding_function=None)
        return cls(client, collection, local=not settings.chroma_url)

    def add(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        batch = max(1, min(1000, int(self._client.get_max_batch_size())))
        for start in range(0, len(ids), batch):
            end = start + batch
            self._collection.add(
                ids=list(ids[start:end]),
                embeddings=np.asarray(embeddings[start:end], dtype=np.float32),
                documents=list(documents[start:end]),
                metadatas=list(metadatas[start:end]),
            )
        self._size = None

    def count(self) -> int:
        return int(self._collection.count())

    def query(
        self, embedding: np.ndarray, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """Chunk ids with cosine similarity (1 - cosine distance), best first."""
        if self._size is None:
            self._size = self.count()
        total = self._size
        if total == 0 or k <= 0:
            return []
        result = self._collection.query(
            query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
            n_results=min(k, total),
            where=where_clause(filters),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def close(self) -> None:
        """Release the embedded database (flushes its vector segment) before the folder moves."""
        close = getattr(self._client, "close", None)
        if self._local and close is not None:
            close()


def _delete_if_present(client: Any, name: str) -> None:
    if name in {c if isinstance(c, str) else c.name for c in client.list_collections()}:
        client.delete_collection(name)


def drop_server_collections(settings: Settings, versions: Sequence[str]) -> list[str]:
    """With a Chroma server, delete the collections of these (garbage-collected) versions.

    Only versions this data dir owned are named, so several deployments can share one server.
    """
    if not settings.chroma_url or not versions:
        return []
    client = _client(settings, Path("."))
    present = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    dropped = []
    for version in versions:
        name = collection_name(version)
        if name in present:
            client.delete_collection(name)
            dropped.append(name)
    return dropped


__all__ = [
    "ChromaStore",
    "chunk_metadata",
    "collection_name",
    "drop_server_collections",
    "where_clause",
]
