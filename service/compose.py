"""Turning evidence into a short answer, one composer per intent.

Every composer returns the answer text together with the citations whose quotes hold each
fact, or None when the evidence does not answer the question (the caller abstains). Answers
reuse the document's own wording: a deadline is the plan's time line, a responsibility the
plan's "Đơn vị chủ trì: ..." line, a target the clause that states the figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ingest.header import DOC_CODE
from ingest.protocols import IndexReader
from ingest.types import Citation, DocumentMeta, SearchHit, Section, Task
from ingest.vntext import fold
from retriever.query import NormalizedQuery, find_years
from retriever.scope import (
    document_province,
    names_some_plan,
    number_matches,
    text_mentions_number,
)
from service.basis import IMPLEMENTS, basis_statements, implemented_kind
from service.citations import SectionTitles, focus_span, make_citation, trim_quote
from service.cited_as import cited_as
from service.evidence import (
    LEVEL_BONUS,
    LEVEL_PENALTY,
    Passage,
    TermStats,
    clause_spans,
    coverage,
    crime_mismatch,
    has_figure,
    has_period_words,
    has_role,
    has_time,
    level_match,
    level_mismatch,
    match_tokens,
    naming_and,
    naming_terms,
    query_terms,
    rank_passages,
    sentence_spans,
    short_headings,
    without_asides,
    without_codes,
)
from service.footnotes import FOOTNOTE_MAX, footnote_for
from service.gating import asked_share
from service.horizon import asks_horizon, asks_plan_horizon, title_period
from service.spans import MAX_SPAN_CHARS, covering_span

# A passage or task must cover this much of the question to be an answer (see
# tests/test_extractive.py for the questions it was measured on).
MIN_ANSWER_SCORE = 0.42
# ... or must state this share of what the question asks beyond naming its plan.
MIN_ASKED_SHARE = 0.6
# A clause is quoted with its whole sentence when the sentence is at most this long.
MAX_SENTENCE = 320
# Tasks of one sentence scoring within this of the best are not told apart by the question.
SIBLING_MARGIN = 0.08
# An agency heading ("14. Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Quảng Ngãi") is short,
# and a question names it when nearly all its words are in the question.
AGENCY_TITLE_MAX = 120
AGENCY_TITLE_SHARE = 0.75
# A second duty item is listed when it covers at least this share of what the best one does.
SECOND_ITEM_SHARE = 0.6
# "Sở Tư pháp có nhiệm vụ gì?" lists at most this many of the duties under its heading.
DUTY_ITEMS = 3
# A plan joins a comparison when its answer scores this share of the best plan's answer ...
COMPARED_SHARE = 0.6
# ... and its evidence states this share of what the question asks beyond naming the plans.
MIN_COMPARED_SHARE = 0.3
# One plan's answer in a comparison must score this much (the question's words for the other
# plans are missing from it by nature).
COMPARED_MIN_SCORE = 0.3
MAX_COMPARED = 4

_ROLE_LINE = re.compile(
    r"^[\s+\-–*•]*(?:\*\*)?(?:đơn vị|cơ quan)\s+(?:chủ trì|phối hợp|thực hiện|chỉ đạo|"
    r"tham mưu(?:,\s*thực hiện)?)\s*(?:\*\*)?:",
    re.IGNORECASE,
)
_TIME_LINE = re.compile(r"^[\s+\-–*•]*(?:\*\*)?thời gian thực hiện\s*(?:\*\*)?:", re.IGNORECASE)
_ROLE_PAREN = re.compile(
    r"\(([^()]*\b(?:chủ trì|thực hiện|phối hợp|triển khai thực hiện)\b[^()]*)\)", re.IGNORECASE
)
_AGENCY_HEAD = re.compile(
    r"^(?:Đề nghị\s+)?(?:Công an|Sở|Bộ|Ban|Ủy ban|UBND|Cục|Chi cục|Ngân hàng|Viện|Tòa án|Hội|"
    r"Liên đoàn|Tỉnh đoàn|Đoàn|Báo|Đài|Văn phòng|Thanh tra|Các sở|Đảng ủy|Kho bạc|Bảo hiểm)\b"
)
_UNIT_AFTER_HOW_MANY = re.compile(r"\bbao nhieu\s+(\w+(?:\s+\w+)?)")
_UNITS = (
    "nguoi", "vu", "xa", "phuong", "doi tuong", "dong", "ty dong", "trieu dong", "lop",
    "dia ban", "co so", "mo hinh", "nam", "thang", "ngay", "lan", "de an", "hoc sinh",
    "can bo", "chien si", "luot", "cuoc", "doanh nghiep", "ho", "truong",
)  # fmt: skip
# "mức tiền thưởng là bao nhiêu?", "kinh phí bao nhiêu?": an amount of money answers it.
_ASKS_MONEY = re.compile(
    r"\b(?:tien|kinh phi|ngan sach|muc thuong|muc ho tro)\b.*\bbao nhieu\b|\bbao nhieu tien\b"
)
_MONEY = re.compile(r"\d[\d.,]*\s*(?:đồng|nghìn|ngàn|triệu|tỷ|tỉ)\b", re.IGNORECASE)
_RECURRENCE_VI = {
    "yearly": "hằng năm",
    "half_yearly": "6 tháng một lần",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
    "weekly": "hằng tuần",
}


@dataclass
class Evidence:
    """Everything a composer may read for one question."""

    question: str
    query: NormalizedQuery
    intent: str
    hits: list[SearchHit]
    index: IndexReader
    stats: TermStats
    titles: SectionTitles
    documents: dict[str, DocumentMeta]
    tasks_of: Callable[[str], list[Task]]
    notes: dict[str, float] = field(default_factory=dict)
    # What a passage or task must score to answer (lower for one plan of a comparison).
    min_score: float = MIN_ANSWER_SCORE

    def meta(self, doc_id: str) -> DocumentMeta | None:
        return self.documents.get(doc_id)


@dataclass(frozen=True)
class Composition:
    text: str
    citations: tuple[Citation, ...]
    score: float


# --- shared pieces --------------------------------------------------------------------------


def _passages(
    ev: Evidence, keep: Callable[[str], bool] | None = None, max_hits: int = 6
) -> list[Passage]:
    return rank_passages(
        ev.query, ev.hits, ev.stats, ev.titles, ev.documents, keep=keep, max_hits=max_hits
    )


def _passage_citation(
    ev: Evidence, passage: Passage, needle: str = "", whole_sentence: bool = False
) -> Citation:
    """Cite a clause (or, for `whole_sentence`, its sentence when short enough to show)."""
    text = passage.text
    focus = focus_span(text, needle) if needle else None
    if whole_sentence and len(passage.sentence) <= MAX_SENTENCE:
        # The fact is where the clause holds it, not at an earlier repeat in the sentence.
        shift = passage.start - passage.sentence_start
        text = passage.sentence
        focus = (focus[0] + shift, focus[1] + shift) if focus else None
    return _cite_passage(ev, passage, trim_quote(text, focus))


def _cite_passage(ev: Evidence, passage: Passage, quote: str) -> Citation:
    chunk = passage.chunk
    return make_citation(
        ev.meta(chunk.doc_id),
        chunk.doc_id,
        passage.section_path,
        passage.section_title,
        quote,
        chunk_id=chunk.chunk_id,
        score=passage.score,
    )


def _span_citation(ev: Evidence, passage: Passage, needle: str = "") -> Citation:
    """Cite the passage's clause together with the neighbouring clauses of its section
    that cover more of the question (service/spans.py)."""
    span = covering_span(ev.query, passage, ev.stats, ev.titles, ev.documents)
    if (span.start, span.end) == (passage.start, passage.end):
        return _passage_citation(ev, passage, needle)
    text = passage.chunk.text[span.start : span.end]
    # The fact is where the seed clause holds it, not at an earlier repeat in the span.
    at = passage.start - span.start
    focus = focus_span(text[at:], needle) if needle else None
    focus = (focus[0] + at, focus[1] + at) if focus else None
    return _cite_passage(ev, passage, trim_quote(text, focus, limit=MAX_SPAN_CHARS))


_LABEL = re.compile(r"^\s*(?:[-+•]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\.)\s+")


def _without_label(quote: str) -> str:
    """An answer reads without the list label its quote opens with ("b) ", "- ")."""
    return _LABEL.sub("", quote, count=1)


# "trong nhiệm vụ nào?", "thuộc nội dung nào?": where in the plan a topic comes up.
_ASKS_WHICH_TASK = re.compile(
    r"\b(?:trong|o|thuoc|tai) (?:nhiem vu|noi dung|phan|muc|giai phap|linh vuc) nao\b"
)
# How much of a sentence's opening names its task.
TASK_OPENING_CHARS = 90


def _task_opening(ev: Evidence, passage: Passage) -> Citation | None:
    """The opening of the passage's sentence when the passage is further in (None when the
    passage opens its sentence)."""
    if passage.start - passage.sentence_start < TASK_OPENING_CHARS:
        return None
    quote = trim_quote(passage.sentence, (0, TASK_OPENING_CHARS // 2), limit=TASK_OPENING_CHARS)
    return _cite_passage(ev, passage, quote)


def _sentence_citation(ev: Evidence, passage: Passage) -> Citation:
    """Cite the passage's sentence from the clause on, as much as a span may show."""
    at = passage.start - passage.sentence_start
    text = passage.sentence[at:]
    return _cite_passage(ev, passage, trim_quote(text, limit=MAX_SPAN_CHARS))


