"""The default answerer: retrieve, check the question is in scope and well covered, then quote
the plan — offline, deterministic, and fast (no model besides the query embedding).

It abstains rather than guess: when the question names a province, year or document number
the corpus does not hold, when the retrieved passages cover too little of the question, or
when no passage states the kind of fact asked for (a time, an agency, a figure).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter

from ingest.errors import BadRequest
from ingest.protocols import Filters, IndexReader
from ingest.types import DocumentMeta, SearchHit, Task
from ingest.vntext import fold
from retriever.hybrid import HybridRetriever
from retriever.query import NormalizedQuery, expand_abbreviations
from retriever.rerank import Reranker
from retriever.scope import names_plan
from service.citations import SectionTitles
from service.compose import (
    Composition,
    Evidence,
    compose_comparison,
    compose_deadline,
    compose_general,
    compose_metadata,
    compose_responsibility,
    compose_target,
    metadata_field,
)
from service.evidence import TermStats, evidence_strength
from service.gating import ask_coverage, comparison_coverage, figure_coverage
from service.intent import also_asks_who, asks_figure, detect_intent, secondary_intent
from service.scope import missing_agency, question_scope
from service.types import ABSTAIN_MESSAGE, Answer

log = logging.getLogger(__name__)

# Below this share of the question's (IDF-weighted) words in the best hits, abstain.
MIN_STRENGTH = 0.55
# A "bao nhiêu" question needs a clause stating a figure that holds this share of what it asks.
# Odd-id calibration: unanswerable up to 0.16, answerable from 0.34 up; 0.25 splits the gap.
MIN_FIGURE_COVERAGE = 0.25
MAX_QUESTION_CHARS = 2000
# A comparison searches each of at most this many plans for this many hits; when the question
# names fewer than two plans, candidates come from the top of this many hits.
COMPARISON_DOCUMENTS = 5
COMPARISON_HITS = 5
COMPARISON_POOL = 12
COMPARISON_SLACK = 0.1

IndexSource = IndexReader | Callable[[], IndexReader]


class _IndexState:
    """Per-index caches: the retriever, term statistics, section titles, tasks, metadata."""

    def __init__(self, index: IndexReader, mode: str, reranker: Reranker | None) -> None:
        self.index = index
        self.retriever = HybridRetriever(index, mode=mode, reranker=reranker)
        self.titles = SectionTitles(index)
        self._stats: TermStats | None = None
        self._tasks: dict[str, list[Task]] = {}
        self._documents: dict[str, DocumentMeta] | None = None
        self._folded: dict[str, str] = {}

    @property
    def stats(self) -> TermStats:
        if self._stats is None:
            self._stats = TermStats.build(self.index)
        return self._stats

    @property
    def documents(self) -> dict[str, DocumentMeta]:
        if self._documents is None:
            self._documents = {meta.doc_id: meta for meta in self.index.documents()}
        return self._documents

    def folded_text(self, doc_id: str) -> str:
        """A document's title and sections, folded, spaces collapsed, abbreviations also
        spelt out: what a named agency is looked up in."""
        if doc_id not in self._folded:
            meta = self.documents.get(doc_id)
            parts = [meta.title if meta else ""]
            parts += [f"{s.title}\n{s.text}" for s in self.index.sections(doc_id)]
            text = "\n".join(parts)
            expanded, _ = expand_abbreviations(text)
            self._folded[doc_id] = " ".join(fold(f"{text}\n{expanded}").split())
        return self._folded[doc_id]

    def tasks_of(self, doc_id: str) -> list[Task]:
        if doc_id not in self._tasks:
            self._tasks[doc_id] = self.index.tasks(doc_id=doc_id)
        return self._tasks[doc_id]


@dataclass
class Gathered:
    """A question after retrieval and gating: either evidence to compose from, or a reason
    to abstain."""

    question: str
    query: NormalizedQuery
    intent: str
    evidence: Evidence | None
    abstain_reason: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    strength: float | None = None


class ExtractiveAnswerer:
    """`answer(question, top_k, filters)` → `Answer` quoting the plans, or an abstention."""

    name = "extractive"

    def __init__(
        self,
        index: IndexSource,
        mode: str = "hybrid",
        reranker: Reranker | None = None,
        min_strength: float = MIN_STRENGTH,
    ) -> None:
        self._source = index
        self.mode = mode
        self.reranker = reranker
        self.min_strength = min_strength
        self._state: _IndexState | None = None

    def _index_state(self) -> _IndexState:
        source = self._source
        index = source() if callable(source) and not hasattr(source, "lexical_search") else source
        if self._state is None or self._state.index is not index:
            self._state = _IndexState(index, self.mode, self.reranker)  # type: ignore[arg-type]
        return self._state

    def warm_up(self) -> None:
        """Load the tokenizer, the embedder and the term statistics before the first user."""
        state = self._index_state()
        _ = state.stats
        for doc_id in state.documents:
            state.folded_text(doc_id)
        state.retriever.search("kế hoạch phòng, chống tội phạm", k=1)

    def answer(self, question: str, top_k: int = 8, filters: Filters | None = None) -> Answer:
        gathered = self.gather(question, top_k=top_k, filters=filters)
        return self.compose(gathered)

    def gather(self, question: str, top_k: int = 8, filters: Filters | None = None) -> Gathered:
        """Normalise, retrieve and gate; shared with the generative answerer."""
        start = perf_counter()
        question = (question or "").strip()
        if not question:
            raise BadRequest("Câu hỏi trống.", "empty question")
        if len(question) > MAX_QUESTION_CHARS:
            raise BadRequest(
                f"Câu hỏi quá dài (tối đa {MAX_QUESTION_CHARS} ký tự).", "question too long"
            )
        state = self._index_state()
        query = state.retriever.typed_query(question)
        intent = detect_intent(question)
        hits = state.retriever.search_normalized(query, k=max(top_k, 10), filters=filters)
        retrieved = perf_counter()
        timings = {"retrieve": (retrieved - start) * 1000}
        gathered = Gathered(question, query, intent, None, timings_ms=timings)

        if not hits:
            gathered.abstain_reason = "no hits"
            return gathered
        scope = question_scope(
            query, list(state.documents.values()), hits, compares=intent == "comparison"
        )
        if not scope.ok:
            gathered.abstain_reason = scope.problem
            return gathered
        agency = missing_agency(
            query.dense_text, [state.folded_text(doc_id) for doc_id in sorted(scope.doc_ids)]
        )
        if agency:
            gathered.abstain_reason = f"agency not in the documents: {agency}"
            return gathered
        in_scope = [hit for hit in hits if hit.chunk.doc_id in scope.doc_ids]
        if intent == "comparison":
            in_scope = comparison_hits(state.retriever, query, scope.doc_ids, hits, state.documents)
        if not in_scope:
            gathered.abstain_reason = "no hit in the documents the question names"
            return gathered
        # Accentless questions are scored in their restored form: folded syllables collide
        # (toi = tôi/tội, luong = lương/lượng) and would make any passage look relevant.
        scoring = state.retriever.restored_query(query) or query
        strength = gate_strength(scoring, in_scope, state.stats, state.documents, intent)
        gathered.strength = round(strength, 3)
        # A comparison names every plan it compares at length, so less of it is the topic;
        # each plan's own answer is gated again when composed.
        floor = self.min_strength - (COMPARISON_SLACK if intent == "comparison" else 0.0)
        if strength < floor:
            gathered.abstain_reason = f"weak evidence ({strength:.2f})"
            return gathered
        if intent == "target" and asks_figure(question):
            figures = figure_coverage(scoring, in_scope, state.stats, state.documents)
            if figures < MIN_FIGURE_COVERAGE:
                gathered.abstain_reason = f"no figure on the topic asked ({figures:.2f})"
                return gathered
        gathered.evidence = Evidence(
            question=question,
            query=scoring,
            intent=intent,
            # a comparison reads its turns of every plan, not the first plans' only
            hits=in_scope if intent == "comparison" else in_scope[: max(top_k, 1)],
            index=state.index,
            stats=state.stats,
            titles=state.titles,
            documents=state.documents,
            tasks_of=state.tasks_of,
        )
        return gathered

    def compose(self, gathered: Gathered) -> Answer:
        start = perf_counter()
        composition: Composition | None = None
        if gathered.evidence is not None:
            composition = _compose(gathered.evidence)
            if composition is None:
                gathered.abstain_reason = "no passage states the fact asked for"
        timings = dict(gathered.timings_ms)
        timings["answer"] = (perf_counter() - start) * 1000
        timings["total"] = timings["retrieve"] + timings["answer"]
        timings = {k: round(v, 2) for k, v in timings.items()}
        if composition is None:
            log.info("abstain: %s | %s", gathered.abstain_reason, gathered.question)
            return abstention(gathered.intent, timings, gathered)
        return Answer(
            answer=composition.text,
            abstained=False,
            intent=gathered.intent,
            citations=composition.citations,
            timings_ms=timings,
            evidence_strength=gathered.strength,
        )


def comparison_hits(
    retriever: HybridRetriever,
    query: NormalizedQuery,
    scope: frozenset[str],
    hits: list[SearchHit],
    documents: dict[str, DocumentMeta],
) -> list[SearchHit]:
    """A comparison asks the same thing of several plans, and one plan's passages may fill the
    whole top k: search each candidate plan on its own and take turns."""
    ranked = [hit.chunk.doc_id for hit in hits[:COMPARISON_POOL]]
    # The plans in scope first; a question may name one plan by province or year and the
    # other by its number or the one it implements ("Chương trình thực hiện KL 13 và kế
    # hoạch năm 2024 của Hải Dương"), then the plans of the top hits.
    numbered = [
        doc_id
        for doc_id, meta in documents.items()
        for ref in query.doc_refs
        if names_plan(meta, ref)
    ]
    candidates = list(dict.fromkeys(sorted(scope) + numbered + ranked))[:COMPARISON_DOCUMENTS]
    # One search over the candidates, then a search of its own for a plan left out of it.
    wide = retriever.search_normalized(
        query, k=COMPARISON_HITS * len(candidates) * 2, filters=Filters(doc_ids=tuple(candidates))
    )
    per_document = []
    for doc in candidates:
        own = [hit for hit in wide if hit.chunk.doc_id == doc][:COMPARISON_HITS]
        if not own:
            own = retriever.search_normalized(
                query, k=COMPARISON_HITS, filters=Filters(doc_ids=(doc,))
            )
        per_document.append(own)
    turns = [
        doc_hits[i]
        for i in range(COMPARISON_HITS)
        for doc_hits in per_document
        if i < len(doc_hits)
    ]
    return turns


def gate_strength(
    query: NormalizedQuery,
    hits: list[SearchHit],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    intent: str = "general",
) -> float:
    """The better of two coverage readings: the whole question against the top 3 hits with
    their document metadata, and what the question asks beyond naming its document against
    the top 8 (typo-tolerant; a comparison reads one passage per plan together). Either one
    holding the question is enough to answer."""
    whole = evidence_strength(query, hits, stats, documents)
    asked = (comparison_coverage if intent == "comparison" else ask_coverage)(
        query, hits, stats, documents
    )
    return max(whole, asked)


def abstention(
    intent: str, timings: dict[str, float] | None = None, gathered: Gathered | None = None
) -> Answer:
    return Answer(
        ABSTAIN_MESSAGE,
        abstained=True,
        intent=intent,
        timings_ms=timings or {},
        evidence_strength=gathered.strength if gathered else None,
        abstain_reason=gathered.abstain_reason if gathered else "",
    )


def _compose(evidence: Evidence) -> Composition | None:
    intent = evidence.intent
    if intent == "deadline":
        when = compose_deadline(evidence)
        if when is not None and also_asks_who(evidence.question):
            return _with_roles(when, compose_responsibility(evidence))
        return when
    if intent == "responsibility":
        return compose_responsibility(evidence)
    if intent == "target":
        composed = compose_target(evidence)
        if composed is None and not asks_figure(evidence.question):
            composed = compose_general(evidence)  # a requirement stated in words
        return composed
    if intent == "metadata":
        # A header field, or the plans a named person signed; else what the text states.
        composed = compose_metadata(evidence)
        if composed is None and not metadata_field(evidence.question):
            composed = compose_general(evidence)
        return composed
    if intent == "comparison":
        return compose_comparison(evidence, secondary_intent(evidence.question))
    return compose_general(evidence)


def _with_roles(when: Composition, who: Composition | None) -> Composition:
    """The deadline answer followed by who carries the same task out, when the roles come
    from the section the deadline was read from (or one holding it)."""
    if who is None or not when.citations or not who.citations:
        return when
    first, second = when.citations[0], who.citations[0]
    same_task = first.doc_id == second.doc_id and (
        first.section_path.startswith(second.section_path)
        or second.section_path.startswith(first.section_path)
    )
    if not same_task or fold(who.text) in fold(when.text):
        return when
    citations = when.citations + tuple(c for c in who.citations if c not in when.citations)
    if fold(first.quote.strip(" .;,*()")) in fold(who.text):
        # "(Sở ... chủ trì, phối hợp ...; thời hạn trình ...: tại Kỳ họp ...)" says both.
        return Composition(who.text, who.citations, when.score)
    return Composition(f"{when.text} {who.text}", citations, when.score)


__all__ = ["ExtractiveAnswerer", "Gathered", "MIN_STRENGTH", "abstention", "gate_strength"]
