"""HTTP request and response models (the JSON contract in ARCHITECTURE.md).

Kept apart from the domain types in `ingest.types` / `service.types`: the `from_domain`
constructors are the only place the two meet.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from ingest.protocols import Filters
from ingest.types import Chunk, Citation, DocumentMeta, SearchHit, Section, Task, TaskTime
from service.types import Answer

# The contract's id alphabet, and no leading dot: "..", ".env" are never document ids.
DOC_ID_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$"
MAX_QUESTION_CHARS = 2000
MAX_TOP_K = 50
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DocId = Annotated[str, StringConstraints(pattern=DOC_ID_PATTERN)]
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS)
]
IsoDate = Annotated[date, BeforeValidator(lambda value: parse_iso_date(value))]
TopK = Annotated[int, Field(ge=1, le=MAX_TOP_K, strict=True)]


def parse_iso_date(value: object) -> date:
    """YYYY-MM-DD only: other spellings (timestamps, DD/MM/YYYY) are refused, not guessed."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("ngày phải có dạng YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("ngày không tồn tại (dạng YYYY-MM-DD)") from exc


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FiltersIn(_Request):
    doc_ids: Annotated[list[DocId], Field(max_length=100)] | None = None
    province: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    year: Annotated[int, Field(ge=1900, le=2100, strict=True)] | None = None

    def to_domain(self) -> Filters:
        return Filters(
            doc_ids=tuple(self.doc_ids or ()),
            province=self.province or None,
            year=self.year,
        )


class AskRequest(_Request):
    question: QuestionText = Field(
        examples=["Ai chủ trì thực hiện kế hoạch phòng chống mua bán người?"]
    )
    top_k: TopK = 8
    filters: FiltersIn | None = None
    previous_question: QuestionText | None = Field(
        default=None,
        description="The conversation's previous question: a follow-up such as "
        "«còn Hải Dương thì sao?» is answered in its context.",
    )

    def domain_filters(self) -> Filters:
        return self.filters.to_domain() if self.filters else Filters()

    def resolved_question(self) -> str:
        from service.followup import resolve_followup

        return resolve_followup(self.question, self.previous_question)


class SearchRequest(_Request):
    query: QuestionText = Field(examples=["hạn báo cáo sơ kết"])
    top_k: TopK = 5
    filters: FiltersIn | None = None
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid"

    def domain_filters(self) -> Filters:
        return self.filters.to_domain() if self.filters else Filters()


class CitationOut(BaseModel):
    doc_id: str
    doc_title: str
    section_path: str
    section_title: str
    quote: str
    chunk_id: str
    score: float

    @classmethod
    def from_domain(cls, citation: Citation) -> CitationOut:
        return cls(
            doc_id=citation.doc_id,
            doc_title=citation.doc_title,
            section_path=citation.section_path,
            section_title=citation.section_title,
            quote=citation.quote,
            chunk_id=citation.chunk_id,
            score=citation.score,
        )


class AnswerResponse(BaseModel):
    answer: str
    abstained: bool
    intent: str
    citations: list[CitationOut]
    timings_ms: dict[str, float]
    resolved_question: str | None = Field(
        default=None, description="The question actually answered, when a follow-up was rewritten."
    )

    @classmethod
    def from_domain(cls, answer: Answer, resolved_question: str | None = None) -> AnswerResponse:
        return cls(
            answer=answer.answer,
            abstained=answer.abstained,
            intent=answer.intent,
            citations=[CitationOut.from_domain(c) for c in answer.citations],
            timings_ms=dict(answer.timings_ms),
            resolved_question=resolved_question,
        )


class HitOut(BaseModel):
    chunk_id: str
    doc_id: str
    section_path: str
    section_title: str
    breadcrumb: str
    text: str
    score: float

    @classmethod
    def from_domain(cls, hit: SearchHit) -> HitOut:
        chunk: Chunk = hit.chunk
        return cls(
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            section_path=chunk.section_path,
            section_title=chunk.section_title,
            breadcrumb=chunk.breadcrumb,
            text=chunk.text,
            score=hit.score,
        )


