"""Ingest benchmark: cold ingest (empty data dir, empty embedding cache), warm re-ingest of the
unchanged corpus (everything from the cache), and the embedder's raw throughput."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest.settings import Settings

QUICK_FILES = 1  # the smallest corpus file
THROUGHPUT_SAMPLE = 48
QUICK_THROUGHPUT_SAMPLE = 8


def run(settings: Settings, quick: bool = False) -> dict[str, Any]:
    from ingest.embed import count_tokens, get_embedder
    from ingest.index import open_index
    from ingest.pipeline import corpus_files, embedding_input, ingest

    files = corpus_files(settings.corpus_dir)
    if quick:
        files = sorted(files, key=lambda p: p.stat().st_size)[:QUICK_FILES]
    with tempfile.TemporaryDirectory(prefix="planqa-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in files:
            shutil.copy2(path, corpus / path.name)
        # Embedded Chroma in a throw-away folder: a server would keep the bench's collections.
        bench = settings.model_copy(
            update={"data_dir": Path(tmp) / "data", "corpus_dir": corpus, "chroma_url": None}
        )
        cold = ingest(bench, progress=False)
        warm = ingest(bench, progress=False)

        embedder = get_embedder(bench.embedder)
        index = open_index(bench)
        sample_size = QUICK_THROUGHPUT_SAMPLE if quick else THROUGHPUT_SAMPLE
        chunks = index.chunks(index.chunk_ids()[:sample_size])
        texts = [embedding_input(c, embedder.input_form) for c in chunks]
        started = time.perf_counter()
        embedder.embed_passages(texts)
        embed_seconds = time.perf_counter() - started
        tokens = count_tokens(embedder, texts)

    return {
        "embedder": embedder.name,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "documents": cold.documents,
        "chunks": cold.chunks,
        "tasks": cold.tasks,
        "cold_seconds": round(cold.seconds, 3),
        "cold_embedded": cold.embedded,
        "warm_seconds": round(warm.seconds, 3),
        "warm_embedded": warm.embedded,
        "warm_cached": warm.cached,
        "throughput_passages": len(texts),
        "throughput_tokens": tokens,
        "tokens_per_second": round(tokens / embed_seconds, 1) if embed_seconds else None,
        "passages_per_second": round(len(texts) / embed_seconds, 2) if embed_seconds else None,
    }


def render(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"embedder: {result['embedder']}  corpus: {result['files']} files, "
            f"{result['bytes']} bytes, {result['chunks']} chunks",
            f"cold ingest: {result['cold_seconds']:.2f} s ({result['cold_embedded']} embedded)",
            f"warm ingest: {result['warm_seconds']:.2f} s ({result['warm_embedded']} embedded, "
            f"{result['warm_cached']} from cache)",
            f"embedder throughput: {result['tokens_per_second']} tokens/s, "
            f"{result['passages_per_second']} passages/s "
            f"({result['throughput_passages']} passages, {result['throughput_tokens']} tokens)",
        ]
    )