def _hit_for(ev: Evidence, doc_id: str, text: str) -> SearchHit | None:
    """The retrieved chunk that holds `text`, for a citation's chunk id."""
    probe = text[:80]
    for hit in ev.hits:
        if hit.chunk.doc_id == doc_id and probe in hit.chunk.text:
            return hit
    return None


def _chunk_id_for(ev: Evidence, doc_id: str, text: str) -> str:
    hit = _hit_for(ev, doc_id, text)
    return hit.chunk.chunk_id if hit else ""


def _clean_line(line: str) -> str:
    line = line.strip().lstrip("+-–•* ").replace("**", "")
    return re.sub(r"\s+", " ", line).strip()


def _format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _normalised_time(time_text: str, ref_year: int | None) -> str:
    """Our reading of a time as written ("hạn: 20/05/2026"), or "" when it adds nothing."""
    from ingest.timeparse import parse_time

    reading = parse_time(time_text, ref_year)
    if reading.kind == "date" and reading.due_date:
        return f"hạn: {_format_date(reading.due_date)}"
    if reading.kind in ("range", "period") and reading.start_date and reading.due_date:
        return f"từ {_format_date(reading.start_date)} đến {_format_date(reading.due_date)}"
    if reading.kind == "recurrence" and reading.recurrence:
        labels = [_RECURRENCE_VI.get(r.strip(), "") for r in reading.recurrence.split(",")]
        labels = [label for label in labels if label]
        return f"định kỳ {', '.join(labels)}" if labels else ""
    return ""


def _task_proximity(ev: Evidence, task: Task) -> float:
    """How close a task sits to the top hits: 1 when its text is in the best hit."""
    best = 0.0
    probe = (task.quote or task.description)[:80]
    for rank, hit in enumerate(ev.hits[:8]):
        chunk = hit.chunk
        if chunk.doc_id != task.doc_id:
            continue
        hp, tp = chunk.section_path, task.section_path
        related = tp == hp or tp.startswith(hp + ".") or hp.startswith(tp + ".")
        inside = bool(probe) and probe in chunk.text
        if related or inside:
            value = (1.0 if inside else 0.7) / (1 + 0.35 * rank)
            best = max(best, value)
    return best


def _rank_tasks(ev: Evidence, keep: Callable[[Task], bool]) -> list[tuple[float, Task]]:
    doc_ids = list(dict.fromkeys(hit.chunk.doc_id for hit in ev.hits[:6]))
    scored = []
    for doc_id in doc_ids:
        # A task is judged on what it states beyond the words naming its plan: "triển khai
        # Kết luận 13-KL/TW và Chương trình này" names the plan, not the duty asked about.
        naming = naming_terms(ev.query, ev.meta(doc_id))
        for task in ev.tasks_of(doc_id):
            if not keep(task):
                continue
            proximity = _task_proximity(ev, task)
            if proximity == 0.0:
                continue
            own = coverage(ev.query, task.description or task.quote, ev.stats, naming)
            context = coverage(ev.query, task.quote, ev.stats)
            score = 0.45 * own + 0.25 * context + 0.3 * proximity
            if level_mismatch(ev.query, task.description or task.quote):
                score -= LEVEL_PENALTY
            elif level_match(ev.query, task.description or task.quote):
                score += LEVEL_BONUS
            scored.append((score, task))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return scored


def _task_section_text(ev: Evidence, task: Task) -> str:
    section = ev.titles.section(task.doc_id, task.section_path)
    return section.text if section else ""


def _task_citation(ev: Evidence, task: Task, quote: str, score: float) -> Citation:
    hit = _hit_for(ev, task.doc_id, quote)
    return make_citation(
        ev.meta(task.doc_id),
        task.doc_id,
        task.section_path,
        ev.titles.title(task.doc_id, task.section_path),
        quote,
        chunk_id=hit.chunk.chunk_id if hit else "",
        score=score,
    )


