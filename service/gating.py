"""How much of what a question *asks* the best retrieved passage states — the abstention signal.

Words that only point at the document ("kế hoạch năm 2026 của Đồng Tháp") are matched by any
passage of that plan, so they are set aside per document: the rest (the agency, topic or figure
asked about) must appear in one passage. Rare words weigh more (IDF). A syllable the corpus
never writes with its accents is a typo or a half-accented question ("Kế hoach"), so it is
compared without accents; a word the corpus never uses at all says nothing about any passage.
"""

from __future__ import annotations

from ingest.types import DocumentMeta, SearchHit
from ingest.vntext import fold, has_diacritics
from retriever.query import NormalizedQuery
from service.evidence import (
    TermStats,
    clause_spans,
    document_context,
    has_figure,
    match_tokens,
    query_terms,
)

# Hits whose passages may hold the answer; retrieval puts the right one in the top 8 far more
# often than in the top 3, where preambles (which repeat the title) crowd in.
ASK_HITS = 8
# Words that frame any target ("giảm bao nhiêu phần trăm", "tỷ lệ đạt", "chỉ tiêu"): a figure
# clause must hold the topic asked about, not just these (index form; folded when the question
# is compared folded, where "tội" and "tối" collide, so accented questions are read accented).
TARGET_FRAME = frozenset(
    (
        "giảm", "tăng", "kéo", "tỷ", "tỉ", "lệ", "phần", "trăm", "chỉ", "tiêu", "đạt", "mục",
        "mức", "phấn", "đấu", "ít", "nhất", "tối", "thiểu", "trên", "dưới", "số", "lượng",
        "bao", "nhiêu",
    )
)  # fmt: skip


def _term_forms(
    query: NormalizedQuery, stats: TermStats, skip: frozenset[str] = frozenset()
) -> list[tuple[str, bool, float]]:
    """(term, compare folded?, IDF weight) for each content syllable the corpus knows, but
    those in `skip` (index form)."""
    folded_query = not query.has_diacritics
    out: list[tuple[str, bool, float]] = []
    for term in query_terms(query):
        if folded_query or not has_diacritics(term):
            key, folded = fold(term), True
        elif stats.df.get(term, 0) == 0:
            key, folded = fold(term), True  # accents the corpus never uses: a typo
        else:
            key, folded = term, False
        if stats.folded_df.get(fold(key), 0) == 0:
            continue  # unknown to the corpus: no passage can hold it, none is favoured
        if (key in skip) or (folded and key in {fold(word) for word in skip}):
            continue
        out.append((key, folded, stats.idf(key, folded)))
    return list(dict.fromkeys(out))


def ask_coverage(
    query: NormalizedQuery,
    hits: list[SearchHit],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    max_hits: int = ASK_HITS,
) -> float:
    """Best, over the top hits, IDF-weighted share of the question's asked-about syllables
    (those not already in the hit's document title and metadata) found in the hit's headings
    and text, blended with the share of adjacent pairs found adjacent (0..1). 1.0 when the
    question asks nothing beyond naming the document."""
    units = [((hit.chunk.doc_id,), _hit_text(hit)) for hit in hits[:max_hits]]
    return _best_cover(query, units, stats, documents)


def figure_coverage(
    query: NormalizedQuery,
    hits: list[SearchHit],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    max_hits: int = ASK_HITS,
) -> float:
    """As `ask_coverage`, but only clauses that state a figure count, and the words that frame
    any target are set aside: a "bao nhiêu" question whose topic is discussed but never
    quantified has no answer."""
    units = []
    for hit in hits[:max_hits]:
        text = hit.chunk.text
        for a, b, _, _ in clause_spans(text):
            if has_figure(text[a:b]):
                units.append(((hit.chunk.doc_id,), f"{hit.chunk.breadcrumb}\n{text[a:b]}"))
    return _best_cover(query, units, stats, documents, skip=TARGET_FRAME)


