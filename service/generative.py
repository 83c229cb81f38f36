"""The optional answerer: a LangChain chat model writes the answer from numbered sources.

Retrieval and the scope/evidence gates are the extractive answerer's, so both abstain on the
same questions. The model must cite sources as [n]; citations to numbers that were not given
are dropped, and an answer with no valid citation, or one saying the documents do not say,
is an abstention. Any model error or timeout falls back to the extractive answer.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from ingest.errors import ConfigError
from ingest.protocols import Filters
from ingest.settings import Settings
from ingest.types import Citation, SearchHit
from ingest.vntext import fold
from service.citations import MAX_QUOTE, make_citation, trim_quote
from service.evidence import match_tokens, sentence_spans
from service.extractive import ExtractiveAnswerer, Gathered, abstention
from service.types import ABSTAIN_MESSAGE, Answer

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "Bạn là trợ lý trả lời câu hỏi về các kế hoạch, quyết định, chương trình của cơ quan nhà "
    "nước Việt Nam. Chỉ dùng thông tin trong các nguồn được đánh số. Trả lời ngắn gọn bằng "
    "tiếng Việt (một đến hai câu, hoặc một danh sách ngắn), giữ nguyên cách viết của văn bản "
    "cho tên cơ quan, thời hạn và số liệu. Sau mỗi ý, ghi nguồn dạng [n] (n là số của nguồn). "
    "Nếu các nguồn không nêu thông tin được hỏi, chỉ trả lời đúng câu: "
    f'"{ABSTAIN_MESSAGE}" và không ghi nguồn.'
)
MAX_SOURCES = 6
MAX_SOURCE_CHARS = 1800

_CITE = re.compile(r"\[(\s*\d+(?:\s*[,;–-]\s*\d+)*\s*)\]")
_NOT_STATED = re.compile(
    r"khong neu thong tin|khong co thong tin|khong de cap|khong duoc neu|khong neu ro|"
    r"khong tim thay thong tin|khong co du lieu|cac nguon khong neu|van ban khong neu"
)


@dataclass(frozen=True)
class Source:
    number: int
    hit: SearchHit
    doc_title: str
    section_title: str


def build_messages(question: str, sources: list[Source]) -> list[Any]:
    """System instructions plus one user message holding the numbered sources and question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    blocks = []
    for source in sources:
        chunk = source.hit.chunk
        header = f"[{source.number}] {source.doc_title} — mục {chunk.section_path}"
        if source.section_title:
            header += f" ({source.section_title})"
        blocks.append(f"{header}\n{chunk.text[:MAX_SOURCE_CHARS]}")
    user = "Nguồn:\n\n" + "\n\n".join(blocks) + f"\n\nCâu hỏi: {question}\nTrả lời:"
    return [SystemMessage(content=SYSTEM_PROMPT), HumanMessage(content=user)]


def cited_numbers(text: str) -> list[int]:
    """Source numbers cited as [n], [n, m] or [n-m], in order of first citation."""
    numbers: list[int] = []
    for match in _CITE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", match.group(1).strip()):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and all(b.isdigit() for b in bounds):
                low, high = int(bounds[0]), int(bounds[1])
                if 0 < high - low < 10:
                    numbers.extend(range(low, high + 1))
                    continue
            if part.isdigit():
                numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def says_not_stated(text: str) -> bool:
    return bool(_NOT_STATED.search(fold(text)))


def renumber_citations(text: str, mapping: dict[int, int]) -> str:
    """Rewrite [n] markers to citation positions; drop markers of unknown sources."""

    def replace(match: re.Match[str]) -> str:
        kept = [mapping[n] for n in cited_numbers(match.group()) if n in mapping]
        kept = list(dict.fromkeys(kept))
        return "[" + ", ".join(str(n) for n in kept) + "]" if kept else ""

    cleaned = _CITE.sub(replace, text)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", cleaned)
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip()


def _first_sentence(text: str) -> str:
    spans = sentence_spans(text)
    return text[spans[0][0] : spans[0][1]] if spans else text


def _claim_for(text: str, number: int) -> str:
    """The part of the answer that cites source `number` (the sentence holding its marker)."""
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if number in cited_numbers(sentence):
            return _CITE.sub(" ", sentence)
    return _CITE.sub(" ", text)


def best_quote(chunk_text: str, claim: str) -> str:
    """The run of adjacent sentences of a source that holds the claim's words: the best
    sentence, extended to neighbours while they add words of the claim and the quote stays
    short (a lead line and its "phối hợp" line are quoted together)."""
    claim_tokens = set(match_tokens(claim, folded=False))
    spans = sentence_spans(chunk_text)
    if not spans or not claim_tokens:
        return trim_quote(chunk_text)
    token_sets = [set(match_tokens(chunk_text[a:b], folded=False)) & claim_tokens for a, b in spans]
    best = max(range(len(spans)), key=lambda i: len(token_sets[i]))
    first = last = best
    covered = set(token_sets[best])
    while True:
        options = [i for i in (first - 1, last + 1) if 0 <= i < len(spans)]
        gains = [(len(token_sets[i] - covered), i) for i in options]
        gains = [(gain, i) for gain, i in gains if gain > 0]
        if not gains:
            break
        _, pick = max(gains)
        start, end = spans[min(first, pick)][0], spans[max(last, pick)][1]
        if end - start > MAX_QUOTE:
            break
        first, last = min(first, pick), max(last, pick)
        covered |= token_sets[pick]
    return trim_quote(chunk_text[spans[first][0] : spans[last][1]])