def _lines_matching(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = []
    offset = 0
    for line in text.split("\n"):
        if pattern.search(line):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _task_time_quote(ev: Evidence, task: Task) -> tuple[str, str]:
    """(answer line, quote) for a task's time, both in the document's wording."""
    assert task.time is not None
    for source in (task.quote, _task_section_text(ev, task)):
        spans = _lines_matching(source, _TIME_LINE)
        if spans:
            start, end = spans[-1]
            line = source[start:end]
            return _clean_line(line), trim_quote(line.strip())
        span = focus_span(source, task.time.text)
        if span:
            # A time inside a sentence reads with it: "Định kỳ hằng quý, 6 tháng, năm báo cáo
            # ... gửi UBND tỉnh (qua Công an tỉnh)" says what is due, and where, by then.
            sentence = _clause_around(source, span)
            if sentence is not None:
                text = source[sentence[0] : sentence[1]]
                return _clean_line(text), trim_quote(text)
            return task.time.text, trim_quote(source, span)
    return task.time.text, trim_quote(task.quote)


def _clause_around(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The clause of `text` holding `span` (its ";"-part of a sentence, so parallel clauses
    "cấp xã ... 18; cấp huyện ... 22" stay apart), when short enough to answer with."""
    for start, end, _, _ in clause_spans(text):
        if start <= span[0] and span[1] <= end:
            return (start, end) if end - start <= MAX_SENTENCE else None
    return None


def _task_roles(ev: Evidence, task: Task) -> tuple[str, str]:
    """(answer, quote) naming who leads, cooperates and executes, in the document's words."""
    quote = task.quote
    spans = _lines_matching(quote, _ROLE_LINE)
    if spans:
        lines = [_clean_line(quote[s:e]) for s, e in spans]
        region = quote[spans[0][0] : spans[-1][1]].strip()
        return "; ".join(line.rstrip(".;") for line in lines) + ".", trim_quote(region)
    paren = _ROLE_PAREN.search(quote)
    if paren:
        text = paren.group(1).strip(" *")
        focus = (paren.start(1), paren.end(1))
        return text[:1].upper() + text[1:].rstrip(".") + ".", trim_quote(quote, focus)
    parts = []
    for label, names in (
        ("Chủ trì", task.lead),
        ("Phối hợp", task.cooperating),
        ("Thực hiện", task.executing),
        ("Chỉ đạo", task.directing),
    ):
        if names:
            parts.append(f"{label}: {', '.join(names)}")
    names = task.lead or task.executing or task.directing or task.cooperating
    focus = focus_span(quote, names[0]) if names else None
    return "; ".join(parts) + ".", trim_quote(quote, focus)


# --- composers -------------------------------------------------------------------------------


def compose_deadline(ev: Evidence) -> Composition | None:
    """The time of the task asked about, in the plan's words, with our reading of it. A
    question asking which day or year is not answered by a time that names none ("định kỳ
    sơ kết"): the plan does not say."""
    composed = _compose_deadline(ev)
    folded_q = fold(ev.question)
    states = _states_day if _WANTS_DAY.search(folded_q) else None
    if states is None and _WANTS_YEAR.search(folded_q):
        states = _has_year
    if (
        composed is not None
        and states is not None
        and not any(states(citation.quote) for citation in composed.citations)
    ):
        return None
    return composed


def _compose_deadline(ev: Evidence) -> Composition | None:
    from ingest.timeparse import find_times

    horizon = _plan_horizon(ev)
    if horizon is not None:
        return horizon

    def timed(sentence: str) -> bool:
        # "Nghị quyết số 09-NQ/TU ngày 16/01/2026" dates the resolution, not a task.
        return bool(find_times(without_codes(sentence))) or has_period_words(sentence)

    tasks = _rank_tasks(ev, lambda t: t.time is not None and bool(t.time.text.strip()))
    passages = _passages(ev, keep=timed)
    # A time stated for another kind of crime is not the time asked about.
    tasks = [(s, t) for s, t in tasks if not crime_mismatch(ev.query, t.quote)]
    passages = [p for p in passages if not crime_mismatch(ev.query, p.sentence)]
    best_task = tasks[0] if tasks else None
    best_passage = passages[0] if passages else None
    states = _asked_time_form(ev.question)
    if states is not None:
        # "trước ngày nào?", "đến năm nào?": a task whose time line states no date or year
        # ("Định kỳ.", "Thường xuyên.") does not answer it; a passage that states one does.
        dated = [p for p in passages if states(p.text)]
        if dated:
            passages = dated + [p for p in passages if not states(p.text)]
            best_passage = passages[0]
        if dated and (best_task is None or not _task_states(best_task[1], states)):
            tasks = [(s, t) for s, t in tasks if _task_states(t, states)]
            best_task = tasks[0] if tasks else None
    use_passage = best_passage is not None and (
        best_task is None
        or best_passage.score > best_task[0] + 0.03
        or _states_own_time(best_passage, best_task[1], best_task[0])
        or (_has_date(best_passage.text) and _task_is_ongoing(best_task[1])
            and best_passage.score >= best_task[0] - 0.05)
    )  # fmt: skip
    if use_passage and best_passage is not None:
        if best_passage.score < ev.min_score:
            return None
        meta = ev.meta(best_passage.chunk.doc_id)
        year = meta.year if meta else None
        needle = _mention_text(
            best_passage.text, find_times(without_codes(best_passage.text), year)
        )
        # Parallel clauses each with their own time ("cấp xã ... 18; cấp huyện ... 22"): the
        # clause that matched is the answer, not the whole sentence.
        parallel = bool(needle) and len(find_times(best_passage.sentence, year)) > 1
        citation = _passage_citation(ev, best_passage, needle, whole_sentence=not parallel)
        text = _without_label(citation.quote).rstrip(" .;,") + "."
        # Our reading of the time, only when the quote states a single one.
        single = len(find_times(citation.quote, year)) <= 1
        reading = _normalised_time(needle, year) if needle and single else ""
        if reading:
            text += f" ({reading})"
        return Composition(text, (citation,), best_passage.score)
    if best_task is None or best_task[0] < ev.min_score:
        return None
    score, task = best_task
    siblings = [
        t
        for s, t in tasks
        if t.quote == task.quote
        and s >= score - SIBLING_MARGIN
        and not level_mismatch(ev.query, t.description or t.quote)
    ]
    if len(siblings) > 1 and len(task.quote) <= MAX_SENTENCE:
        # Parallel clauses of one sentence ("cấp xã ... 18; cấp huyện ... 22; cấp tỉnh ... 25")
        # that the question does not tell apart: quote them all.
        quote = trim_quote(task.quote)
        return Composition(
            quote.rstrip(" .;,") + ".", (_task_citation(ev, task, quote, score),), score
        )
    if len(siblings) > 1:
        # A long sentence stating several times ("hàng năm trước ngày 15/12; báo cáo tổng
        # kết trước ngày 15/12/2030"): the times whose own clauses the question asks about.
        asked = _asked_time_clauses(ev, task.quote, siblings)
        if asked is not None:
            quote = trim_quote(asked)
            return Composition(
                _without_label(quote).rstrip(" .;,") + ".",
                (_task_citation(ev, task, quote, score),),
                score,
            )
        task = max(siblings, key=lambda t: _time_clause_coverage(ev, t))
    line, quote = _task_time_quote(ev, task)
    meta = ev.meta(task.doc_id)
    text = line.rstrip(" .;") + "."
    reading = _normalised_time(task.time.text if task.time else line, meta.year if meta else None)
    if reading:
        text += f" ({reading})"
    return Composition(text, (_task_citation(ev, task, quote, score),), score)


def _asked_time_clauses(ev: Evidence, quote: str, siblings: list[Task]) -> str | None:
    """The run of `quote` from the first to the last time clause the question asks about,
    when it asks about more than one ("báo cáo sơ kết hằng năm và báo cáo tổng kết"). A
    clause is asked about when the question has a word of it that no other clause has."""
    clauses = []
    for task in siblings:
        span = focus_span(quote, task.time.text) if task.time else None
        clause = _clause_around(quote, span) if span else None
        if clause is not None and clause not in clauses:
            clauses.append(clause)
    if len(clauses) < 2:
        return None
    asked_words = {fold(term) for term in ev.query.match_terms}
    words = [set(re.findall(r"\w+", fold(quote[start:end]))) for start, end in clauses]
    asked = [
        clause
        for i, clause in enumerate(clauses)
        if asked_words & (words[i] - set().union(*(w for j, w in enumerate(words) if j != i)))
    ]
    if len(asked) < 2:
        return None
    start, end = min(c[0] for c in asked), max(c[1] for c in asked)
    return quote[start:end] if end - start <= MAX_SENTENCE else None


def _time_clause_coverage(ev: Evidence, task: Task) -> float:
    """How much of the question the clause holding a task's time covers (its sentence when
    the time is not found in it)."""
    assert task.time is not None
    span = focus_span(task.quote, task.time.text)
    clause = _clause_around(task.quote, span) if span else None
    text = task.quote[clause[0] : clause[1]] if clause else task.quote
    return coverage(ev.query, text, ev.stats)


def _plan_horizon(ev: Evidence) -> Composition | None:
    """ "Kế hoạch ... được thực hiện đến năm nào?": the period the plan's title states."""
    if not asks_horizon(ev.question):
        return None  # before finding the plan: most questions ask no period
    meta = _target_document(ev)
    if meta is None or not asks_plan_horizon(ev.query, ev.question, meta):
        return None
    period = title_period(meta)
    if not period:
        return None
    quote = trim_quote(meta.title, focus_span(meta.title, period))
    text = f"Theo tên văn bản, thời gian thực hiện: {period} (“{quote}”)."
    citation = make_citation(meta, meta.doc_id, "", "Tên văn bản", quote, score=1.0)
    return Composition(text, (citation,), 1.0)


_WANTS_DATE = re.compile(r"\b(?:ngay nao|truoc ngay|han chot|thoi han (?:nao|la)|ngay bao nhieu)\b")
# Of those, the ones no time but a day answers: "hạn chót", "thời hạn là" may be a month or a
# quarter ("Quý III/2026"), so a time naming no day still answers them (compose_deadline).
_WANTS_DAY = re.compile(r"\b(?:ngay nao|truoc ngay|ngay bao nhieu)\b")


def _states_day(text: str) -> bool:
    """A date ("20/5/2026") or a day of a period ("trước ngày 22 tháng cuối quý")."""
    return _has_date(text) or re.search(r"\bngay\s+\d{1,2}\b", fold(text)) is not None


_WANTS_YEAR = re.compile(r"\b(?:nam nao|nam bao nhieu)\b")


def _asked_time_form(question: str) -> Callable[[str], bool] | None:
    """What a time must state to answer the question: a date ("ngày nào"), a year ("năm
    nào"), or None when any time does."""
    folded = fold(question)
    if _WANTS_DATE.search(folded):
        return _has_date
    if _WANTS_YEAR.search(folded):
        return _has_year
    return None


def _task_states(task: Task, states: Callable[[str], bool]) -> bool:
    """The task's own time states what the question asks for (a date, a year)."""
    if task.time is None:
        return False
    if states is _has_date:
        return task.time.due_date is not None
    return states(task.time.text)


def _has_year(text: str) -> bool:
    """A year ("năm 2025", "2021 - 2025") outside dates and document codes."""
    return bool(find_years(text))


_WANTS_TIME = re.compile(r"\b(?:thoi gian|khi nao|bao gio|luc nao|thoi han|thoi diem)\b")


def _states_own_time(passage: Passage, task: Task, task_score: float) -> bool:
    """A clause of the task's own section that states a time itself ("cấp huyện tổ chức họp
    trước ngày 22 tháng cuối quý") is more precise than the task's first time."""
    from ingest.timeparse import find_times

    return (
        passage.section_path == task.section_path
        and passage.score >= task_score - SIBLING_MARGIN
        and bool(find_times(passage.text))
    )


def _mention_text(text: str, mentions: list) -> str:
    """The surface words of the first deadline found (recurrences after dated deadlines)."""
    if not mentions:
        return "thường xuyên" if "thường xuyên" in text.lower() else ""
    dated = [m for m in mentions if m.time.due_date is not None] or mentions
    mention = dated[0]
    words = mention.time.text.strip()
    return words if focus_span(text, words) else ""


def _has_date(text: str) -> bool:
    """An explicit day/month ("ngày 19/8", "20/5/2026") outside document codes."""
    cleaned = without_codes(text)
    return re.search(r"(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{4})?(?![\d/])", cleaned) is not None


def _task_is_ongoing(task: Task) -> bool:
    return task.time is not None and task.time.kind == "ongoing"


_DUTY = re.compile(
    r"\b(?:trach nhiem|nhiem vu|vai tro|cong viec) (?:gi|nao|nhu the nao|the nao)\b|"
    r"\blam (?:gi|nhung gi)\b|\bphai lam\b"
)


# "Sở Y tế phối hợp với ai và thực hiện đề án gì?": who, and also what the agency does.
_ASKS_WHAT = re.compile(r"\b(?:de an|viec|hoat dong|noi dung|nhiem vu|ke hoach) gi\b")


# Relations that role lines ("Đơn vị chủ trì: ...") do not state, and the clause that does:
# "gửi về UBND tỉnh qua cơ quan nào?" is answered by "(qua Công an tỉnh – Phòng Tham mưu)";
# "ai chịu trách nhiệm thi hành Quyết định?" by the decision's last article ("... chịu trách
# nhiệm thi hành Quyết định này").
_RELATIONS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bqua (?:(?:co quan|don vi|bo phan|ai) nao|dau)\b"), re.compile(r"\(qua\s")),
    # "UBND tỉnh báo cáo kết quả lên cơ quan nào?": whom the report goes to, which the
    # sentence with "báo cáo <agency>" states, not the role line of the task around it
    (
        re.compile(r"\bbao cao\b.*\b(?:len|ve|cho|toi|den) (?:co quan|don vi|cap|ai)(?: nao)?\b"),
        re.compile(
            r"\bbao cao (?:ve |len |cho |toi |den )?(?:ban|dang uy|uy ban|ubnd|tinh uy|bo|so|"
            r"cong an|hoi dong|thuong truc|chu tich|thu truong)\b"
        ),
    ),
    (
        re.compile(r"\bthi hanh (?:quyet dinh|nghi quyet|ke hoach|chuong trinh)\b"),
        re.compile(r"\bthi hanh (?:quyet dinh|nghi quyet|ke hoach|chuong trinh) nay\b"),
    ),
)


def compose_responsibility(ev: Evidence) -> Composition | None:
    folded_q = fold(ev.question)
    if _DUTY.search(folded_q) or (_ASKS_WHAT.search(folded_q) and _named_agency_section(ev)):
        # "Sở Tài chính có trách nhiệm gì?": the duty itself, not a list of agencies.
        return _compose_duty(ev)
    related = _relation_passage(ev, folded_q)
    if related is not None:
        return related
    tasks = _rank_tasks(ev, lambda t: bool(t.lead or t.cooperating or t.executing or t.directing))
    passages = _passages(ev, keep=has_role)
    best_task = tasks[0] if tasks else None
    best_passage = passages[0] if passages else None
    if best_passage is not None and (best_task is None or best_passage.score > best_task[0] + 0.05):
        if best_passage.score < ev.min_score:
            return None
        own_task = _task_holding(ev, best_passage)
        if own_task is not None:
            # The passage states the task; its "Đơn vị chủ trì/phối hợp" lines say who does it.
            answer, quote = _task_roles(ev, own_task)
            return Composition(
                answer, (_task_citation(ev, own_task, quote, best_passage.score),),
                best_passage.score,
            )  # fmt: skip
        citation = _span_citation(ev, best_passage)
        text = citation.quote.rstrip(" .;,") + "."
        agency = _owning_agency(ev, best_passage)
        if agency and fold(agency) not in fold(text):
            text = f"{agency}: {text[:1].lower() + text[1:]}"
        return Composition(text, (citation,), best_passage.score)
    if best_task is None or best_task[0] < ev.min_score:
        return None
    score, task = best_task
    answer, quote = _task_roles(ev, task)
    return Composition(answer, (_task_citation(ev, task, quote, score),), score)


def _relation_passage(ev: Evidence, folded_q: str) -> Composition | None:
    """The best passage stating the relation the question asks about (see _RELATIONS), with
    its neighbouring clauses, when it scores as an answer."""
    for asked, stated in _RELATIONS:
        if not asked.search(folded_q):
            continue
        passages = _passages(ev, keep=lambda text, stated=stated: bool(stated.search(fold(text))))
        if passages and passages[0].score >= ev.min_score:
            best = passages[0]
            citation = _span_citation(ev, best)
            return Composition(citation.quote.rstrip(" .;,/") + ".", (citation,), best.score)
    return None


def _task_holding(ev: Evidence, passage: Passage) -> Task | None:
    """The task record stated by a passage that names no agency in a role itself, when the
    record has role lines or a closing role parenthesis ("(Sở Lao động ..., Công an tỉnh, Sở
    Y tế và các địa phương thực hiện)"): the passage is the task's description, its roles
    follow it. Agencies the passage names otherwise ("Hướng dẫn liên ngành ... của Công an
    tỉnh và Sở Lao động ...") are not who carries the task out."""
    if _ROLE_LINE.match(passage.text):
        # One role line of a task's block ("Cơ quan tham mưu, thực hiện: ..."): the block
        # answers, with its other lines ("Cơ quan chỉ đạo: ...").
        return next(
            (
                task
                for task in ev.tasks_of(passage.chunk.doc_id)
                if task.section_path == passage.section_path and passage.text.strip() in task.quote
            ),
            None,
        )
    if _ROLE_PAREN.search(passage.text):
        return None
    probe = passage.text[:60]
    for task in ev.tasks_of(passage.chunk.doc_id):
        if not (task.lead or task.cooperating or task.executing or task.directing):
            continue
        same = task.section_path == passage.section_path or (probe and probe in task.quote)
        if same and (_lines_matching(task.quote, _ROLE_LINE) or _ROLE_PAREN.search(task.quote)):
            return task
    return None


def _compose_duty(ev: Evidence) -> Composition | None:
    named = _named_agency_duties(ev, max_items=DUTY_ITEMS) or _tasks_of_named_agency(ev)
    if named is not None:
        return named
    if _lead_subject_agency(ev.question):
        # "Bộ đội Biên phòng tỉnh chủ trì nhiệm vụ nào?" and no task of these plans has it
        # as lead: the plans do not say, whatever passage mentions it.
        return None
    passages = _passages(ev)
    if not passages or passages[0].score < ev.min_score:
        return None
    best = passages[0]
    citation = _passage_citation(ev, best)
    text = citation.quote.rstrip(" .;,") + "."
    agency = _owning_agency(ev, best)
    if agency and fold(agency) not in fold(text):
        text = f"{agency}: {text[:1].lower() + text[1:]}"
    return Composition(text, (citation,), best.score)


def _tasks_of_named_agency(ev: Evidence, max_items: int = 3) -> Composition | None:
    """The tasks a plan gives the agency the question names ("Bộ Chỉ huy Quân sự tỉnh chủ
    trì nhiệm vụ gì?"), when its duties are role lines under each task rather than a section
    of their own: the tasks whose lead (or, unless "chủ trì" is asked, executing agency) is
    that agency, best covering the question first."""
    asked = set(match_tokens(ev.question, folded=True))
    wants_lead = re.search(r"\bchu tri\b", fold(ev.question)) is not None
    scored: list[tuple[float, str, Task]] = []
    for doc_id in dict.fromkeys(hit.chunk.doc_id for hit in ev.hits[:6]):
        naming = naming_terms(ev.query, ev.meta(doc_id))
        for task in ev.tasks_of(doc_id):
            names = task.lead if wants_lead else task.lead + task.executing
            agency = next((n for n in names if _question_names(asked, n)), "")
            if not agency:
                continue
            own = coverage(ev.query, task.description or task.quote, ev.stats, naming)
            scored.append((own + 0.3 * _task_proximity(ev, task), agency, task))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0], reverse=True)
    chosen = [item for item in scored[:max_items] if item[0] >= SECOND_ITEM_SHARE * scored[0][0]]
    citations = []
    for score, _, task in chosen:
        description = (task.description or task.quote).strip()
        duty = description if description in task.quote else task.quote
        # The duty is the answer as a whole: show as much of it as a span may hold, not the
        # half a quote shows around no fact in particular.
        shown = (0, min(len(duty), MAX_SPAN_CHARS))
        quote = trim_quote(duty, shown, limit=MAX_SPAN_CHARS)
        citations.append(_task_citation(ev, task, quote, score))
    body = "; ".join(c.quote.rstrip(" .;,") for c in citations)
    role = "chủ trì" if wants_lead else "thực hiện"
    text = f"{chosen[0][1]} {role}: {body[:1].lower() + body[1:]}."
    return Composition(text, tuple(citations), max(ev.min_score, chosen[0][0]))


