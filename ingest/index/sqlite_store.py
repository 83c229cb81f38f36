"""The SQLite half of an index version: schema, writing parsed files, and reading rows back
into domain types. Documents, sections, tasks and agencies are records here; chunks are both
records and an FTS5 table (three lexical forms) searched with bm25."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from ingest.types import Agency, Chunk, DocumentMeta, Section, Task, TaskTime
from ingest.vntext import fold, index_form

SCHEMA_VERSION = 2  # 2: documents.signer_title, documents.status
TASK_ROLES = ("lead", "cooperating", "executing", "directing")

# `_` joins the syllables of an underthesea word ("phòng_chống"), so it must stay inside tokens;
# diacritics are kept (the folded column holds the accentless form). Codes such as
# "2224/qđ-ubnd" become the tokens 2224, qđ, ubnd and are found as a phrase.
FTS_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'"

SCHEMA = f"""
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    province TEXT NOT NULL,
    province_key TEXT NOT NULL,
    place TEXT NOT NULL,
    issued_date TEXT,
    date_text TEXT NOT NULL,
    year INTEGER,
    signer TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    status TEXT NOT NULL,
    recipients TEXT NOT NULL,
    title_note TEXT NOT NULL,
    source_path TEXT NOT NULL,
    source_format TEXT NOT NULL,
    file_sha256 TEXT NOT NULL
);
CREATE TABLE sections (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    label TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_path TEXT,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (doc_id, path)
);
CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section_path TEXT NOT NULL,
    description TEXT NOT NULL,
    quote TEXT NOT NULL,
    time_text TEXT,
    time_kind TEXT,
    due_date TEXT,
    start_date TEXT,
    recurrence TEXT,
    recurrence_detail TEXT
);
CREATE INDEX tasks_doc ON tasks (doc_id, position);
CREATE INDEX tasks_due ON tasks (due_date);
CREATE TABLE task_agencies (
    task_id TEXT NOT NULL REFERENCES tasks(task_id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    agency TEXT NOT NULL,
    agency_key TEXT NOT NULL,
    PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_agencies_key ON task_agencies (agency_key);
CREATE TABLE agencies (
    agency_id INTEGER PRIMARY KEY,
    canonical TEXT NOT NULL UNIQUE
);
CREATE TABLE agency_aliases (
    agency_id INTEGER NOT NULL REFERENCES agencies(agency_id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY (agency_id, alias)
);
CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    section_path TEXT NOT NULL,
    section_title TEXT NOT NULL,
    breadcrumb TEXT NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    segmented TEXT NOT NULL,
    folded TEXT NOT NULL,
    ord INTEGER NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc_id, ord);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    words, syllables, folded, tokenize = "{FTS_TOKENIZER}"
);
"""


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A connection usable from the thread that asked for it (readers keep one per thread)."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(
        f"BEGIN;\n{SCHEMA}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION});\nCOMMIT;"
    )


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])


def province_key(province: str) -> str:
    """Accent- and case-insensitive province key: "tỉnh Đồng Tháp", "dong thap" → "dong thap"."""
    key = " ".join(fold(province).split())
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def agency_key(name: str) -> str:
    return " ".join(fold(name).split())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --- writing -----------------------------------------------------------------------------


def insert_document(
    conn: sqlite3.Connection, meta: DocumentMeta, position: int, file_sha256: str
) -> None:
    conn.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            meta.doc_id,
            position,
            meta.title,
            meta.doc_type,
            meta.number,
            meta.issuer,
            meta.province,
            province_key(meta.province),
            meta.place,
            _iso(meta.issued_date),
            meta.date_text,
            meta.year,
            meta.signer,
            meta.signer_title,
            meta.status,
            json.dumps(list(meta.recipients), ensure_ascii=False),
            meta.title_note,
            meta.source_path,
            meta.source_format,
            file_sha256,
        ),
    )


def insert_sections(conn: sqlite3.Connection, sections: Iterable[Section]) -> None:
    conn.executemany(
        "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (s.doc_id, s.path, s.label, s.title, s.text, s.level, s.parent_path, s.order, s.kind)
            for s in sections
        ],
    )


def insert_tasks(conn: sqlite3.Connection, tasks: Sequence[Task]) -> None:
    for position, task in enumerate(tasks):
        time = task.time
        conn.execute(
            "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                task.task_id,
                task.doc_id,
                position,
                task.section_path,
                task.description,
                task.quote,
                time.text if time else None,
                time.kind if time else None,
                _iso(time.due_date) if time else None,
                _iso(time.start_date) if time else None,
                time.recurrence if time else None,
                time.recurrence_detail if time else None,
            ),
        )
        conn.executemany(
            "INSERT INTO task_agencies VALUES (?,?,?,?,?)",
            [
                (task.task_id, role, i, name, agency_key(name))
                for role in TASK_ROLES
                for i, name in enumerate(getattr(task, role))
            ],
        )


def insert_chunks(
    conn: sqlite3.Connection, chunks: Sequence[Chunk], lexical: Sequence[tuple[str, str, str]]
) -> None:
    """Store chunks as given and, per chunk, its FTS row `lexical[i]` = (words, syllables,
    folded) — the search forms, which may hold more than the chunk text (its breadcrumb)."""
    for chunk, (words, syllables, folded) in zip(chunks, lexical, strict=True):
        cursor = conn.execute(
            "INSERT INTO chunks (chunk_id, doc_id, section_path, section_title, breadcrumb, text,"
            " index_text, segmented, folded, ord) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                chunk.chunk_id,
                chunk.doc_id,
                chunk.section_path,
                chunk.section_title,
                chunk.breadcrumb,
                chunk.text,
                chunk.index_text or index_form(chunk.text),
                chunk.segmented,
                chunk.folded or fold(chunk.text),
                chunk.order,
            ),
        )
        conn.execute(
            "INSERT INTO chunks_fts (rowid, words, syllables, folded) VALUES (?,?,?,?)",
            (cursor.lastrowid, index_form(words), index_form(syllables), fold(folded)),
        )


def delete_document(conn: sqlite3.Connection, doc_id: str) -> None:
    """Remove a document and everything derived from it (FTS rows included)."""
    conn.execute(
        "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE doc_id = ?)",
        (doc_id,),
    )
    conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))


def replace_agencies(conn: sqlite3.Connection, agencies: Iterable[Agency]) -> None:
    """Store the agency register: one row per canonical name, its aliases keyed folded."""
    conn.execute("DELETE FROM agencies")
    for agency in agencies:
        cursor = conn.execute("INSERT INTO agencies (canonical) VALUES (?)", (agency.canonical,))
        names = dict.fromkeys((agency.canonical, *agency.aliases))
        conn.executemany(
            "INSERT OR IGNORE INTO agency_aliases VALUES (?,?,?)",
            [(cursor.lastrowid, alias, agency_key(alias)) for alias in names],
        )


# --- reading -----------------------------------------------------------------------------


def row_to_meta(row: sqlite3.Row) -> DocumentMeta:
    return DocumentMeta(
        doc_id=row["doc_id"],
        title=row["title"],
        doc_type=row["doc_type"],
        number=row["number"],
        issuer=row["issuer"],
        province=row["province"],
        place=row["place"],
        issued_date=_date(row["issued_date"]),
        date_text=row["date_text"],
        year=row["year"],
        signer=row["signer"],
        signer_title=row["signer_title"],
        status=row["status"],
        recipients=tuple(json.loads(row["recipients"])),
        title_note=row["title_note"],
        source_path=row["source_path"],
        source_format=row["source_format"],
    )


def row_to_section(row: sqlite3.Row) -> Section:
    return Section(
        doc_id=row["doc_id"],
        path=row["path"],
        label=row["label"],
        title=row["title"],
        text=row["text"],
        level=row["level"],
        parent_path=row["parent_path"],
        order=row["ord"],
        kind=row["kind"],
    )


def row_to_chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        doc_id=row["doc_id"],
        section_path=row["section_path"],
        section_title=row["section_title"],
        breadcrumb=row["breadcrumb"],
        text=row["text"],
        index_text=row["index_text"],
        segmented=row["segmented"],
        folded=row["folded"],
        order=row["ord"],
    )


def row_to_task(row: sqlite3.Row, agencies: Sequence[sqlite3.Row]) -> Task:
    """`agencies` are the task's task_agencies rows ordered by role position."""
    roles: dict[str, list[str]] = {role: [] for role in TASK_ROLES}
    for agency_row in agencies:
        roles[agency_row["role"]].append(agency_row["agency"])
    time = None
    if row["time_kind"] is not None:
        time = TaskTime(
            text=row["time_text"] or "",
            kind=row["time_kind"],
            due_date=_date(row["due_date"]),
            start_date=_date(row["start_date"]),
            recurrence=row["recurrence"] or "",
            recurrence_detail=row["recurrence_detail"] or "",
        )
    return Task(
        task_id=row["task_id"],
        doc_id=row["doc_id"],
        section_path=row["section_path"],
        description=row["description"],
        quote=row["quote"],
        lead=tuple(roles["lead"]),
        cooperating=tuple(roles["cooperating"]),
        executing=tuple(roles["executing"]),
        directing=tuple(roles["directing"]),
        time=time,
    )


__all__ = [
    "FTS_TOKENIZER",
    "SCHEMA_VERSION",
    "agency_key",
    "connect",
    "create_schema",
    "delete_document",
    "insert_chunks",
    "insert_document",
    "insert_sections",
    "insert_tasks",
    "province_key",
    "replace_agencies",
    "row_to_chunk",
    "row_to_meta",
    "row_to_section",
    "row_to_task",
    "schema_version",
]
