"""Scoring passages against a question: which sentence of which hit holds the answer, and
how much of the question the evidence covers (the abstention signal).

Coverage is IDF-weighted: a passage that holds the rare words of a question ("mua bán
người", "20/5/2026") covers it; one that only shares "phòng, chống tội phạm" does not.
Everything works on regex syllables of text already retrieved, never on underthesea, so an
answer costs milliseconds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ingest.protocols import IndexReader
from ingest.types import Chunk, DocumentMeta, SearchHit, Section
from ingest.vntext import fold, index_form
from retriever.query import (
    CANONICAL_SPELLING,
    FOLDED_SPELLING,
    NormalizedQuery,
    expand_abbreviations,
)
from service.citations import SectionTitles

_WORD = re.compile(r"\w+")
# Texts whose match tokens are kept (chunks, clauses, headings of a few versions of the index).
MATCH_CACHE_SIZE = 16384
# Weights of a clause's own coverage of the question, and of what it covers beyond the
# words naming its document, in its passage score (rank_passages).
OWN_WEIGHT = 0.2
ASKED_WEIGHT = 0.1
# Taken off a clause that holds none of the question's words but those naming its plan.
SILENT_PENALTY = 0.1
# Sentence ends: ". " / "! " / "? " before a capital, digit or bullet sign, or a line break.
# Inside a sentence, "; " separates clauses (lists of targets, of meeting deadlines). Colons
# never split: "Đơn vị chủ trì: Công an tỉnh" stays whole.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\n+")
_CLAUSE = re.compile(r"(?<=;)\s+")
_OPENERS = "+-–•(“\"'*"
HEADING_MAX = 80  # longer section "titles" are first sentences of numbered paragraphs
_SPELLING = CANONICAL_SPELLING  # "tỉ lệ" and "tỷ lệ" match as one
# A document code with the issue date that follows it ("09-NQ/TU ngày 16/01/2026").
_CODE = re.compile(r"\d+(?:/\d+)*[-/][A-ZĐ]\S*(?:,?\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}/\d{4}\b")
_TIME_WORDS = re.compile(
    r"\b(?:thuong xuyen|hang (?:nam|quy|thang|tuan)|hang nam|dinh ky|truoc ngay|cham nhat|"
    r"den het ngay|tu ngay|thang \d{1,2}|quy [ivx\d]+|nam \d{4}|\d+ thang|"
    r"thang cuoi quy|ky hop|giai doan \d{4})\b"
)
# Time stated in words, not as a date (a date may be a cited document's): "Thường xuyên",
# "hằng năm", "định kỳ", "đến năm 2025", "giai đoạn 2021 - 2025", "Thời gian thực hiện".
_PERIOD_WORDS = re.compile(
    r"\b(?:thuong xuyen|hang (?:nam|quy|thang)|dinh ky|(?:den|toi) (?:het )?nam \d{4}|"
    r"giai doan \d{4}|thoi gian thuc hien|thang cuoi quy)\b"
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b\d+(?:[.,]\d+)?\b")
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]*\s*%)(?![.,]\d)")
_ROLE = re.compile(
    r"\b(?:chu tri|phoi hop|thuc hien|chi dao|tham muu|chiu trach nhiem|thuong truc|giao)\b"
)


def match_tokens(text: str, folded: bool) -> list[str]:
    """Syllables of a passage in the form a query is matched in: "%" reads "phần trăm",
    abbreviations read both ways ("ANTQ" also as "an ninh tổ quốc")."""
    return list(_match_tokens(text, folded))


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def _match_tokens(text: str, folded: bool) -> tuple[str, ...]:
    """Cached: every question re-reads the same few hundred chunk, clause and heading texts."""
    expanded, found = expand_abbreviations(text.replace("%", " phần trăm "))
    if found:
        expanded += " " + " ".join(abbr.short for abbr in found)
    form = fold(expanded) if folded else index_form(expanded)
    tokens = _WORD.findall(form)
    return tuple(
        [FOLDED_SPELLING.get(t, t) for t in tokens]
        if folded
        else [_SPELLING.get(t, t) for t in tokens]
    )


@dataclass
class TermStats:
    """Section frequencies of syllables (index form and folded) over the whole index."""

    sections: int
    df: Counter[str]
    folded_df: Counter[str]

    def idf(self, term: str, folded: bool) -> float:
        df = (self.folded_df if folded else self.df).get(term, 0)
        return math.log((self.sections + 1) / (df + 0.5)) + 0.1

    @classmethod
    def build(cls, index: IndexReader) -> TermStats:
        df: Counter[str] = Counter()
        folded_df: Counter[str] = Counter()
        n = 0
        for meta in index.documents():
            texts = [meta.title] + [f"{s.title}\n{s.text}" for s in index.sections(meta.doc_id)]
            for text in texts:
                n += 1
                tokens = set(match_tokens(text, folded=False))
                df.update(tokens)
                folded_df.update({fold(t) for t in tokens})
        return cls(sections=max(n, 1), df=df, folded_df=folded_df)


def query_terms(query: NormalizedQuery) -> list[str]:
    """The question's content syllables split like passages are (codes into their parts)."""
    terms: list[str] = []
    for term in query.match_terms:
        terms.extend(_WORD.findall(term))
    spelling = _SPELLING if query.has_diacritics else FOLDED_SPELLING
    return list(dict.fromkeys(spelling.get(t, t) for t in terms))