def _lead_subject_agency(question: str) -> str:
    """The catalogued agency that is the subject of "chủ trì" in the question ("..., Bộ đội
    Biên phòng tỉnh chủ trì nhiệm vụ nào?"), or ""."""
    from ingest.agencies import known_agencies
    from retriever.query import expand_abbreviations

    expanded, _ = expand_abbreviations(question)
    match = re.search(r"([^,;:?]*)\bchu tri\b", fold(expanded))
    if match is None:
        return ""
    subject = " " + " ".join(re.findall(r"\w+", match.group(1))) + " "
    for agency in known_agencies():
        for form in (agency.canonical, *agency.aliases):
            key = " ".join(re.findall(r"\w+", fold(form)))
            if len(key.split()) >= 2 and f" {key} " in subject:
                return agency.canonical
    return ""


def _question_names(asked: set[str], agency: str) -> bool:
    """Nearly all the words of an agency's name (its parenthesised alias aside) are in the
    question."""
    words = match_tokens(without_asides(agency), folded=True)
    if len(words) < 2:
        return False
    return sum(word in asked for word in words) / len(words) >= AGENCY_TITLE_SHARE


def _named_agency_section(ev: Evidence) -> tuple[str, Section] | None:
    """The section headed by the agency the question names ("17. Sở Kế hoạch và Đầu tư"),
    in the documents of the top hits: its title's words must nearly all be in the question."""
    tokens = match_tokens(ev.question, folded=True)
    asked = set(tokens)
    pairs = set(zip(tokens, tokens[1:], strict=False))
    best: tuple[float, int, str, Section] | None = None
    for doc_id in dict.fromkeys(hit.chunk.doc_id for hit in ev.hits[:6]):
        for section in ev.titles.sections(doc_id).values():
            title = _heading_name(section.title)
            if not title or len(title) > AGENCY_TITLE_MAX or not _AGENCY_HEAD.match(title):
                continue
            words = match_tokens(_lead_name(title), folded=True)
            if len(words) < 2:
                continue
            # ... and open with the name's first two words ("sở kế"): "so sánh ... kế hoạch
            # ... trật tự ... và" holds most words of "Sở Kế hoạch và Đầu tư" but not the name.
            if (words[0], words[1]) not in pairs:
                continue
            found = sum(word in asked for word in words)
            share = found / len(words)
            if share >= AGENCY_TITLE_SHARE and (best is None or (share, found) > best[:2]):
                best = (share, found, doc_id, section)
    return (best[2], best[3]) if best else None


