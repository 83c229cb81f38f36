"""Growing an answer from its best clause to the clauses around it that the question also
asks about.

A plan states one item over several clauses or sentences: "d) Nâng cao chất lượng công tác
điều tra các vụ án hình sự ... Nghiêm cấm bức cung, dùng nhục hình." The clause that matches
most of a question ("trong điều tra các vụ án hình sự nghiêm cấm những hành vi gì?") is the
first; the fact is in the next one. A neighbouring clause of the same section joins the
answer when it covers question words the answer does not yet cover, and the answer stays
short enough to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.types import DocumentMeta
from retriever.query import NormalizedQuery
from service.citations import SectionTitles
from service.evidence import (
    Passage,
    TermStats,
    clause_spans,
    coverage,
    document_context,
    short_headings,
)

# A neighbour joins when it raises the question's coverage by at least this much.
MIN_GAIN = 0.04
# The grown answer never exceeds this many characters, nor this many clauses.
MAX_SPAN_CHARS = 480
MAX_SPAN_CLAUSES = 4
# A clause is read with its whole sentence when the sentence is at most this long.
MAX_SEED_SENTENCE = 400
# A neighbour that alone covers this share of what the seed clause covers is a parallel
# item of the same statement (footnotes 1 and 2, two targets) and joins too.
PARALLEL_SHARE = 0.9
# ... and has at least this many words.
MIN_PARALLEL_WORDS = 3


@dataclass(frozen=True)
class Span:
    """A run of consecutive clauses of one chunk, in one section."""

    start: int
    end: int


def covering_span(
    query: NormalizedQuery,
    passage: Passage,
    stats: TermStats,
    titles: SectionTitles,
    documents: dict[str, DocumentMeta],
) -> Span:
    """The passage's clause grown, one neighbour at a time, by the neighbouring clauses of
    its section that add most to what the question asks; the clause alone when none adds."""
    chunk = passage.chunk
    text = chunk.text
    units = [
        (start, end, s_start)
        for start, end, s_start, _ in clause_spans(text)
        if _section_path(titles, passage, start) == passage.section_path
    ]
    clauses = [(start, end) for start, end, _ in units]
    at = [i for i, (start, _, s_start) in enumerate(units) if s_start == passage.sentence_start]
    if passage.start not in {clauses[i][0] for i in at}:
        return Span(passage.start, passage.end)
    # Start from the clause's whole sentence when it is short enough to read.
    if passage.sentence_end - passage.sentence_start <= MAX_SEED_SENTENCE:
        lo, hi = at[0], at[-1]
    else:
        lo = hi = next(i for i in at if clauses[i][0] == passage.start)
    context = _context(titles, documents, passage)

    def score(first: int, last: int) -> float:
        body = text[clauses[first][0] : clauses[last][1]]
        return coverage(query, f"{context}\n{body}", stats)

    current = score(lo, hi)
    seed = current
    while hi - lo + 1 < MAX_SPAN_CLAUSES:
        options = []
        if lo > 0:
            options.append((lo - 1, hi))
        if hi + 1 < len(clauses):
            options.append((lo, hi + 1))
        options = [
            (first, last)
            for first, last in options
            if clauses[last][1] - clauses[first][0] <= MAX_SPAN_CHARS
            and _contiguous(text, clauses, first, last)
        ]
        scored = [(score(first, last), first, last) for first, last in options]
        if not scored:
            break
        best, first, last = max(scored)
        if best - current < MIN_GAIN:
            parallel = [
                (value, first, last)
                for value, first, last in scored
                if _says_something(text, clauses[_added(lo, hi, first, last)[0]])
                and score(*_added(lo, hi, first, last)) >= PARALLEL_SHARE * seed
            ]
            if not parallel:
                break
            # A ";"-item of the seed's own sentence before a clause of another sentence: the
            # list the seed belongs to ("Chỉ thị số 46-CT/TW ...; Chỉ thị số 36-CT/TW ...").
            own = [
                item
                for item in parallel
                if units[_added(lo, hi, item[1], item[2])[0]][2] == passage.sentence_start
            ]
            best, first, last = (own or parallel)[0]
        current, lo, hi = best, first, last
    return Span(clauses[lo][0], clauses[hi][1])


def _says_something(text: str, clause: tuple[int, int]) -> bool:
    """A clause of a few words at least: a bare label ("Điều 2.", "a)") scores as high as the
    context it is read with, yet states nothing parallel to the answer."""
    return len(text[clause[0] : clause[1]].split()) >= MIN_PARALLEL_WORDS


def _added(lo: int, hi: int, first: int, last: int) -> tuple[int, int]:
    """The one clause by which (first, last) extends (lo, hi)."""
    return (first, first) if first < lo else (last, last)


def _section_path(titles: SectionTitles, passage: Passage, offset: int) -> str:
    section = titles.section_at(passage.chunk, offset)
    return section.path if section else passage.chunk.section_path


def _contiguous(text: str, clauses: list[tuple[int, int]], first: int, last: int) -> bool:
    """Nothing but spacing lies between the clauses (no clause of another section)."""
    pairs = zip(clauses[first:last], clauses[first + 1 : last + 1], strict=True)
    return all(len(text[end:start].strip()) <= 2 for (_, end), (start, _) in pairs)


def _context(titles: SectionTitles, documents: dict[str, DocumentMeta], passage: Passage) -> str:
    """The document's description and the section's short headings, read with the span."""
    doc_id = passage.chunk.doc_id
    headings = short_headings(titles, doc_id, passage.section_path)
    return f"{document_context(documents.get(doc_id))}\n{headings}"


__all__ = ["MAX_SPAN_CHARS", "Span", "covering_span"]