def terms_outside(query: NormalizedQuery, terms: list[str], skip: frozenset[str]) -> list[str]:
    """The question's `terms` not in `skip` (whose words are in the form the question is
    matched in: folded for an accentless question)."""
    folded = not query.has_diacritics
    return [t for t in terms if (fold(t) if folded else t) not in skip]


def coverage(
    query: NormalizedQuery, text: str, stats: TermStats, skip: frozenset[str] = frozenset()
) -> float:
    """IDF-weighted share of the question's content syllables present in `text` (0..1),
    blended with the share of its adjacent syllable pairs found adjacent in `text`. Terms in
    `skip` (those naming the passage's document) are set aside; 1.0 when nothing is left."""
    folded = not query.has_diacritics
    terms = query_terms(query)
    if not terms:
        return 0.0
    if skip:
        terms = terms_outside(query, terms, skip)
        if not terms:
            return 1.0
    tokens = match_tokens(text, folded)
    present = set(tokens)
    weights = {t: stats.idf(t, folded) for t in terms}
    total = sum(weights.values())
    unigram = sum(w for t, w in weights.items() if t in present) / total
    pairs = list(zip(terms, terms[1:], strict=False))
    if not pairs:
        return unigram
    text_pairs = set(zip(tokens, tokens[1:], strict=False))
    pair_weights = [(weights[a] + weights[b], (a, b) in text_pairs) for a, b in pairs]
    bigram = sum(w for w, hit in pair_weights if hit) / sum(w for w, _ in pair_weights)
    return 0.7 * unigram + 0.3 * bigram


@dataclass(frozen=True)
class Passage:
    """A clause of a hit's chunk text (exact document spelling) and the section holding it."""

    hit: SearchHit
    rank: int  # 0-based rank of the hit
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    score: float
    section_path: str
    section_title: str

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    @property
    def text(self) -> str:
        return self.hit.chunk.text[self.start : self.end]

    @property
    def sentence(self) -> str:
        return self.hit.chunk.text[self.sentence_start : self.sentence_end]