def _subtree_clauses(
    ev: Evidence, doc_id: str, root: Section
) -> list[tuple[float, int, Section, str]]:
    """(score, order, section, clause) for each clause of a section's subtree, scored by how
    much of the question the clause covers."""
    naming = naming_terms(ev.query, ev.meta(doc_id))
    out = []
    for section in ev.titles.sections(doc_id).values():
        if section.path != root.path and not section.path.startswith(root.path + "."):
            continue
        body = section.title if section.path != root.path else ""
        for text in (body, section.text):
            for start, end in sentence_spans(text):
                clause = text[start:end]
                if len(clause.split()) < 4 or _ROLE_LINE.match(clause) or _TIME_LINE.match(clause):
                    continue
                score = coverage(ev.query, clause, ev.stats, naming)
                out.append((score, section.order * 1000 + start, section, clause))
    return out


def _best_clause(ev: Evidence, sentence: str) -> tuple[int, int] | None:
    """The span of a long sentence's clause that best covers the question (kept in a trimmed
    quote)."""
    if len(sentence) <= MAX_SENTENCE:
        return None
    spans = clause_spans(sentence)
    if not spans:
        return None
    best = max(spans, key=lambda span: coverage(ev.query, sentence[span[0] : span[1]], ev.stats))
    return best[0], best[1]


def _named_agency_duties(ev: Evidence, max_items: int) -> Composition | None:
    """The duties listed under the agency the question names, best matching first (in the
    document's order), each cited at its own item."""
    found = _named_agency_section(ev)
    if found is None:
        return None
    doc_id, root = found
    clauses = _subtree_clauses(ev, doc_id, root)
    if not clauses:
        return None
    # Items are ranked on what the question asks beyond naming the plan, the agency and
    # asking for its duties: "Sở Tư pháp có nhiệm vụ gì?" asks for every item alike, not the
    # one that happens to say "nhiệm vụ".
    topical = _duty_topic_skip(ev, doc_id, root)
    asked = [(coverage(ev.query, c[3], ev.stats, topical), c) for c in clauses]
    asked.sort(key=lambda item: (-item[0], -item[1][0], item[1][1]))
    top = asked[0][0]
    ranked = [c for share, c in asked[:max_items] if share >= top * SECOND_ITEM_SHARE]
    ranked.sort(key=lambda c: c[1])
    citations = []
    for score, _, section, sentence in ranked:
        quote = trim_quote(sentence, _best_clause(ev, sentence))
        citations.append(
            make_citation(
                ev.meta(doc_id),
                doc_id,
                section.path,
                ev.titles.title(doc_id, section.path),
                quote,
                chunk_id=_chunk_id_for(ev, doc_id, quote),
                score=score,
            )
        )
    agency = root.title.strip().rstrip(":. ")
    body = "; ".join(c.quote.rstrip(" .;,") for c in citations)
    text = f"{agency}: {body[:1].lower() + body[1:]}."
    best = max(c[0] for c in ranked)
    return Composition(text, tuple(citations), max(MIN_ANSWER_SCORE, best))


# Words that ask for an agency's duties rather than name a topic of them.
_DUTY_WORDS = "nhiệm vụ trách nhiệm vai trò công việc làm gì những phải có được giao"


def _duty_topic_skip(ev: Evidence, doc_id: str, root: Section) -> frozenset[str]:
    """The question's words that name the plan, the agency heading `root`, or ask for duties."""
    return naming_and(ev.query, ev.meta(doc_id), f"{_heading_name(root.title)} {_DUTY_WORDS}")


