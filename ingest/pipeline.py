"""Corpus → a complete new index version, switched in atomically.

A build happens in `data/index/.building-<version>/` while the previous version keeps
serving; only a complete folder is renamed to `<version>` and named in `CURRENT`. Vectors
come from the embedding cache whenever the text was embedded before, so re-ingesting an
unchanged corpus embeds nothing. One ingest at a time (`IndexBusy` otherwise).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed import get_embedder
from ingest.errors import BadDocument, ConfigError, IndexMissing, NotFound
from ingest.index import sqlite_store as store
from ingest.index.embed_cache import EmbeddingCache, cache_key
from ingest.index.vector_store import ChromaStore, chunk_metadata, drop_server_collections
from ingest.index.versions import (
    BUILDING_PREFIX,
    SQLITE_FILE,
    building_dir,
    collect_garbage,
    current_version,
    ingest_lock,
    new_version_id,
    read_manifest,
    switch_current,
    write_json_atomic,
)
from ingest.load import SUPPORTED_EXTENSIONS
from ingest.parse import ParsedFile, doc_id_for, parse_path
from ingest.protocols import Embedder
from ingest.settings import Settings
from ingest.types import Agency, Chunk
from ingest.vntext import fold, index_form

EMBED_BATCH = 32


@dataclass(frozen=True)
class Refusal:
    """A file left out of the index, with the Vietnamese reason shown to users."""

    path: str
    message: str


@dataclass(frozen=True)
class IngestReport:
    documents: int  # in the resulting index
    sections: int
    tasks: int
    chunks: int
    embedded: int  # chunks embedded in this run
    cached: int  # chunks whose vectors came from the embedding cache
    refused: tuple[Refusal, ...]
    seconds: float
    version: str
    changed: tuple[str, ...] = ()  # doc ids parsed (added or replaced) in this run
    removed: tuple[str, ...] = ()  # doc ids that left the index in this run


def corpus_files(folder: Path) -> list[Path]:
    """Supported files directly in `folder` (hidden files skipped), sorted by name."""
    if not folder.is_dir():
        raise ConfigError(
            f"Không tìm thấy thư mục tài liệu '{folder}'.",
            "set PLANQA_CORPUS_DIR to the folder holding the plan files",
        )
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_EXTENSIONS
    )


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as their supported files."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(corpus_files(path))
        else:
            out.append(path)
    return out


def ingest(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    rebuild: bool = False,
    progress: bool = True,
) -> IngestReport:
    """Index the whole corpus folder (`paths=None`), or add/replace `paths` on top of the live
    index. `rebuild` ignores the embedding cache. Bad files are refused, the rest indexed."""
    with ingest_lock(settings.index_root):
        if paths is None:
            files = corpus_files(settings.corpus_dir)
            return _build(settings, files, _live(settings), rebuild, progress)
        return _build(
            settings, expand_paths(paths), _live(settings), rebuild, progress, incremental=True
        )


def add_document(settings: Settings, path: Path) -> IngestReport:
    """Store one file in the corpus folder and add (or replace) it in the index.

    Raises BadDocument (and keeps neither the file nor a new version) when it cannot be read,
    so the next full ingest sees exactly what the index holds.
    """
    path = Path(path)
    with ingest_lock(settings.index_root):
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
        target = settings.corpus_dir / path.name
        copied = path.resolve() != target.resolve()
        stale = [p for p in _files_for(settings.corpus_dir, doc_id_for(path)) if p != target]
        if copied:
            tmp = target.with_name(f".{target.name}.upload")
            shutil.copyfile(path, tmp)
            backup = target.read_bytes() if target.exists() else None
            os.replace(tmp, target)
        try:
            report = _build(
                settings, [target], _live(settings), False, False, incremental=True, strict=True
            )
        except BaseException:
            if copied:
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(backup)
            raise
        for other in stale:  # same doc id in another format: the new file replaces it
            other.unlink(missing_ok=True)
        return report


def remove_document(settings: Settings, doc_id: str) -> IngestReport:
    """Take a document out of the index and its file out of the corpus folder. NotFound when the
    live index does not hold it."""
    with ingest_lock(settings.index_root):
        base = _live(settings)
        if base is None or doc_id not in base[1].get("documents", {}):
            raise NotFound(f"Không có tài liệu '{doc_id}'.", f"unknown doc_id {doc_id!r}")
        report = _build(settings, [], base, False, False, incremental=True, drop=(doc_id,))
        for path in _files_for(settings.corpus_dir, doc_id):
            path.unlink(missing_ok=True)
        return report


def _files_for(folder: Path, doc_id: str) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in corpus_files(folder) if doc_id_for(p) == doc_id]


def _live(settings: Settings) -> tuple[str, dict[str, Any]] | None:
    root = settings.index_root
    version = current_version(root)
    if version is None:
        return None
    return version, read_manifest(root / version)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress(items: Sequence[Any], enabled: bool, desc: str, unit: str) -> Iterable[Any]:
    """A tqdm bar on stderr when enabled, the plain sequence otherwise."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit)