class SearchResponse(BaseModel):
    hits: list[HitOut]


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    doc_type: str
    number: str
    issuer: str
    province: str
    place: str
    issued_date: date | None
    date_text: str
    year: int | None
    signer: str
    signer_title: str
    status: str
    recipients: list[str]
    source_format: str

    @classmethod
    def from_domain(cls, meta: DocumentMeta) -> DocumentOut:
        return cls(
            doc_id=meta.doc_id,
            title=meta.title,
            doc_type=meta.doc_type,
            number=meta.number,
            issuer=meta.issuer,
            province=meta.province,
            place=meta.place,
            issued_date=meta.issued_date,
            date_text=meta.date_text,
            year=meta.year,
            signer=meta.signer,
            signer_title=meta.signer_title,
            status=meta.status,
            recipients=list(meta.recipients),
            source_format=meta.source_format,
        )


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class SectionNode(BaseModel):
    path: str
    label: str
    title: str
    kind: str
    level: int
    children: list[SectionNode] = []


class DocumentDetail(DocumentOut):
    sections: list[SectionNode]


class SectionRef(BaseModel):
    path: str
    label: str
    title: str
    kind: str


class SectionOut(BaseModel):
    doc_id: str
    doc_title: str
    path: str
    label: str
    title: str
    kind: str
    level: int
    parent_path: str | None
    breadcrumb: list[SectionRef]  # ancestors from the top, this section excluded
    text: str  # the section's own body
    subtree_text: str  # heading + body of the section and all its descendants, in reading order
    children: list[SectionRef]

    @classmethod
    def from_domain(
        cls,
        section: Section,
        doc_title: str,
        ancestors: list[Section],
        children: list[Section],
        subtree_text: str,
    ) -> SectionOut:
        return cls(
            doc_id=section.doc_id,
            doc_title=doc_title,
            path=section.path,
            label=section.label,
            title=section.title,
            kind=section.kind,
            level=section.level,
            parent_path=section.parent_path,
            breadcrumb=[_ref(s) for s in ancestors],
            text=section.text,
            subtree_text=subtree_text,
            children=[_ref(s) for s in children],
        )


def _ref(section: Section) -> SectionRef:
    return SectionRef(
        path=section.path, label=section.label, title=section.title, kind=section.kind
    )


class TaskTimeOut(BaseModel):
    text: str
    kind: str
    due_date: date | None
    start_date: date | None
    recurrence: str
    recurrence_detail: str

    @classmethod
    def from_domain(cls, time: TaskTime) -> TaskTimeOut:
        return cls(
            text=time.text,
            kind=time.kind,
            due_date=time.due_date,
            start_date=time.start_date,
            recurrence=time.recurrence,
            recurrence_detail=time.recurrence_detail,
        )


class TaskCitationOut(BaseModel):
    doc_id: str
    doc_title: str
    section_path: str
    section_title: str
    quote: str


class TaskOut(BaseModel):
    task_id: str
    doc_id: str
    section_path: str
    description: str
    lead: list[str]
    cooperating: list[str]
    executing: list[str]
    directing: list[str]
    time: TaskTimeOut | None
    citation: TaskCitationOut

    @classmethod
    def from_domain(cls, task: Task, doc_title: str, section_title: str) -> TaskOut:
        return cls(
            task_id=task.task_id,
            doc_id=task.doc_id,
            section_path=task.section_path,
            description=task.description,
            lead=list(task.lead),
            cooperating=list(task.cooperating),
            executing=list(task.executing),
            directing=list(task.directing),
            time=TaskTimeOut.from_domain(task.time) if task.time else None,
            citation=TaskCitationOut(
                doc_id=task.doc_id,
                doc_title=doc_title,
                section_path=task.section_path,
                section_title=section_title,
                quote=task.quote,
            ),
        )


class TaskList(BaseModel):
    tasks: list[TaskOut]


class HealthOut(BaseModel):
    status: Literal["ok"]
    documents: int
    chunks: int


class UploadResult(DocumentOut):
    sections: int
    tasks: int


class DeleteResult(BaseModel):
    doc_id: str
    deleted: bool