def _heading_name(title: str) -> str:
    """An agency heading without its parenthesised members or alias ("Đề nghị Ủy ban Mặt trận
    Tổ quốc Việt Nam tỉnh và các tổ chức thành viên (Hội Liên hiệp Phụ nữ tỉnh, ...)")."""
    return without_asides(title).rstrip(":. ")


def _lead_name(name: str) -> str:
    """The agency a heading names before its followers ("... tỉnh và các tổ chức thành
    viên"): a question names the heading by naming that agency."""
    return re.sub(r"\s+và (?:các|những)\s.*$", "", name)


def _owning_agency(ev: Evidence, passage: Passage) -> str:
    """The agency heading a duty list ("1. Công an tỉnh" › "a) Chịu trách nhiệm ...")."""
    for section in ev.titles.ancestors(passage.chunk.doc_id, passage.section_path):
        title = section.title.strip().rstrip(":")
        if title and len(title) <= 120 and _AGENCY_HEAD.match(title):
            return title
    return ""


def compose_target(ev: Evidence) -> Composition | None:
    folded_q = fold(ev.question)
    wants_percent = bool(re.search(r"%|phan tram|ty le|ti le", folded_q))
    wants_money = bool(_ASKS_MONEY.search(folded_q))
    unit = _asked_unit(folded_q)
    wants_target = _ASKS_TARGET.search(folded_q) is not None
    # Numbers the question names ("Tổ công tác 151", "Nghị quyết 09") name things; they are
    # not the figure it asks for.
    named = set(re.findall(r"\d+", ev.question))

    def figure(sentence: str) -> bool:
        if not has_figure(_without_numbers(sentence, named)):
            return False
        if wants_percent and "%" not in sentence:
            return False
        if wants_money and not _MONEY.search(sentence):
            return False
        if not unit:
            return True
        if wants_percent:
            return re.search(rf"\b{unit}\b", fold(sentence)) is not None
        # "có bao nhiêu đối tượng truy nã?" asks for a count of them: "30% số đối tượng truy
        # nã hiện có" is a share, and says nothing of how many there are. A target set in
        # shares ("chỉ tiêu ... bao nhiêu xã đạt": "ít nhất 80% xã") is the target asked.
        share = r"\s*%?" if wants_target else ""
        return re.search(rf"\d[\d.,]*{share}\s+(?:\w+\s+)?{unit}\b", fold(sentence)) is not None

    passages = _passages(ev, keep=figure)
    passages = [p for p in passages if not crime_mismatch(ev.query, p.sentence)]
    if not passages or passages[0].score < ev.min_score:
        return None
    best = passages[0]
    # The figure's whole statement: "đạt từ 60% trở lên; 85% các địa bàn ... không tái
    # phức tạp" is one target of two figures.
    citation = _span_citation(ev, best, _first_figure(best.text))
    text = _without_label(citation.quote).rstrip(" .;,") + "."
    return Composition(text, (citation,), best.score)


_ASKS_TARGET = re.compile(r"\b(?:chi tieu|muc tieu|phan dau)\b")


def _without_numbers(text: str, numbers: set[str]) -> str:
    """`text` with the given numbers blanked where they stand alone."""
    for number in numbers:
        text = re.sub(rf"(?<![\d.,]){re.escape(number)}(?!\d|[.,]\d)", " ", text)
    return text


def _asked_unit(folded_question: str) -> str:
    match = _UNIT_AFTER_HOW_MANY.search(folded_question)
    if not match:
        return ""
    words = match.group(1)
    for unit in sorted(_UNITS, key=len, reverse=True):
        if words == unit or words.startswith(unit + " "):
            return unit
    return ""


def _first_figure(text: str) -> str:
    match = re.search(r"\d+(?:[.,]\d+)?\s*%", text) or re.search(r"\d+(?:[.,]\d+)?", text)
    return match.group() if match else ""


# Questions answered by the one clause that states the relation asked about, not by a task
# that merely names the decision: when it takes effect ("có hiệu lực thi hành kể từ ngày
# ký"), on whose proposal it was issued ("Theo đề nghị của Giám đốc Công an tỉnh tại Tờ
# trình số ...").
_STATED_CLAUSES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\b(?:co|phat sinh) hieu luc\b"),
        re.compile(r"\bhieu luc\b.*\b(?:ke tu|tu ngay|tu khi|sau)\b"),
    ),
    (
        re.compile(r"\b(?:theo|xet) de nghi\b|\bto trinh (?:so )?(?:may|nao|bao nhieu)\b"),
        re.compile(r"\b(?:theo|xet) de nghi cua\b"),
    ),
)


def compose_general(ev: Evidence) -> Composition | None:
    basis = _implemented_basis(ev) or _plan_horizon(ev)
    if basis is not None:
        return basis
    passages = _citing_first(ev, _passages(ev))
    for asked, stated in _STATED_CLAUSES:
        if asked.search(fold(ev.question)):
            first = [p for p in passages if stated.search(fold(p.text))]
            passages = first + [p for p in passages if p not in first]
    duty = _DUTY.search(fold(ev.question)) is not None
    named = _named_agency_duties(ev, max_items=DUTY_ITEMS if duty else 1)
    if named is not None and (
        duty
        or not passages
        or named.score >= coverage(ev.query, passages[0].text, ev.stats, _naming(ev, passages[0]))
    ):
        # "Sở Tư pháp có nhiệm vụ gì?", "Ngân hàng Nhà nước phải quản lý hoạt động gì?": the
        # items listed under that agency's heading, not the best passage anywhere.
        return named
    if not passages or not _states_what_is_asked(ev, passages[0]):
        return None
    best = passages[0]
    listed = _listed_documents(ev, best) if _ASKS_DIRECTIVES.search(fold(ev.question)) else []
    if len(listed) >= 2:
        # "gắn với những chỉ thị, kết luận nào?": the documents the sentence lists, by number
        # and date as printed; the sentence is the citation.
        citations = [_sentence_citation(ev, best)]
        text = "; ".join(listed) + "."
    else:
        # "theo những văn bản nào?" asks for the documents the sentence goes on to list,
        # which it does not name; other questions get the clause grown by its neighbours.
        asks_sources = _ASKS_SOURCES.search(fold(ev.question)) is not None
        citations = [(_sentence_citation if asks_sources else _span_citation)(ev, best)]
        text = _without_label(citations[0].quote).rstrip(" .;,") + "."
    opening = _task_opening(ev, best) if _ASKS_WHICH_TASK.search(fold(ev.question)) else None
    if opening is not None and opening.quote not in citations[0].quote:
        # "... có nhắc đến X không, trong nhiệm vụ nào?": X sits deep in a long sentence whose
        # opening names the task ("Chủ động tấn công, trấn áp các loại tội phạm, nhất là ...").
        lead = _without_label(opening.quote).rstrip(" .;,")
        asks_whether = re.search(r"\bco\b.*\bkhong\b", fold(ev.question)) is not None
        text = f"{'Có, trong' if asks_whether else 'Trong'} nhiệm vụ: “{lead} …”: {text}"
        citations.insert(0, opening)
    note = footnote_for(ev.titles, best.chunk.doc_id, ev.question, best.sentence)
    if note is not None:
        # "05 Nghị quyết của Bộ Chính trị gồm những nghị quyết nào?": the footnote lists them.
        quote = trim_quote(note.text, limit=FOOTNOTE_MAX)
        text += f" Cụ thể: {quote.rstrip(' .;,')}."
        citations.append(
            make_citation(
                ev.meta(best.chunk.doc_id),
                best.chunk.doc_id,
                note.path,
                note.title or "Chú thích",
                quote,
                chunk_id=_chunk_id_for(ev, best.chunk.doc_id, quote),
                score=best.score,
            )
        )
    if _WANTS_TIME.search(fold(ev.question)) and not has_time(text):
        # "thời gian tổ chức mít tinh ...": the task's own time line answers it.
        timed = _timed_task_at(ev, best)
        if timed is not None:
            line, quote = _task_time_quote(ev, timed)
            text += f" {line.rstrip(' .;')}."
            citations.append(_task_citation(ev, timed, quote, best.score))
    return Composition(text, tuple(citations), best.score)


