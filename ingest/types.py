"""Domain types shared by every layer: small, frozen, and free of I/O.

Glossary of Vietnamese document terms kept as-is in names and docs:
Kế hoạch (plan), Quyết định (decision), Chương trình (programme), chủ trì (lead agency),
phối hợp (cooperating agency), thực hiện (executing agency), chỉ đạo (directing body),
tham mưu (advising body), Nơi nhận (distribution list), Điều (article), Phần (part).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DocumentMeta:
    """Header block of one plan. Any field may be empty: drafts leave number and date blank."""

    doc_id: str
    title: str
    doc_type: str = ""  # "Kế hoạch", "Quyết định", "Chương trình", ...
    number: str = ""  # "2224/QĐ-UBND"; "/KH-UBND" when the number is left blank
    issuer: str = ""  # "Ủy ban nhân dân tỉnh Đồng Tháp"
    province: str = ""  # "Đồng Tháp"
    place: str = ""  # place as written in the date line
    issued_date: date | None = None
    date_text: str = ""  # the date line as written ("ngày   tháng 5 năm 2026")
    year: int | None = None  # from the date line or, failing that, the title
    signer: str = ""
    signer_title: str = ""  # the capitalised lines above the name: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    status: str = ""  # "Dự thảo" for a draft, "" otherwise
    recipients: tuple[str, ...] = ()  # "Nơi nhận" list: metadata, not answerable text
    title_note: str = ""  # how the title (or any field) was derived when the text lacks it
    source_path: str = ""
    source_format: str = ""  # txt, md, docx, pdf


@dataclass(frozen=True)
class Section:
    """One node of a document's heading tree.

    `path` follows the contract in ARCHITECTURE.md: the document's own labels joined by
    ".", bullets as "-N"/"+N" (1-based position), e.g. "II.2.a.-3". `text` is the node's own
    body (heading line excluded, children excluded), in the document's own spelling
    (NFC, markdown and footnote markers removed).
    """

    doc_id: str
    path: str
    label: str  # "II", "2", "a", "-3", "Điều1", "preamble", "fn1"
    title: str  # heading text without its label ("" for bullets and paragraphs)
    text: str
    level: int  # depth in the tree, top-level sections are 1
    parent_path: str | None
    order: int  # position in reading order within the document
    kind: str = "heading"  # heading | bullet | preamble | footnote


@dataclass(frozen=True)
class ParsedDocument:
    meta: DocumentMeta
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class TaskTime:
    """A task's time as written plus its normalised reading."""

    text: str  # as written, e.g. "Chậm nhất ngày 20/5/2026"
    kind: str  # date | recurrence | range | ongoing | period | unknown
    due_date: date | None = None  # for kind=date (and the end of a range)
    start_date: date | None = None  # for kind=range/period
    recurrence: str = ""  # yearly | half_yearly | quarterly | monthly | ...
    recurrence_detail: str = ""  # e.g. "before 15/12", "day 25 of the quarter's last month"


@dataclass(frozen=True)
class Task:
    """One assignment found in a plan, tied to the section that states it."""

    task_id: str  # f"{doc_id}:{section_path}:{n}"
    doc_id: str
    section_path: str
    description: str
    quote: str  # the passage the record was read from, in the document's spelling
    lead: tuple[str, ...] = ()  # canonical agency names (chủ trì)
    cooperating: tuple[str, ...] = ()  # phối hợp
    executing: tuple[str, ...] = ()  # thực hiện / tham mưu, thực hiện
    directing: tuple[str, ...] = ()  # chỉ đạo
    time: TaskTime | None = None


@dataclass(frozen=True)
class Agency:
    """One agency, one entry: canonical name plus the spellings that refer to it."""

    canonical: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: part of one section subtree, never crossing a top-level section."""

    chunk_id: str  # f"{doc_id}:{section_path}:{n}"
    doc_id: str
    section_path: str
    section_title: str
    breadcrumb: str  # "II. Nhiệm vụ › 2. … › a) …"
    text: str  # surface text shown to users
    index_text: str = ""  # canonical tone marks, for matching
    segmented: str = ""  # underthesea word-segmented form ("phòng_chống tội_phạm")
    folded: str = ""  # diacritic-free lower-case form
    order: int = 0


@dataclass(frozen=True)
class Citation:
    doc_id: str
    doc_title: str
    section_path: str
    section_title: str
    quote: str
    chunk_id: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float
    sources: dict[str, float] = field(default_factory=dict)  # per-retriever rank/score