def _trimmed(text: str, begin: int, end: int) -> tuple[int, int]:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return begin, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences/lines of `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if "\n" not in match.group() and not _starts_sentence(text[match.end() : match.end() + 3]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = [_trimmed(text, begin, end) for begin, end in spans]
    return [(b, e) for b, e in out if e - b >= 3]


def clause_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, sentence_start, sentence_end) of each ";"-separated clause of each
    sentence: the unit an answer quotes, and the sentence it belongs to."""
    out = []
    for s_start, s_end in sentence_spans(text):
        start = s_start
        for match in _CLAUSE.finditer(text, s_start, s_end):
            begin, end = _trimmed(text, start, match.start())
            if end - begin >= 3:
                out.append((begin, end, s_start, s_end))
            start = match.end()
        begin, end = _trimmed(text, start, s_end)
        if end - begin >= 3:
            out.append((begin, end, s_start, s_end))
    return out


def _starts_sentence(head: str) -> bool:
    head = head.lstrip(_OPENERS)
    return bool(head) and (head[0].isupper() or head[0].isdigit())


def has_time(text: str) -> bool:
    folded = fold(text)
    return bool(_DATE.search(folded) or _TIME_WORDS.search(folded))


def has_period_words(text: str) -> bool:
    return bool(_PERIOD_WORDS.search(fold(text)))


def without_codes(text: str) -> str:
    """`text` without document codes ("2224/QĐ-UBND", "09-NQ/TU") and their issue dates,
    whose digits are neither a figure nor a date anything is due by."""
    return _CODE.sub(" ", text)


def has_figure(text: str) -> bool:
    """A number that is not part of a date or a document code."""
    cleaned = without_codes(_DATE.sub(" ", text))
    # Years ("năm 2026", "giai đoạn 2023 – 2030") date a sentence; they are not its figure.
    cleaned = _YEAR.sub(" ", cleaned)
    return bool(_FIGURE.search(cleaned))


def has_role(text: str) -> bool:
    return bool(_ROLE.search(fold(text)))


_LEVEL = re.compile(r"\bcap (xa|huyen|tinh|trung uong|co so)\b")
# Weight taken off a clause about another administrative level than the one asked about.
LEVEL_PENALTY = 0.12


# Weight given to a clause naming the level asked about ("cấp tỉnh họp trước ngày 25 ...")
# over one naming no level ("Định kỳ hằng quý ... báo cáo"): the question's level is its topic.
LEVEL_BONUS = 0.08


def level_match(query: NormalizedQuery, text: str) -> bool:
    """The question asks about one level ("cấp tỉnh") and the text names that level."""
    asked = set(_LEVEL.findall(query.folded))
    return bool(asked) and bool(asked & set(_LEVEL.findall(fold(text))))


def level_mismatch(query: NormalizedQuery, text: str) -> bool:
    """The question asks about one level ("cấp huyện") and the text speaks of another only
    ("cấp xã ..."): parallel clauses of one sentence differ by nothing else."""
    asked = set(_LEVEL.findall(query.folded))
    if not asked:
        return False
    named = set(_LEVEL.findall(fold(text)))
    return bool(named) and not named & asked


# Kinds of crime plans set separate tasks, deadlines and targets for (folded). A campaign
# against "tội phạm mua bán người" says nothing of one against "tội phạm ma túy".
_CRIME = re.compile(
    r"\btoi pham (?:ve )?(?:(?:cac loai )?(ma tuy|mua ban nguoi|su dung cong nghe cao|cong nghe cao|"
    r"kinh te|tham nhung|moi truong|buon lau|co bac|mai dam|xam hai tre em|hinh su|"
    r"co to chuc|tren khong gian mang|chuc vu))\b"
)


def crime_mismatch(query: NormalizedQuery, text: str) -> bool:
    """The question asks about one kind of crime ("tội phạm ma túy") and the text speaks of
    another only ("tội phạm mua bán người")."""
    asked = {_crime_key(kind) for kind in _CRIME.findall(query.folded)}
    if not asked:
        return False
    named = {_crime_key(kind) for kind in _CRIME.findall(fold(text))}
    return bool(named) and not named & asked


def _crime_key(kind: str) -> str:
    return kind.removeprefix("su dung ")


def document_context(meta: DocumentMeta | None) -> str:
    """What a question may say about a document that its passages do not: type, title,
    province, year, issuer."""
    if meta is None:
        return ""
    year = str(meta.year) if meta.year else ""
    return " ".join(
        part for part in (meta.doc_type, meta.title, meta.province, year, meta.issuer) if part
    )


def short_headings(titles: SectionTitles, doc_id: str, path: str) -> str:
    """The titles of a section and its ancestors that are headings, not a numbered
    paragraph's first sentence (longer "titles"): what a passage under them is about."""
    return " ".join(
        sec.title
        for sec in titles.ancestors(doc_id, path)
        if _heading_length(sec.title) <= HEADING_MAX
    )


def _heading_length(title: str) -> int:
    """A title's length without parenthesised asides: "Đề nghị Ủy ban Mặt trận Tổ quốc Việt
    Nam tỉnh và các tổ chức thành viên (Hội Liên hiệp Phụ nữ tỉnh, ...)" is a heading."""
    return len(without_asides(title))


def without_asides(text: str) -> str:
    """`text` without its parenthesised asides (an agency's member list or alias), spaces
    collapsed."""
    return " ".join(re.sub(r"\([^)]*\)", " ", text).split())


def naming_terms(query: NormalizedQuery, meta: DocumentMeta | None) -> frozenset[str]:
    """The syllables (in the form `query` is matched in) that name a document: its type,
    number, title, province, year and issuer."""
    number = meta.number if meta is not None else ""
    return frozenset(match_tokens(f"{document_context(meta)} {number}", not query.has_diacritics))


def naming_and(query: NormalizedQuery, meta: DocumentMeta | None, words: str) -> frozenset[str]:
    """The words naming `meta`'s document together with `words` (those asking for something
    rather than naming a topic of it), in the form the question is matched in."""
    asking = match_tokens(words, not query.has_diacritics)
    return naming_terms(query, meta) | frozenset(asking)


def rank_passages(
    query: NormalizedQuery,
    hits: Iterable[SearchHit],
    stats: TermStats,
    titles: SectionTitles,
    documents: dict[str, DocumentMeta],
    keep: Callable[[str], bool] | None = None,
    max_hits: int = 6,
) -> list[Passage]:
    """Clauses of the top hits, best first. A clause's score mixes its own coverage of the
    question, its sentence's, its chunk's, and above all its coverage read together with its
    headings and document title (a clause under "1. Mục tiêu tổng quát" answers "mục tiêu
    tổng quát là gì?"), plus a little for the hit's rank."""
    passages: list[Passage] = []
    for rank, hit in enumerate(hits):
        if rank >= max_hits:
            break
        chunk = hit.chunk
        doc_text = document_context(documents.get(chunk.doc_id))
        naming = naming_terms(query, documents.get(chunk.doc_id))
        chunk_cov = coverage(query, f"{doc_text}\n{chunk.breadcrumb}\n{chunk.text}", stats)
        sentence_cov: dict[int, float] = {}
        seen_sections: set[str] = set()
        for start, end, s_start, s_end in clause_spans(chunk.text):
            text = chunk.text[start:end]
            if len(text.split()) < 3 or (keep is not None and not keep(text)):
                continue
            section = titles.section_at(chunk, start)
            # A heading is a topic, unless it is all its section says ("Điều 2. Quyết định
            # này có hiệu lực thi hành kể từ ngày ký.").
            if (
                section is not None
                and not _is_sentence_section(section, text)
                and _is_heading_line(text, section.title)
            ):
                continue
            path = section.path if section else chunk.section_path
            lead = path not in seen_sections  # a section's first clause states its topic
            seen_sections.add(path)
            # Short titles only: a long "title" is a numbered paragraph's first sentence.
            headings = short_headings(titles, chunk.doc_id, path)
            own = coverage(query, text, stats)
            # What the clause says beyond naming its plan: "ban hành kèm theo Quyết định số
            # 2224/QĐ-UBND" repeats the question's naming words and states nothing asked.
            asked = coverage(query, text, stats, naming)
            if s_start not in sentence_cov:
                sentence_cov[s_start] = coverage(query, chunk.text[s_start:s_end], stats)
            in_context = coverage(query, f"{doc_text}\n{headings}\n{text}", stats)
            heading_cov = coverage(query, headings, stats) if headings else 0.0
            score = (
                -(LEVEL_PENALTY if level_mismatch(query, text) else 0.0)
                # states none of what is asked beyond naming its plan
                - (SILENT_PENALTY if asked == 0.0 else 0.0)
                + OWN_WEIGHT * own
                + ASKED_WEIGHT * asked
                + 0.1 * sentence_cov[s_start]
                + 0.1 * chunk_cov
                + 0.35 * in_context
                + 0.15 * heading_cov
                + 0.04 / (rank + 1)
                + (0.03 if lead else 0.0)
            )
            title = titles.title(chunk.doc_id, path) or chunk.section_title
            passages.append(Passage(hit, rank, start, end, s_start, s_end, score, path, title))
    passages.sort(key=lambda p: p.score, reverse=True)
    return passages


def _is_sentence_section(section: Section, text: str) -> bool:
    """An article of a decision ("Điều 2. Quyết định này có hiệu lực ...") with no body: its
    title is its content, not a topic heading."""
    return not section.text.strip() and section.path.startswith("Điều") and len(text.split()) >= 5


def _is_heading_line(text: str, title: str) -> bool:
    """A short heading line ("1. Mục tiêu tổng quát", "1. Công an tỉnh") is a topic, not an
    answer. Long "titles" are a numbered paragraph's first sentence and stay answers."""
    title = title.strip().rstrip(" .:")
    if not title or _heading_length(title) > HEADING_MAX:
        return False
    return text.strip().rstrip(" .:").endswith(title) and len(text) <= len(title) + 12


def evidence_strength(
    query: NormalizedQuery,
    hits: list[SearchHit],
    stats: TermStats,
    documents: dict[str, DocumentMeta],
) -> float:
    """How well the best of the top hits (with its document's title and metadata) covers the
    question (0..1)."""
    best = 0.0
    for hit in hits[:3]:
        chunk = hit.chunk
        doc_text = document_context(documents.get(chunk.doc_id))
        best = max(best, coverage(query, f"{doc_text}\n{chunk.breadcrumb}\n{chunk.text}", stats))
    return best


__all__ = [
    "Passage",
    "TermStats",
    "clause_spans",
    "document_context",
    "coverage",
    "evidence_strength",
    "has_figure",
    "has_role",
    "has_period_words",
    "has_time",
    "level_match",
    "level_mismatch",
    "match_tokens",
    "naming_and",
    "naming_terms",
    "query_terms",
    "rank_passages",
    "sentence_spans",
    "short_headings",
    "terms_outside",
    "without_asides",
    "without_codes",
]