_CITED_DOCUMENT = re.compile(
    r"\b(?:Chỉ thị|Kết luận|Nghị quyết|Nghị định|Thông tư|Quyết định|Kế hoạch|Chương trình|"
    rf"Luật|Hướng dẫn(?:\s+liên\s+ngành)?)\s+số\s+(?P<code>{DOC_CODE.pattern})"
    r"(?:,?\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?",
)


def _listed_documents(ev: Evidence, passage: Passage) -> list[str]:
    """Documents the passage's sentence cites from the clause on ("Chỉ thị số 46-CT/TW ngày
    22/6/2015"), as printed on one line, without those the question names itself."""
    text = passage.sentence[passage.start - passage.sentence_start :]
    named = {ref.number for ref in ev.query.doc_refs}
    found = [
        " ".join(match.group().split())
        for match in _CITED_DOCUMENT.finditer(text)
        if str(int(re.split(r"\D", match["code"], maxsplit=1)[0])) not in named
    ]
    return list(dict.fromkeys(found))


_ASKS_SOURCES = re.compile(r"\b(?:van ban|quy dinh|nghi dinh|thong tu|luat|can cu) (?:nao|gi)\b")
# Party documents are cited by number ("Chỉ thị số 46-CT/TW"), so each can be named.
_ASKS_DIRECTIVES = re.compile(r"\b(?:chi thi|ket luan|nghi quyet) (?:nao|gi)\b")


def _citing_first(ev: Evidence, passages: list[Passage]) -> list[Passage]:
    """ "Kế hoạch 4820/KH-BCĐ về nội dung gì?" asks about a document the plan cites: the
    passages citing it come first. A number that is the plan's own, or that its title
    names ("thực hiện Kết luận 13-KL/TW"), names the plan instead."""

    # A number naming any plan here names a plan: in a comparison, "kế hoạch thực hiện KL 13
    # của Quảng Ngãi và kế hoạch năm 2024 của Hải Dương" does not ask what KL 13 says.
    cited = [ref for ref in ev.query.doc_refs if not names_some_plan(ev.documents.values(), ref)]

    def cites(passage: Passage) -> bool:
        return any(text_mentions_number(passage.text, ref) for ref in cited)

    flags = [cites(p) for p in passages]
    citing = [p for p, flag in zip(passages, flags, strict=True) if flag]
    rest = [p for p, flag in zip(passages, flags, strict=True) if not flag]
    return citing + rest


def _states_what_is_asked(ev: Evidence, passage: Passage) -> bool:
    """The passage scores as an answer, or states most of what the question asks beyond
    naming its plan (a long question naming its plan at length scores low everywhere)."""
    if passage.score >= ev.min_score:
        return True
    text = f"{passage.section_title}\n{passage.text}"
    doc_ids = (passage.chunk.doc_id,)
    return asked_share(ev.query, text, doc_ids, ev.stats, ev.documents) >= MIN_ASKED_SHARE


def _naming(ev: Evidence, passage: Passage) -> frozenset[str]:
    return naming_terms(ev.query, ev.meta(passage.chunk.doc_id))


def _timed_task_at(ev: Evidence, passage: Passage) -> Task | None:
    """The task with a stated time at the passage's section (or the one quoting it)."""
    probe = passage.text[:60]
    for task in ev.tasks_of(passage.chunk.doc_id):
        if task.time is None or not task.time.text.strip():
            continue
        if task.section_path == passage.section_path or (probe and probe in task.quote):
            return task
    return None


_META_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "signer",
        re.compile(r"\b(?:ai ky|nguoi ky|ky boi|ky ten|chu ky|ky voi|chuc vu (?:gi|nao))\b"),
    ),
    ("number", re.compile(r"\b(?:so hieu|ky hieu|so van ban|so cua|so bao nhieu|so may)\b")),
    ("issuer", re.compile(r"\b(?:co quan|don vi|ai|cap nao)\b.*\bban hanh\b|\bban hanh boi\b")),
    # "năm 2026" names the plan; the date is asked by "ngày nào", "khi nào", "ngày ban hành".
    (
        "date",
        re.compile(
            r"\b(?:(?:ngay|thang|nam) (?:nao|may|bao nhieu)|khi nao|bao gio|luc nao|ngay ban hanh|"
            r"ban hanh ngay|ngay ky|ky ngay|ngay thang)\b"
        ),
    ),
    ("recipients", re.compile(r"\b(?:noi nhan|gui den|gui toi)\b")),
    ("status", re.compile(r"\b(?:du thao|chinh thuc|ban nhap)\b")),
    ("doc_type", re.compile(r"\b(?:loai van ban|van ban gi)\b")),
    ("title", re.compile(r"\b(?:ten|trich yeu)\b")),
)


# "nghị quyết số mấy", "tờ trình số mấy": the number of a document the plan cites, which
# its text states, not a field of its own header.
_CITED_NUMBER = re.compile(
    r"\b(?:nghi quyet|ket luan|chi thi|nghi dinh|thong tu|to trinh|cong van|huong dan)"
    r" (?:so )?(?:may|bao nhieu|nao)\b"
)


def metadata_field(question: str) -> str:
    """Which header field a metadata question asks for ("signer", "number", ...), or "" when
    it asks about something the text states (a cited document's number and date)."""
    fields = metadata_fields(question)
    return fields[0] if fields else ""


def metadata_fields(question: str) -> list[str]:
    """Every header field a metadata question asks for, in the order it asks ("do cơ quan nào
    ban hành và người ký giữ chức vụ gì?" → issuer, signer); [] as for `metadata_field`."""
    folded_q = fold(question)
    if _CITED_NUMBER.search(folded_q) or IMPLEMENTS.search(folded_q):
        return []
    found = [(m.start(), name) for name, pattern in _META_FIELDS if (m := pattern.search(folded_q))]
    return [name for _, name in sorted(found)]


def compose_metadata(ev: Evidence) -> Composition | None:
    fields = metadata_fields(ev.question)
    # "Ông X ký kế hoạch ... với chức vụ gì?" asks a field of one plan, not which plans he signed.
    signed = None if fields else _documents_signed_by_named_person(ev)
    if signed is not None:
        return signed
    basis = _implemented_basis(ev)
    if basis is not None:
        return basis
    meta = _target_document(ev) if fields else None
    if meta is None:
        return None
    by_field = {name: _meta_answer(meta, name) for name in fields}
    answered = [pair for pair in by_field.values() if pair[0]]
    blank = [name for name in ("number", "date") if name in by_field and not by_field[name][0]]
    cited = _cited_elsewhere(ev, meta) if blank else None
    if not answered and cited is None:
        return None
    citations = []
    answer = " ".join(answer for _, answer in answered)
    if answered:
        value = "; ".join(value for value, _ in answered)
        citations.append(
            make_citation(
                meta, meta.doc_id, "", "Thông tin văn bản (phần đầu và chữ ký)", value, score=1.0
            )
        )
    if cited is not None:
        text, citation = cited
        answer = f"{answer} {text}".strip()
        citations.append(citation)
    return Composition(answer, tuple(citations), 1.0)


def _cited_elsewhere(ev: Evidence, meta: DocumentMeta) -> tuple[str, Citation] | None:
    """A plan whose header leaves its number or date blank, as another plan cites it."""
    found = cited_as(meta, ev.documents, ev.titles.sections)
    if found is None:
        return None
    other = ev.meta(found.doc_id)
    quote = trim_quote(found.sentence, focus_span(found.sentence, found.number))
    kind = meta.doc_type or "Văn bản"
    text = (
        f"{kind} không ghi số hiệu, ngày ban hành ở phần đầu; {_document_label(other, found.doc_id)}"
        f" dẫn văn bản này là {kind} số {found.number}, ngày {found.date}."
    )
    citation = make_citation(
        other,
        found.doc_id,
        found.section_path,
        ev.titles.title(found.doc_id, found.section_path) or "Phần mở đầu",
        quote,
        chunk_id=_chunk_id_for(ev, found.doc_id, quote),
        score=1.0,
    )
    return text, citation