class GenerativeAnswerer:
    """Answers with a chat model over the extractive answerer's evidence; falls back to it."""

    name = "generative"

    def __init__(
        self,
        extractive: ExtractiveAnswerer,
        chat_model: Any,
        timeout_s: float = 20.0,
        max_sources: int = MAX_SOURCES,
    ) -> None:
        self.extractive = extractive
        self.chat_model = chat_model
        self.timeout_s = timeout_s
        self.max_sources = max_sources
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="planqa-llm")

    def answer(self, question: str, top_k: int = 8, filters: Filters | None = None) -> Answer:
        gathered = self.extractive.gather(question, top_k=top_k, filters=filters)
        if gathered.evidence is None:
            return self.extractive.compose(gathered)
        start = perf_counter()
        sources = self._sources(gathered)
        try:
            reply = self._invoke(build_messages(gathered.question, sources))
        except Exception as exc:  # any model failure: the extractive answer stands in
            log.warning(
                "generative answerer failed (%s: %s); extractive fallback", type(exc).__name__, exc
            )
            return self.extractive.compose(gathered)
        answer = self._to_answer(gathered, sources, reply)
        timings = dict(answer.timings_ms)
        timings["generate"] = round((perf_counter() - start) * 1000, 2)
        timings["total"] = round(timings.get("retrieve", 0.0) + timings["generate"], 2)
        return Answer(answer.answer, answer.abstained, answer.intent, answer.citations, timings)

    def _sources(self, gathered: Gathered) -> list[Source]:
        assert gathered.evidence is not None
        evidence = gathered.evidence
        sources = []
        for number, hit in enumerate(evidence.hits[: self.max_sources], start=1):
            meta = evidence.meta(hit.chunk.doc_id)
            title = hit.chunk.section_title or evidence.titles.title(
                hit.chunk.doc_id, hit.chunk.section_path
            )
            sources.append(Source(number, hit, meta.title if meta else hit.chunk.doc_id, title))
        return sources

    def _invoke(self, messages: list[Any]) -> str:
        future = self._pool.submit(self.chat_model.invoke, messages)
        try:
            message = future.result(timeout=self.timeout_s)
        except FutureTimeout as exc:
            future.cancel()
            raise TimeoutError(f"chat model did not answer within {self.timeout_s} s") from exc
        content = getattr(message, "content", message)
        if isinstance(content, list):  # content blocks
            content = "".join(
                block.get("text", "") if isinstance(block, dict) else str(block)
                for block in content
            )
        return str(content).strip()

    def _to_answer(self, gathered: Gathered, sources: list[Source], reply: str) -> Answer:
        timings = dict(gathered.timings_ms)
        by_number = {source.number: source for source in sources}
        numbers = [n for n in cited_numbers(reply) if n in by_number]
        if not reply or not numbers or says_not_stated(_first_sentence(reply)):
            return abstention(gathered.intent, timings)
        evidence = gathered.evidence
        assert evidence is not None
        citations: list[Citation] = []
        for number in numbers:
            source = by_number[number]
            chunk = source.hit.chunk
            quote = best_quote(chunk.text, _claim_for(reply, number))
            citations.append(
                make_citation(
                    evidence.meta(chunk.doc_id),
                    chunk.doc_id,
                    chunk.section_path,
                    source.section_title,
                    quote,
                    chunk_id=chunk.chunk_id,
                    score=source.hit.score,
                )
            )
        mapping = {number: position for position, number in enumerate(numbers, start=1)}
        text = renumber_citations(reply, mapping)
        return Answer(text, False, gathered.intent, tuple(citations), timings)


def build_chat_model(settings: Settings) -> Any:
    """A LangChain chat model for the configured endpoint: Ollama when the URL or model says
    so (port 11434, "ollama" in the URL, model "ollama:<name>"), else OpenAI-compatible."""
    model = (settings.llm_model or "").strip()
    base_url = (settings.llm_base_url or "").strip() or None
    if not model:
        raise ConfigError(
            "Chưa cấu hình mô hình ngôn ngữ (PLANQA_LLM_MODEL).",
            "PLANQA_LLM_BASE_URL is set but PLANQA_LLM_MODEL is not",
        )
    use_ollama = model.startswith("ollama:") or (
        base_url is not None and ("11434" in base_url or "ollama" in base_url.lower())
    )
    model = model.removeprefix("ollama:")
    try:
        if use_ollama:
            from langchain_ollama import ChatOllama

            kwargs: dict[str, Any] = {"model": model, "temperature": 0}
            if base_url:
                kwargs["base_url"] = base_url
            kwargs["client_kwargs"] = {"timeout": settings.llm_timeout_s}
            return ChatOllama(**kwargs)
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=settings.llm_api_key or "not-needed",
            timeout=settings.llm_timeout_s,
            max_retries=0,
            temperature=0,
        )
    except ImportError as exc:
        raise ConfigError(
            "Chưa cài thư viện cho mô hình ngôn ngữ: pip install 'planqa[llm]'.", str(exc)
        ) from exc


__all__ = [
    "GenerativeAnswerer",
    "SYSTEM_PROMPT",
    "build_chat_model",
    "build_messages",
    "cited_numbers",
    "renumber_citations",
    "says_not_stated",
]