def comparison_coverage(
    query: NormalizedQuery,
    hits: list[SearchHit],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    max_hits: int = ASK_HITS,
    per_document: int = 2,
) -> float:
    """A comparison names several plans and asks one thing of each: its words are spread over
    one passage per plan, so the best passages of each plan are read together."""
    by_doc: dict[str, list[str]] = {}
    for hit in hits[:max_hits]:
        texts = by_doc.setdefault(hit.chunk.doc_id, [])
        if len(texts) < per_document:
            texts.append(_hit_text(hit))
    if len(by_doc) < 2:
        return ask_coverage(query, hits, stats, documents, max_hits)
    joined = "\n".join(t for texts in by_doc.values() for t in texts)
    return _best_cover(query, [(tuple(by_doc), joined)], stats, documents)


def asked_share(
    query: NormalizedQuery,
    text: str,
    doc_ids: tuple[str, ...],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    skip: frozenset[str] = frozenset(),
) -> float:
    """How much of what the question asks beyond naming `doc_ids` (and the words in `skip`,
    index form) one passage states: a comparison names every plan it compares, and each
    plan's passage holds only its own."""
    return _best_cover(query, [(doc_ids, text)], stats, documents, skip)


def _hit_text(hit: SearchHit) -> str:
    return f"{hit.chunk.breadcrumb}\n{hit.chunk.text}"


def _context(meta: DocumentMeta | None) -> str:
    """What names a document rather than asks about it: title, type, province, year, issuer,
    and the header fields (number, signer, date) a metadata question asks for."""
    if meta is None:
        return ""
    return " ".join(
        (document_context(meta), meta.number, meta.signer, meta.signer_title, meta.date_text)
    )


def _best_cover(
    query: NormalizedQuery,
    units: list[tuple[tuple[str, ...], str]],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
    skip: frozenset[str] = frozenset(),
) -> float:
    terms = _term_forms(query, stats, skip)
    if not terms:
        return 0.0
    best = 0.0
    contexts: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    for doc_ids, text in units:
        if doc_ids not in contexts:
            context = " ".join(_context(documents.get(doc_id)) for doc_id in doc_ids)
            contexts[doc_ids] = (
                set(match_tokens(context, folded=False)),
                set(match_tokens(context, folded=True)),
            )
        ctx_plain, ctx_folded = contexts[doc_ids]
        asked = [(t, f, w) for t, f, w in terms if t not in (ctx_folded if f else ctx_plain)]
        if not asked:
            return 1.0
        asked_keys = {t for t, _, _ in asked}
        pairs = [
            (a, b)
            for a, b in zip(terms, terms[1:], strict=False)
            if a[0] in asked_keys or b[0] in asked_keys
        ]
        best = max(best, _cover(asked, pairs, text))
    return best


def _cover(
    asked: list[tuple[str, bool, float]],
    pairs: list[tuple[tuple[str, bool, float], tuple[str, bool, float]]],
    text: str,
) -> float:
    plain_tokens = match_tokens(text, folded=False)
    folded_tokens = [fold(t) for t in plain_tokens]
    plain, folded_set = set(plain_tokens), set(folded_tokens)
    total = sum(w for _, _, w in asked)
    unigram = sum(w for t, f, w in asked if t in (folded_set if f else plain)) / total
    return _blend(unigram, pairs, plain_tokens, folded_tokens)


def _blend(
    unigram: float,
    pairs: list[tuple[tuple[str, bool, float], tuple[str, bool, float]]],
    plain_tokens: list[str],
    folded_tokens: list[str],
) -> float:
    """Mix in adjacency: "Sở Ngoại vụ" is covered by "Sở Ngoại vụ", not by "ngoại" and "vụ"
    in different sentences."""
    if not pairs:
        return unigram
    plain_pairs = set(zip(plain_tokens, plain_tokens[1:], strict=False))
    folded_pairs = set(zip(folded_tokens, folded_tokens[1:], strict=False))
    hit_weight = 0.0
    all_weight = 0.0
    for (a, fa, wa), (b, fb, wb) in pairs:
        weight = wa + wb
        all_weight += weight
        found = (fold(a), fold(b)) in folded_pairs if fa or fb else (a, b) in plain_pairs
        if found:
            hit_weight += weight
    return 0.7 * unigram + 0.3 * hit_weight / all_weight


__all__ = ["ASK_HITS", "ask_coverage", "asked_share", "comparison_coverage", "figure_coverage"]