def _build(
    settings: Settings,
    files: Sequence[Path],
    base: tuple[str, dict[str, Any]] | None,
    rebuild: bool,
    progress: bool,
    incremental: bool = False,
    strict: bool = False,
    drop: Sequence[str] = (),
) -> IngestReport:
    started = time.perf_counter()
    root = settings.index_root
    root.mkdir(parents=True, exist_ok=True)
    embedder = get_embedder(settings.embedder)

    # Parse first: nothing is written for a run that changes nothing.
    parsed: list[tuple[ParsedFile, Path, str]] = []
    refused: list[Refusal] = []
    seen: dict[str, Path] = {}
    for path in _progress(files, progress, "Đọc tài liệu", "tệp"):
        doc_id = doc_id_for(path)
        try:
            if doc_id in seen:
                raise BadDocument(
                    f"Tệp '{path.name}' trùng mã tài liệu với '{seen[doc_id].name}'.",
                    f"duplicate doc_id {doc_id!r}",
                )
            result = parse_path(path)
        except BadDocument as exc:
            if strict:
                raise
            refused.append(Refusal(str(path), exc.message))
            continue
        seen[doc_id] = path
        parsed.append((result, path, _sha256(path)))

    base_docs: dict[str, Any] = base[1].get("documents", {}) if base else {}
    if incremental and base is not None and base[1].get("schema_version") != store.SCHEMA_VERSION:
        raise IndexMissing(
            "Chỉ mục được tạo bởi phiên bản cũ. Hãy chạy `planqa ingest` cho cả kho văn bản.",
            f"live index schema {base[1].get('schema_version')} != {store.SCHEMA_VERSION}",
        )
    if incremental and base is not None and not parsed and not drop:
        return _report_for_unchanged(settings, base[0], refused, started)

    version = new_version_id()
    work = building_dir(root, version)
    work.mkdir()
    manifest_docs: dict[str, dict[str, Any]] = {}
    conn = store.connect(work / SQLITE_FILE)
    try:
        if incremental and base is not None:
            source = store.connect(root / base[0] / SQLITE_FILE, readonly=True)
            source.backup(conn)
            source.close()
            manifest_docs = {k: v for k, v in base_docs.items() if k not in drop}
            for doc_id in drop:
                store.delete_document(conn, doc_id)
        else:
            store.create_schema(conn)
        position = int(
            conn.execute("SELECT COALESCE(MAX(position), -1) FROM documents").fetchone()[0]
        )
        for result, path, sha in parsed:
            position += 1
            manifest_docs[result.doc_id] = _write_document(conn, result, path, sha, position)
        store.replace_agencies(conn, _agency_register(conn))
        conn.commit()
        rows = conn.execute(
            "SELECT c.*, d.province, d.year FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
            " ORDER BY c.rowid"
        ).fetchall()
        counts = {t: _count(conn, t) for t in ("documents", "sections", "tasks", "chunks")}
    finally:
        conn.close()

    embedded, cached = _write_vectors(settings, version, work, embedder, rows, rebuild, progress)

    manifest = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": store.SCHEMA_VERSION,
        "embedder": {
            "name": embedder.name,
            "dim": embedder.dim,
            "input_form": embedder.input_form,
        },
        "vector_store": "chroma-server" if settings.chroma_url else "chroma-embedded",
        "base_version": base[0] if (incremental and base) else None,
        "documents": dict(sorted(manifest_docs.items())),
        "counts": counts,
        "complete": True,
    }
    write_json_atomic(work / "manifest.json", manifest)
    final = root / version
    os.rename(work, final)
    switch_current(root, version)
    removed = collect_garbage(root, keep=2)
    drop_server_collections(settings, [name.removeprefix(BUILDING_PREFIX) for name in removed])

    live_before = set(base_docs) if base else set()
    return IngestReport(
        documents=counts["documents"],
        sections=counts["sections"],
        tasks=counts["tasks"],
        chunks=counts["chunks"],
        embedded=embedded,
        cached=cached,
        refused=tuple(refused),
        seconds=time.perf_counter() - started,
        version=version,
        changed=tuple(r.doc_id for r, _, _ in parsed),
        removed=tuple(sorted((live_before - set(manifest_docs)) | (set(drop) & live_before))),
    )