def _implemented_basis(ev: Evidence) -> Composition | None:
    """ "Kế hoạch ... triển khai nghị quyết số mấy?": the plan's own statement of what it
    implements, in its title or opening (service/basis.py)."""
    kind = implemented_kind(ev.question)
    meta = _target_document(ev) if kind else None
    if meta is None:
        return None
    statements = basis_statements(meta, ev.titles.sections(meta.doc_id), kind)
    if not statements:
        return None
    # The title first among equals: it names what the plan carries out.
    path, sentence = max(statements, key=lambda s: coverage(ev.query, s[1], ev.stats))
    quote = trim_quote(sentence)
    title = ev.titles.title(meta.doc_id, path) if path else "Tên văn bản"
    citation = make_citation(
        meta,
        meta.doc_id,
        path,
        title or "Phần mở đầu",
        quote,
        chunk_id=_chunk_id_for(ev, meta.doc_id, quote),
        score=1.0,
    )
    return Composition(quote.rstrip(" .;,:") + ".", (citation,), 1.0)


def _documents_signed_by_named_person(ev: Evidence) -> Composition | None:
    """ "Những kế hoạch nào do ông X ký?": the plans whose signer the question names."""
    folded_q = " ".join(fold(ev.question).split())
    signed = [
        meta
        for meta in ev.documents.values()
        if meta.signer and re.search(rf"\b{re.escape(fold(meta.signer))}\b", folded_q)
    ]
    if not signed:
        return None
    lines, citations = [], []
    for meta in sorted(signed, key=lambda m: m.doc_id):
        lines.append(f"- {_document_label(meta, meta.doc_id, full=True)}")
        citations.append(
            make_citation(
                meta,
                meta.doc_id,
                "",
                "Thông tin văn bản (phần đầu và chữ ký)",
                meta.signer,
                score=1.0,
            )
        )
    head = f"Văn bản do {signed[0].signer} ký:"
    return Composition("\n".join([head, *lines]), tuple(citations), 1.0)


def _target_document(ev: Evidence) -> DocumentMeta | None:
    """The document a metadata question is about: the one whose number it names, else the
    document of the best hit."""
    for ref in ev.query.doc_refs:
        for meta in ev.documents.values():
            if number_matches(meta, ref):
                return meta
    # Of the retrieved plans, the one the question's words name most ("kế hoạch ... của UBND
    # tỉnh Quảng Ngãi" is the plan, not the Chương trình implementing the same Kết luận),
    # the better-ranked on a tie.
    asked = set(query_terms(ev.query))
    retrieved = list(dict.fromkeys(hit.chunk.doc_id for hit in ev.hits))
    if not retrieved:
        return None
    _, _, best = max(
        (len(naming_terms(ev.query, ev.meta(d)) & asked), -rank, d)
        for rank, d in enumerate(retrieved)
    )
    return ev.meta(best)


def _meta_answer(meta: DocumentMeta, field_name: str) -> tuple[str, str]:
    """(value as printed, answer sentence) for one metadata field; ("", "") when blank."""
    kind = meta.doc_type or "Văn bản"
    if field_name == "signer":
        if not meta.signer:
            return "", ""
        # "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH": on whose behalf, then the office of the signer.
        title = f" ({meta.signer_title})" if meta.signer_title else ""
        return f"{meta.signer}{title}", f"{kind} do {meta.signer} ký{title}."
    if field_name == "number":
        number = meta.number.strip()
        if not number:
            return "", ""
        if not re.match(r"\s*\d", number):
            return number, f"{kind} chưa điền số; số hiệu để trống: “{number}”."
        return number, f"Số hiệu: {number}."
    if field_name == "date":
        if meta.issued_date:
            shown = meta.date_text or _format_date(meta.issued_date)
            return shown, f"{kind} ban hành {shown} ({_format_date(meta.issued_date)})."
        if meta.date_text:
            return (
                meta.date_text,
                f"{kind} chưa điền ngày ban hành; dòng ngày tháng ghi: “{meta.date_text}”.",
            )
        return "", ""
    if field_name == "issuer":
        return meta.issuer, f"Cơ quan ban hành: {meta.issuer}." if meta.issuer else ""
    if field_name == "recipients":
        shown = "; ".join(meta.recipients)
        return shown, f"Nơi nhận: {shown}." if shown else ""
    if field_name == "status":
        # The header marks a draft ("DỰ THẢO"); a plan without the mark is the issued text.
        if meta.status:
            return meta.status, f"{kind} là bản {meta.status.lower()} (ghi “{meta.status}”)."
        return "chính thức", f"{kind} là bản chính thức (không ghi là dự thảo)."
    if field_name == "doc_type":
        return meta.doc_type, f"Loại văn bản: {meta.doc_type}." if meta.doc_type else ""
    if field_name == "title":
        return meta.title, f"{kind}: {meta.title}." if meta.title else ""
    return "", ""


def compose_comparison(ev: Evidence, secondary: str) -> Composition | None:
    """One line per plan: the answer the plan gives on its own (a figure for target
    questions, a time for deadlines, who for responsibilities), for the plans whose answer
    states what the question asks."""
    composer = {
        "target": compose_target,
        "deadline": compose_deadline,
        "responsibility": compose_responsibility,
    }.get(secondary, compose_general)
    compared = tuple(dict.fromkeys(hit.chunk.doc_id for hit in ev.hits))
    answers: list[tuple[float, str, Composition]] = []
    for doc_id in compared:
        own = replace(
            ev,
            hits=[hit for hit in ev.hits if hit.chunk.doc_id == doc_id],
            intent=secondary,
            # The question names every plan compared, a passage of one plan only its own.
            min_score=COMPARED_MIN_SCORE,
        )
        composition = composer(own)
        if composition is None or not composition.citations:
            continue
        if secondary in ("target", "general"):
            # A figure or a passage must state the topic itself; a deadline or a role line
            # states the time or agency of a task whose topic was matched when it was chosen.
            stated = "\n".join(
                f"{short_headings(ev.titles, c.doc_id, c.section_path)}\n{c.section_title}\n{c.quote}"
                for c in composition.citations
            )
            share = asked_share(
                ev.query, stated, compared, ev.stats, ev.documents, _COMPARING_WORDS
            )
            if share < MIN_COMPARED_SHARE:
                continue
        answers.append((composition.score, doc_id, composition))
    top = max((score for score, _, _ in answers), default=0.0)
    chosen = [(doc_id, c) for score, doc_id, c in answers if score >= COMPARED_SHARE * top]
    chosen = chosen[:MAX_COMPARED]
    if not chosen:
        return None
    # "Những kế hoạch nào ...?" asks for the plans themselves: name them in full.
    full = _WHICH_PLANS.search(fold(ev.question)) is not None
    lines = [
        f"- {_document_label(ev.meta(doc_id), doc_id, full)}: {c.text.strip()}"
        for doc_id, c in chosen
    ]
    citations = tuple(citation for _, c in chosen for citation in c.citations)
    return Composition("\n".join(lines), citations, max(c.score for _, c in chosen))


# Words that ask for a comparison, or name a plan by the decision issuing it ("kế hoạch
# kèm theo Quyết định 2224"), rather than say what is compared.
_COMPARING_WORDS = frozenset(
    match_tokens(
        "so sánh khác nhau giống nhau khác biệt điểm chung thế nào không có kèm theo", False
    )
)

_WHICH_PLANS = re.compile(r"\b(?:ke hoach|van ban|chuong trinh|quyet dinh) nao\b")


def _document_label(meta: DocumentMeta | None, doc_id: str, full: bool = False) -> str:
    """How an answer names a plan: type, province and year, and its title (the first ten
    words unless `full`)."""
    if meta is None:
        return doc_id
    bits = [b for b in (document_province(meta), str(meta.year) if meta.year else "") if b]
    kind = meta.doc_type or "Văn bản"
    words = meta.title.split()
    cut = len(words) if full else 10
    short = " ".join(words[:cut]) + ("…" if len(words) > cut else "")
    label = f"{kind} ({', '.join(bits)})" if bits else kind
    return f"{label} “{short}”" if short else label


__all__ = [
    "MIN_ANSWER_SCORE",
    "Composition",
    "Evidence",
    "compose_comparison",
    "compose_deadline",
    "compose_general",
    "compose_metadata",
    "compose_responsibility",
    "compose_target",
    "metadata_field",
    "metadata_fields",
]
