"""Hybrid retrieval: BM25 on the right lexical form + dense e5, fused by reciprocal rank.

Accented questions are matched on underthesea words and canonical-tone syllables; questions
typed without accents on the folded form (folding makes words collide, so it is the fallback,
not the default), helped at lower weight by the question with its diacritics restored from the
corpus, which is also what the dense encoder sees (e5 is weak on accentless Vietnamese).

Questions name their document at length ("Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng
Tháp ...") and those rare words all sit in the preamble, so the question is searched a second
time without them, within the documents it names ("topic" rankings, weighted higher); a
province, year or document number named also boosts matching documents. Both are soft: hard
restrictions come only from `filters`. Repeated chunks of one section are spread out.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from ingest.protocols import Filters, IndexReader
from ingest.types import DocumentMeta, SearchHit
from ingest.vntext import fold
from retriever.concurrent import Search, run_searches
from retriever.fusion import reciprocal_rank_fusion
from retriever.query import STOP_PHRASES, NormalizedQuery, folded_variants, normalize_query
from retriever.rerank import Reranker
from retriever.restore import QUESTION_PHRASE_WEIGHT, QUESTION_PHRASES, DiacriticRestorer
from retriever.scope import document_province, document_years, names_some_plan, number_matches

MODES = ("hybrid", "lexical", "dense")

# RRF weights per ranking; measured on the corpus questions in tests/test_retriever.py.
ACCENTED_WEIGHTS = {"words": 1.0, "syllables": 1.0, "dense": 1.0}
# Accentless: the folded form carries the query; the question with its diacritics restored
# from the corpus (retriever.restore) adds lexical and dense evidence at lower weight.
ACCENTLESS_WEIGHTS = {"folded": 1.0, "words": 0.5, "syllables": 0.5, "dense": 0.8}
# Multipliers on the fused score when a hit's document is the one the question points at.
PROVINCE_BOOST = 1.3
YEAR_BOOST = 1.15
NUMBER_BOOST = 1.5
DOC_TYPE_BOOST = 1.1
# Weight of the "topic" rankings: the lexical query without the words that only name the
# document ("Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp"). Those words are rare in
# the corpus and concentrate in the preamble, so on their own they pull every question about
# a document to its opening lines instead of the section that answers it.
TOPIC_WEIGHT = 2.0
# A document counts as named when its naming words cover at least this share of the best
# document's coverage of the question.
NAMED_SHARE = 0.6
MIN_NAMING_TERMS = 2
# A question whose naming words fit more plans than this names none of them in particular
# (many provinces' plans share a title): it keeps only the plans that fit best, and when even
# those are too many its words are searched as its topic, over all plans. The topic search
# within named plans costs as much as those plans have matching chunks.
MAX_NAMED_DOCUMENTS = 10
# Multiplier on the fused score of the 2nd, 3rd, ... chunk of one section, so that one long
# section does not fill the top of the list with its own pieces.
REPEAT_PENALTY = 0.85
TOPIC_DENSE = True
# The dense ranking over all documents also uses the topic text when there is one, so a
# question is embedded once: on the 231-question set this halves an answer's CPU (108 -> 58 ms)
# for one point of answer accuracy (87.6% -> 86.6%) and half a point of Hit@5 (docs/BENCH.md).
DENSE_FROM_TOPIC = True
DENSE_CACHE_SIZE = 512
RRF_K = 60
# A question with accents whose bare syllables the plans only print with marks, this many or
# more, is read as typed without accents (one such syllable is a typo).
HALF_ACCENTED_MIN = 2
_WORD = re.compile(r"[^\W\d_]+")


class HybridRetriever:
    """`search(query, k, filters)` over any `IndexReader`; mode is hybrid, lexical or dense."""

    def __init__(
        self,
        index: IndexReader,
        mode: str = "hybrid",
        reranker: Reranker | None = None,
        candidates: int = 40,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {MODES}")
        self.index = index
        self.mode = mode
        self.reranker = reranker
        self.candidates = candidates
        self._documents: dict[str, DocumentMeta] = {}
        self._dense_cache: OrderedDict[tuple, list[tuple[str, float]]] = OrderedDict()
        self._cache_lock = threading.Lock()  # requests and their searches share the caches
        self._restorer: DiacriticRestorer | None = None
        self._restored: OrderedDict[str, NormalizedQuery] = OrderedDict()
        self._naming: dict[str, frozenset[str]] | None = None
        self._pairs: dict[str, frozenset[str]] | None = None

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchHit]:
        return self.search_normalized(self.typed_query(query), k=k, filters=filters)

    def typed_query(self, question: str) -> NormalizedQuery:
        """The question normalised as typed. One typed partly without accents ("Kế hoạch năm
        2024 đặt tỷ lệ dieu tra kham pha bao nhieu") is read as typed without any: its bare
        syllables would match nothing in accented form, and the accentless path restores them."""
        query = normalize_query(question)
        if query.has_diacritics and self._bare_syllables(query) >= HALF_ACCENTED_MIN:
            return normalize_query(fold(question))
        return query

    def _bare_syllables(self, query: NormalizedQuery) -> int:
        """Syllables typed without marks that the plans only ever print with them."""
        restorer = self._diacritic_restorer()
        return sum(
            1
            for syllable in _WORD.findall(query.index_text)
            if syllable not in restorer.unigrams
            and fold(syllable) == syllable
            and syllable in restorer.candidates
        )

    def search_normalized(
        self, query: NormalizedQuery, k: int = 10, filters: Filters | None = None
    ) -> list[SearchHit]:
        """Search with an already normalised query (the answerers normalise once)."""
        if k <= 0:
            return []
        filters = filters if filters is not None and not filters.is_empty() else None
        depth = max(self.candidates, 3 * k)
        rankings = self._rankings(query, depth, filters)
        if not rankings:
            return []
        names = list(rankings)
        weights_table = ACCENTED_WEIGHTS if query.has_diacritics else ACCENTLESS_WEIGHTS
        fused = reciprocal_rank_fusion(
            [[cid for cid, _ in rankings[name]] for name in names],
            k=RRF_K,
            weights=[_weight(weights_table, name) for name in names],
        )
        boosted = [(cid, score * self._boost(cid, query)) for cid, score in fused]
        boosted.sort(key=lambda pair: pair[1], reverse=True)
        boosted = _spread_sections(boosted[: max(depth, k)], self._section_of)
        keep = depth if self.reranker is not None else k
        top = boosted[:keep]
        chunks = {chunk.chunk_id: chunk for chunk in self.index.chunks([cid for cid, _ in top])}
        details = _details(rankings)
        hits = [
            SearchHit(chunk=chunks[cid], score=score, sources=details.get(cid, {}))
            for cid, score in top
            if cid in chunks
        ]
        if self.reranker is not None:
            hits = self.reranker.rerank(query.text, hits, k)
        return hits[:k]

    def document_meta(self, doc_id: str) -> DocumentMeta | None:
        """Cached document metadata (refreshed when an unknown document shows up)."""
        if doc_id not in self._documents:
            self._documents = {meta.doc_id: meta for meta in self.index.documents()}
        return self._documents.get(doc_id)

    def restored_query(self, query: NormalizedQuery) -> NormalizedQuery | None:
        """The accentless question with diacritics restored from the corpus (None when the
        question has its accents). Province, year and document named stay the original's."""
        if query.has_diacritics or not query.folded.strip():
            return None
        with self._cache_lock:
            if query.folded in self._restored:
                return self._restored[query.folded]
        restored = normalize_query(self._diacritic_restorer().restore_text(query.folded))
        restored = replace(
            restored,
            raw=query.raw,
            provinces=query.provinces,
            years=query.years,
            period_years=query.period_years,
            doc_refs=query.doc_refs,
            doc_types=query.doc_types,
            abbreviations=query.abbreviations,
        )
        with self._cache_lock:
            self._restored[query.folded] = restored
            if len(self._restored) > DENSE_CACHE_SIZE:
                self._restored.popitem(last=False)
        return restored

    def _diacritic_restorer(self) -> DiacriticRestorer:
        if self._restorer is None:
            # question words: "nao" → "nào", "bao nhieu" → "bao nhiêu", "de cap" → "đề cập"
            texts = list(STOP_PHRASES) + list(QUESTION_PHRASES) * QUESTION_PHRASE_WEIGHT
            for meta in self.index.documents():
                texts += [meta.title, meta.issuer, meta.signer, meta.signer_title]
                texts.extend(f"{sec.title}\n{sec.text}" for sec in self.index.sections(meta.doc_id))
            self._restorer = DiacriticRestorer.from_texts(texts)
        return self._restorer

    def _rankings(
        self, query: NormalizedQuery, depth: int, filters: Filters | None
    ) -> dict[str, list[tuple[str, float]]]:
        searches: dict[str, Search] = {}
        accented = query if query.has_diacritics else self.restored_query(query)
        if self.mode in ("hybrid", "lexical"):
            if not query.has_diacritics and query.folded_syllables:
                terms = folded_variants(query.folded_syllables)
                searches["folded"] = self._lexical(terms, "folded", depth, filters)
            if accented is not None and accented.words:
                searches["words"] = self._lexical(accented.words, "words", depth, filters)
            if accented is not None and accented.syllables:
                searches["syllables"] = self._lexical(
                    accented.syllables, "syllables", depth, filters
                )
        topic_text = ""
        if self.mode in ("hybrid", "lexical") and TOPIC_WEIGHT > 0:
            topic, topic_text = self._topic_searches(query, accented, depth, filters)
            searches.update(topic)
        dense_text = (accented or query).dense_text
        if topic_text and DENSE_FROM_TOPIC:
            # One embedding per question (it is most of an answer's CPU): the topic, the
            # question without the words naming its plan, also searches everywhere.
            dense_text = topic_text
        if self.mode in ("hybrid", "dense") and dense_text.strip():
            searches["dense"] = lambda: self._dense(dense_text, depth, filters)
        rankings = run_searches(searches)
        return {name: ranking for name, ranking in rankings.items() if ranking}

    def _lexical(
        self, terms: list[str] | tuple[str, ...], field: str, depth: int, filters: Filters | None
    ) -> Search:
        return lambda: self.index.lexical_search(terms, field, depth, filters)  # type: ignore[arg-type]

    def _topic_searches(
        self,
        query: NormalizedQuery,
        accented: NormalizedQuery | None,
        depth: int,
        filters: Filters | None,
    ) -> tuple[dict[str, Search], str]:
        """Searches for the question minus the words naming the document it is about, within
        the documents it names; and that topic text when it is searched densely."""
        naming, named = self.named_documents(query)
        if not naming:
            return {}, ""
        searchable, scope = _narrow(filters, named, len(self._naming_table()))
        if not searchable:
            return {}, ""
        out: dict[str, Search] = {}
        topic_text = ""

        def search(name: str, terms: list[str], full: tuple[str, ...], field: str) -> None:
            if terms and len(terms) < len(full):
                out[name] = self._lexical(terms, field, depth, scope)

        if not query.has_diacritics:
            kept = [s for s in query.folded_syllables if s not in naming]
            search("topic_folded", kept, query.folded_syllables, "folded")
        if accented is not None:
            words = [w for w in accented.words if not _named(w, naming)]
            search("topic_words", words, accented.words, "words")
            syllables = [s for s in accented.syllables if fold(s) not in naming]
            search("topic_syllables", syllables, accented.syllables, "syllables")
        if TOPIC_DENSE and self.mode == "hybrid":
            tokens = (accented or query).dense_text.split()
            kept_text = " ".join(t for t in tokens if fold(_strip(t)) not in naming)
            if kept_text.strip() and len(kept_text) < len(" ".join(tokens)):
                out["topic_dense"] = lambda: self._dense(kept_text, depth, scope)
                topic_text = kept_text
        return out, topic_text

    def named_documents(self, query: NormalizedQuery) -> tuple[frozenset[str], tuple[str, ...]]:
        """The documents a question points at and the (folded) words it names them by.

        A document's naming words are its type, title, number, issuer and province; each word
        the question shares with them counts by how few documents share it, and the documents
        scoring near the best are named. Words are compared with their accents (restored for an
        accentless question: folded, "trì" and "trị" collide), and at least MIN_NAMING_TERMS
        words that not every document shares are needed, so a question naming no document
        names none; nor does one that fits more than MAX_NAMED_DOCUMENTS equally well."""
        table = self._naming_table()
        if self._names_outside_document(query):
            return frozenset(), ()
        accented = query if query.has_diacritics else self.restored_query(query)
        asked = {_naming_key(s) for s in (accented or query).syllables}
        asked |= {s for s in query.folded_syllables if _has_digit(s)}
        if not table or not asked:
            return frozenset(), ()
        df: dict[str, int] = {}
        for terms in table.values():
            for term in terms & asked:
                df[term] = df.get(term, 0) + 1
        n = len(table)
        scores = {
            doc_id: sum(math.log(1 + n / df[t]) for t in table[doc_id] & asked)
            for doc_id in self._consistent_documents(query, table)
        }
        best_doc = max(scores, key=lambda doc_id: scores[doc_id])
        distinctive = [t for t in table[best_doc] & asked if df[t] < n]
        by_code = any(_has_digit(t) for t in distinctive)  # "2224/qđ-ubnd", "09-nq/tu"
        phrase = by_code or self._names_a_phrase(accented or query, best_doc)
        # Title words alone are often the topic ("phòng, chống mua bán người" is a plan's title
        # and a subject of several plans): a question names a plan only when it also refers to
        # one — a document type, number, province or year.
        refers = query.doc_types or query.doc_refs or query.provinces or query.years or by_code
        if len(distinctive) < MIN_NAMING_TERMS or not phrase or not refers:
            return frozenset(), ()
        best = scores[best_doc]
        named = tuple(doc_id for doc_id, score in scores.items() if score >= NAMED_SHARE * best)
        if len(named) > MAX_NAMED_DOCUMENTS:
            named = tuple(doc_id for doc_id in named if scores[doc_id] >= best - 1e-9)
        if len(named) > MAX_NAMED_DOCUMENTS:
            return frozenset(), ()
        matched = frozenset().union(*(table[doc_id] for doc_id in named)) & asked
        return frozenset(fold(t) for t in matched), named

    def _names_outside_document(self, query: NormalizedQuery) -> bool:
        """The question names a document by a number no plan here has or implements ("theo
        Nghị quyết 29-NQ/TU", cited inside one plan) and names no province or year: its words
        "Nghị quyết" are that document's, not a name of the plans whose titles hold them."""
        if not query.doc_refs or query.provinces or query.document_years:
            return False
        documents = [self.document_meta(doc_id) for doc_id in self._naming_table()]
        known = [meta for meta in documents if meta is not None]
        return not any(names_some_plan(known, ref) for ref in query.doc_refs)

    def _consistent_documents(
        self, query: NormalizedQuery, table: dict[str, frozenset[str]]
    ) -> list[str]:
        """The documents of the province and year the question names (all when it names
        none, or none fits): "… nêu trong kế hoạch năm 2024 của Hải Dương" is not another
        province's plan whose long title shares more of the question's words."""
        doc_ids = list(table)
        if query.provinces:
            doc_ids = [d for d in doc_ids if self._province_of(d) in query.provinces] or doc_ids
        years = set(query.document_years)
        # With several provinces named, a year may name just one of their plans.
        if years and len(query.provinces) < 2:
            doc_ids = [d for d in doc_ids if self._years_of(d) & years] or doc_ids
        return doc_ids

    def _province_of(self, doc_id: str) -> str | None:
        meta = self.document_meta(doc_id)
        return document_province(meta) if meta else None

    def _years_of(self, doc_id: str) -> frozenset[int]:
        meta = self.document_meta(doc_id)
        return document_years(meta) if meta else frozenset()

    def _names_a_phrase(self, query: NormalizedQuery, doc_id: str) -> bool:
        """True when the question shares with the document's naming text an adjacent pair of
        syllables that not every document has ("hải dương", "mua bán"): single syllables
        collide ("hải" of "hải sản" is not Hải Dương, "khai" of "khai thác" not "triển khai")."""
        pairs = self._naming_pairs()
        asked = _pairs([_naming_key(s) for s in query.syllables])
        common = frozenset.intersection(*pairs.values()) if pairs else frozenset()
        return bool((pairs.get(doc_id, frozenset()) & asked) - common)

    def _naming_pairs(self) -> dict[str, frozenset[str]]:
        if self._pairs is None:
            from ingest.tokenize import syllables

            self._pairs = {
                meta.doc_id: frozenset().union(
                    *(
                        _pairs([_naming_key(s) for s in syllables(field)])
                        for field in (
                            meta.doc_type,
                            meta.title,
                            meta.number,
                            meta.issuer,
                            meta.province,
                        )
                    )
                )
                for meta in self.index.documents()
            }
        return self._pairs

    def _naming_table(self) -> dict[str, frozenset[str]]:
        if self._naming is None:
            from ingest.tokenize import syllables

            self._naming = {
                meta.doc_id: frozenset(
                    _naming_key(s)
                    for s in syllables(
                        " ".join(
                            [meta.doc_type, meta.title, meta.number, meta.issuer, meta.province]
                        )
                    )
                )
                for meta in self.index.documents()
            }
        return self._naming

    @staticmethod
    def _section_of(chunk_id: str) -> str:
        """The section key of a chunk id (`doc_id:path:n` → `doc_id:path`)."""
        return chunk_id.rsplit(":", 1)[0] if chunk_id.count(":") >= 2 else chunk_id

    def _dense(self, text: str, depth: int, filters: Filters | None) -> list[tuple[str, float]]:
        """Dense search with a small LRU: embedding the query is the slowest step, and the
        evaluation asks each question once per configuration."""
        key = (text, depth, filters)
        with self._cache_lock:
            if key in self._dense_cache:
                self._dense_cache.move_to_end(key)
                return self._dense_cache[key]
        result = self.index.dense_search(text, depth, filters)
        with self._cache_lock:
            self._dense_cache[key] = result
            if len(self._dense_cache) > DENSE_CACHE_SIZE:
                self._dense_cache.popitem(last=False)
        return result

    def _boost(self, chunk_id: str, query: NormalizedQuery) -> float:
        if not (query.provinces or query.years or query.doc_refs or query.doc_types):
            return 1.0
        meta = self.document_meta(chunk_id.split(":", 1)[0])
        if meta is None:
            return 1.0
        boost = 1.0
        if query.provinces and document_province(meta) in query.provinces:
            boost *= PROVINCE_BOOST
        if query.years and document_years(meta) & set(query.years):
            boost *= YEAR_BOOST
        if any(number_matches(meta, ref) for ref in query.doc_refs):
            boost *= NUMBER_BOOST
        if meta.doc_type and meta.doc_type in query.doc_types:
            boost *= DOC_TYPE_BOOST
        return boost


def _narrow(
    filters: Filters | None, named: tuple[str, ...], total: int
) -> tuple[bool, Filters | None]:
    """`filters` further restricted to the named documents (unchanged when all are named),
    and False when that leaves nothing to search."""
    if len(named) >= total:
        return True, filters
    if filters is None:
        return True, Filters(doc_ids=named)
    doc_ids = tuple(d for d in named if not filters.doc_ids or d in filters.doc_ids)
    if not doc_ids:
        return False, None
    return True, replace(filters, doc_ids=doc_ids)


def _weight(table: dict[str, float], name: str) -> float:
    """A ranking's RRF weight; a topic ranking weighs TOPIC_WEIGHT times its full form's."""
    if name.startswith("topic_"):
        return TOPIC_WEIGHT * table.get(name.removeprefix("topic_"), 1.0)
    return table.get(name, 1.0)


def _pairs(syllables: list[str]) -> frozenset[str]:
    return frozenset(f"{a} {b}" for a, b in zip(syllables, syllables[1:], strict=False))


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _naming_key(syllable: str) -> str:
    """Syllables compare with accents; codes and numbers ("2224/qđ-ubnd") folded."""
    return fold(syllable) if _has_digit(syllable) else syllable


def _strip(token: str) -> str:
    return token.strip(".,;:?!()\"'“”").lower()


def _named(word: str, naming: frozenset[str]) -> bool:
    return all(fold(part) in naming for part in word.split("_"))


def _spread_sections(
    ranked: list[tuple[str, float]], section_of: Callable[[str], str]
) -> list[tuple[str, float]]:
    """Scale the n-th chunk of one section by REPEAT_PENALTY ** (n - 1), then re-sort."""
    seen: dict[str, int] = {}
    out = []
    for cid, score in ranked:
        key = section_of(cid)
        count = seen.get(key, 0)
        seen[key] = count + 1
        out.append((cid, score * REPEAT_PENALTY**count))
    out.sort(key=lambda pair: pair[1], reverse=True)
    return out


def _details(rankings: dict[str, list[tuple[str, float]]]) -> dict[str, dict[str, float]]:
    """Per chunk: each retriever's rank (under its name) and raw score (`<name>_score`)."""
    out: dict[str, dict[str, float]] = {}
    for name, ranking in rankings.items():
        for rank, (cid, score) in enumerate(ranking, start=1):
            entry = out.setdefault(cid, {})
            if name not in entry:
                entry[name] = float(rank)
                entry[f"{name}_score"] = float(score)
    return out


__all__ = ["HybridRetriever", "MODES"]