def _report_for_unchanged(
    settings: Settings, version: str, refused: list[Refusal], started: float
) -> IngestReport:
    conn = store.connect(settings.index_root / version / SQLITE_FILE, readonly=True)
    try:
        counts = {t: _count(conn, t) for t in ("documents", "sections", "tasks", "chunks")}
    finally:
        conn.close()
    return IngestReport(
        **counts,
        embedded=0,
        cached=0,
        refused=tuple(refused),
        seconds=time.perf_counter() - started,
        version=version,
    )


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _write_document(
    conn: sqlite3.Connection, result: ParsedFile, path: Path, sha: str, position: int
) -> dict[str, Any]:
    """Insert (or replace) one parsed file; returns its manifest entry."""
    from ingest.tokenize import segment_words

    doc = result.document
    store.delete_document(conn, result.doc_id)
    store.insert_document(conn, doc.meta, position, sha)
    store.insert_sections(conn, doc.sections)
    store.insert_tasks(conn, result.tasks)
    chunks = [
        c if c.segmented else replace(c, segmented=segment_words(c.text)) for c in result.chunks
    ]
    store.insert_chunks(conn, chunks, [lexical_forms(c) for c in chunks])
    return {
        "source_path": str(path),
        "sha256": sha,
        "sections": len(doc.sections),
        "tasks": len(result.tasks),
        "chunks": len(chunks),
    }


def _join(head: str, body: str) -> str:
    return f"{head}\n{body}" if head else body


def lexical_forms(chunk: Chunk) -> tuple[str, str, str]:
    """(words, syllables, folded) searched for a chunk: its breadcrumb line, then its text, so
    the later pieces of a split section still match the section's topic."""
    from ingest.tokenize import segment_words

    surface = _join(chunk.breadcrumb, chunk.text)
    words = _join(segment_words(chunk.breadcrumb), chunk.segmented)
    return index_form(words), index_form(surface), fold(surface)


def embedding_input(chunk: Chunk, form: str) -> str:
    """What the embedder reads for a chunk: its breadcrumb, then the text in the model's form."""
    if form == "segmented":
        from ingest.tokenize import segment_words

        return _join(segment_words(chunk.breadcrumb), chunk.segmented)
    return _join(chunk.breadcrumb, chunk.text)


def _write_vectors(
    settings: Settings,
    version: str,
    work: Path,
    embedder: Embedder,
    rows: Sequence[sqlite3.Row],
    rebuild: bool,
    progress: bool,
) -> tuple[int, int]:
    """Fill the version's Chroma collection; returns (embedded now, reused from cache)."""
    inputs = [embedding_input(store.row_to_chunk(r), embedder.input_form) for r in rows]
    keys = [cache_key(embedder.name, text) for text in inputs]
    cache = EmbeddingCache(settings.data_dir / "cache" / "embeddings.sqlite")
    try:
        known = {} if rebuild else cache.get_many(keys)
        hits = sum(1 for k in keys if k in known)
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        text_of = dict(zip(keys, inputs, strict=True))
        bar = None
        if progress and missing:
            from tqdm import tqdm

            bar = tqdm(total=len(missing), desc="Nhúng đoạn văn", unit="đoạn")
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = embedder.embed_passages([text_of[k] for k in batch])
            fresh = list(zip(batch, vectors, strict=True))
            cache.put_many(fresh)
            known.update(fresh)
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
    finally:
        cache.close()

    vectors_store = ChromaStore.create(settings, version, work)
    try:
        if rows:
            vectors_store.add(
                ids=[r["chunk_id"] for r in rows],
                embeddings=np.stack([known[k] for k in keys]),
                documents=[r["text"] for r in rows],
                metadatas=[
                    chunk_metadata(
                        r["doc_id"], r["section_path"], r["province"], r["year"], r["segmented"]
                    )
                    for r in rows
                ],
            )
    finally:
        vectors_store.close()
    return len(missing), hits


def _agency_register(conn: sqlite3.Connection) -> list[Agency]:
    """Known agencies (canonical + aliases) plus every name the tasks mention."""
    try:
        from ingest.agencies import known_agencies
    except ImportError:  # the agency register is optional; task names still form entries
        known: list[Agency] = []
    else:
        known = list(known_agencies())
    names = {c for (c,) in conn.execute("SELECT DISTINCT agency FROM task_agencies")}
    covered = {a.canonical for a in known}
    return known + [Agency(canonical=n) for n in sorted(names - covered)]


__all__ = [
    "IngestReport",
    "Refusal",
    "add_document",
    "corpus_files",
    "embedding_input",
    "expand_paths",
    "ingest",
    "remove_document",
]
