"""Read access to the live index version: `open_index(settings)` → an `IndexReader`.

Readers are cheap to get (one per version, cached per process), safe to share between
threads (one SQLite connection per thread), and follow `CURRENT`: when another process
switches in a new version, the next `open_index` returns a reader for it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ingest.errors import IndexMissing, NotFound
from ingest.index import sqlite_store as store
from ingest.index.term_stats import TermStats
from ingest.index.vector_store import ChromaStore
from ingest.index.versions import SQLITE_FILE, current_version, read_manifest
from ingest.protocols import Embedder, Filters, LexicalField
from ingest.settings import Settings
from ingest.types import Agency, Chunk, DocumentMeta, Section, Task
from ingest.vntext import fold, index_form

INDEX_MISSING_MESSAGE = "Chưa có chỉ mục. Hãy chạy `planqa ingest`."
_FIELDS = ("words", "syllables", "folded")
_HAS_WORD_CHAR = re.compile(r"\w")
# Control characters (NUL among them) end an FTS5 string literal early; they never occur in
# indexed text, so dropping them from a term loses nothing.
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# Up to this many documents, a filtered search runs once per document's rowid range (each
# costs a seek and that document's matches) instead of joining every match in the corpus;
# on the ×100 benchmark corpus the break-even is about ten.
RANGE_SEARCH_MAX_DOCUMENTS = 8


def term_form(term: str, field: LexicalField) -> str:
    """A query term in the form its column is indexed in (folded, or canonical lower case)."""
    return fold(term) if field == "folded" else index_form(term)


def fts_query(terms: Sequence[str], field: LexicalField) -> str | None:
    """OR of quoted terms restricted to one column; None when no term can match anything.

    Quoting makes every term a phrase, so "2224/qđ-ubnd" matches the tokens 2224 qđ ubnd in a
    row and FTS5 operators typed by users ("AND", "*", ":") are plain text.
    """
    return _match_expression([term_form(term, field) for term in terms], field)


def _match_expression(forms: Sequence[str], field: LexicalField) -> str | None:
    """`fts_query` for terms already in the column's form (`term_form`)."""
    phrases = []
    for form in forms:
        form = _CONTROL_CHARS.sub(" ", form).strip()
        if form and _HAS_WORD_CHAR.search(form):
            phrases.append('"' + form.replace('"', '""') + '"')
    if not phrases:
        return None
    return f"{field} : ({' OR '.join(dict.fromkeys(phrases))})"


def _default_agency_matcher(rows: Sequence[sqlite3.Row]) -> Callable[[str, str], bool]:
    """Case/accent-insensitive matching on canonical names and registered aliases.

    Used when `ingest.agencies.agency_matches` is not available: a query matches an agency name
    when their folded forms are equal, when the query is a registered alias of it, or when the
    query's words appear in the name as a whole phrase ("cong an" → "Công an tỉnh").
    """
    alias_to_canonical: dict[str, set[str]] = {}
    for row in rows:
        alias_to_canonical.setdefault(row["alias_key"], set()).add(
            store.agency_key(row["canonical"])
        )

    def matches(query: str, name: str) -> bool:
        q, n = store.agency_key(query), store.agency_key(name)
        if not q:
            return False
        if q == n or n in alias_to_canonical.get(q, ()):
            return True
        return re.search(rf"(?<!\w){re.escape(q)}(?!\w)", n) is not None

    return matches


class IndexVersionReader:
    """`IndexReader` over one complete version folder (SQLite + Chroma + manifest)."""

    def __init__(self, settings: Settings, version_dir: Path) -> None:
        self.settings = settings
        self.version_dir = version_dir
        self.version = version_dir.name
        self.manifest: dict[str, Any] = read_manifest(version_dir)
        self._db_path = version_dir / SQLITE_FILE
        self._local = threading.local()
        self._lock = threading.Lock()
        self._vectors: ChromaStore | None = None
        self._embedder: Embedder | None = None
        self._term_stats = TermStats()
        self._spans: dict[str, tuple[int, int]] | None = None
        version = store.schema_version(self._conn())
        if version != store.SCHEMA_VERSION:
            raise IndexMissing(
                "Chỉ mục được tạo bởi phiên bản cũ. Hãy chạy `planqa ingest`.",
                f"schema version {version} != {store.SCHEMA_VERSION} in {self._db_path}",
            )

    # --- plumbing ----------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = store.connect(self._db_path, readonly=True)
            self._local.conn = conn
        return conn

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, params).fetchall()

    @property
    def embedder(self) -> Embedder:
        """The embedder this version was built with (from the manifest), not the setting."""
        if self._embedder is None:
            from ingest.embed import get_embedder

            self._embedder = get_embedder(self.manifest["embedder"]["name"])
        return self._embedder

    def _vector_store(self) -> ChromaStore:
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    self._vectors = ChromaStore.open(self.settings, self.version, self.version_dir)
        return self._vectors

    @staticmethod
    def _filter_sql(filters: Filters | None) -> tuple[str, list[Any]]:
        if filters is None or filters.is_empty():
            return "", []
        clauses, params = [], []
        if filters.doc_ids:
            clauses.append(f"d.doc_id IN ({','.join('?' * len(filters.doc_ids))})")
            params.extend(filters.doc_ids)
        if filters.province is not None:
            clauses.append("d.province_key = ?")
            params.append(store.province_key(filters.province))
        if filters.year is not None:
            clauses.append("d.year = ?")
            params.append(int(filters.year))
        return " AND " + " AND ".join(clauses), params

    # --- records -----------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        counts = {}
        for table in ("documents", "sections", "chunks", "tasks"):
            counts[table] = int(self._rows(f"SELECT COUNT(*) FROM {table}")[0][0])
        return counts

    def documents(self) -> list[DocumentMeta]:
        return [store.row_to_meta(r) for r in self._rows("SELECT * FROM documents ORDER BY doc_id")]

    def document(self, doc_id: str) -> DocumentMeta:
        rows = self._rows("SELECT * FROM documents WHERE doc_id = ?", (doc_id,))
        if not rows:
            raise NotFound(f"Không có tài liệu '{doc_id}'.", f"unknown doc_id {doc_id!r}")
        return store.row_to_meta(rows[0])

    def sections(self, doc_id: str) -> list[Section]:
        self.document(doc_id)
        rows = self._rows("SELECT * FROM sections WHERE doc_id = ? ORDER BY ord", (doc_id,))
        return [store.row_to_section(r) for r in rows]

    def section(self, doc_id: str, path: str) -> Section:
        rows = self._rows("SELECT * FROM sections WHERE doc_id = ? AND path = ?", (doc_id, path))
        if not rows:
            self.document(doc_id)
            raise NotFound(
                f"Tài liệu '{doc_id}' không có mục '{path}'.", f"unknown section {doc_id}/{path}"
            )
        return store.row_to_section(rows[0])

    def chunk(self, chunk_id: str) -> Chunk:
        rows = self._rows("SELECT * FROM chunks WHERE chunk_id = ?", (chunk_id,))
        if not rows:
            raise NotFound(f"Không có đoạn '{chunk_id}'.", f"unknown chunk_id {chunk_id!r}")
        return store.row_to_chunk(rows[0])

    def chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        found: dict[str, Chunk] = {}
        unique = list(dict.fromkeys(chunk_ids))
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            rows = self._rows(
                f"SELECT * FROM chunks WHERE chunk_id IN ({','.join('?' * len(batch))})", batch
            )
            found.update((r["chunk_id"], store.row_to_chunk(r)) for r in rows)
        return [found[cid] for cid in chunk_ids if cid in found]

    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        """Every chunk id in reading order (of one document, when given)."""
        if doc_id is None:
            rows = self._rows("SELECT chunk_id FROM chunks ORDER BY doc_id, ord")
        else:
            rows = self._rows(
                "SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)
            )
        return [r["chunk_id"] for r in rows]

    def agencies(self) -> list[Agency]:
        rows = self._rows(
            "SELECT a.agency_id, a.canonical, s.alias FROM agencies a"
            " LEFT JOIN agency_aliases s ON s.agency_id = a.agency_id"
            " ORDER BY a.canonical, s.alias"
        )
        aliases: dict[str, list[str]] = {}
        for row in rows:
            names = aliases.setdefault(row["canonical"], [])
            if row["alias"] and row["alias"] != row["canonical"]:
                names.append(row["alias"])
        return [Agency(canonical=c, aliases=tuple(a)) for c, a in aliases.items()]

    def tasks(
        self,
        agency: str | None = None,
        doc_id: str | None = None,
        due_before: date | None = None,
        due_after: date | None = None,
    ) -> list[Task]:
        clauses, params = [], []
        if doc_id is not None:
            self.document(doc_id)
            clauses.append("t.doc_id = ?")
            params.append(doc_id)
        if due_before is not None:
            clauses.append("t.due_date IS NOT NULL AND t.due_date <= ?")
            params.append(due_before.isoformat())
        if due_after is not None:
            clauses.append("t.due_date IS NOT NULL AND t.due_date >= ?")
            params.append(due_after.isoformat())
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        task_rows = self._rows(
            f"SELECT t.* FROM tasks t {where} ORDER BY t.doc_id, t.position", params
        )
        agency_rows: dict[str, list[sqlite3.Row]] = {}
        # Only the agencies of the tasks selected: one plan's tasks must not cost the corpus's.
        for row in self._rows(
            "SELECT * FROM task_agencies WHERE task_id IN"
            f" (SELECT t.task_id FROM tasks t {where}) ORDER BY task_id, role, position",
            params,
        ):
            agency_rows.setdefault(row["task_id"], []).append(row)
        tasks = [store.row_to_task(r, agency_rows.get(r["task_id"], [])) for r in task_rows]
        if agency is None or not agency.strip():
            return tasks
        matches = self._agency_matcher()
        return [
            t
            for t in tasks
            if any(
                matches(agency, name)
                for name in (*t.lead, *t.cooperating, *t.executing, *t.directing)
            )
        ]

    def _agency_matcher(self) -> Callable[[str, str], bool]:
        try:
            from ingest.agencies import agency_matches
        except ImportError:
            rows = self._rows(
                "SELECT a.canonical, s.alias_key FROM agencies a"
                " JOIN agency_aliases s ON s.agency_id = a.agency_id"
            )
            return _default_agency_matcher(rows)
        return agency_matches

    # --- search ------------------------------------------------------------------------

    def lexical_search(
        self, terms: Sequence[str], field: LexicalField, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        if field not in _FIELDS:
            raise ValueError(f"unknown lexical field {field!r}; expected one of {_FIELDS}")
        if k <= 0:
            return []
        forms = [term_form(t, field) for t in terms]
        weighted = self._term_stats.weighted(self._conn(), forms, field)
        query = _match_expression(weighted, field)
        if query is None:
            return []
        filter_sql, filter_params = self._filter_sql(filters)
        if not filter_sql:
            # Rank in the full-text index alone, then join the k best: joining every match
            # first costs as much as the corpus has matching chunks.
            rows = self._rows(
                "SELECT c.chunk_id, s.score FROM (SELECT rowid, bm25(chunks_fts) AS score"
                " FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?) s"
                " JOIN chunks c ON c.rowid = s.rowid ORDER BY s.score",
                [query, k],
            )
            return [(r["chunk_id"], -float(r["score"])) for r in rows]
        ranges = self._row_ranges(filter_sql, filter_params)
        if ranges is not None:
            return self._search_row_ranges(query, ranges, k)
        rows = self._rows(
            "SELECT c.chunk_id, bm25(chunks_fts) AS score FROM chunks_fts"
            " JOIN chunks c ON c.rowid = chunks_fts.rowid"
            " JOIN documents d ON d.doc_id = c.doc_id"
            f" WHERE chunks_fts MATCH ?{filter_sql} ORDER BY score LIMIT ?",
            [query, *filter_params, k],
        )
        return [(r["chunk_id"], -float(r["score"])) for r in rows]

    def _row_ranges(self, filter_sql: str, params: list[Any]) -> list[tuple[int, int]] | None:
        """The chunk rowid ranges of the documents a filter keeps, when they are few and each
        document's chunks are numbered without gaps (ingest writes them together); else None.
        FTS5 seeks to a rowid range, so a search within a few plans then costs what their
        chunks match, whereas filtering by a join visits every match in the corpus."""
        kept = self._rows(f"SELECT d.doc_id FROM documents d WHERE 1{filter_sql}", params)
        if len(kept) > RANGE_SEARCH_MAX_DOCUMENTS:
            return None
        spans = self._chunk_spans()
        ranges = [spans.get(r["doc_id"]) for r in kept]
        if any(span is None for span in ranges):
            return None
        return [span for span in ranges if span is not None]

    def _chunk_spans(self) -> dict[str, tuple[int, int]]:
        """Per document, its first and last chunk rowid when the rowids between are all its."""
        if self._spans is None:
            rows = self._rows(
                "SELECT doc_id, MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n"
                " FROM chunks GROUP BY doc_id"
            )
            self._spans = {
                r["doc_id"]: (r["lo"], r["hi"]) for r in rows if r["hi"] - r["lo"] + 1 == r["n"]
            }
        return self._spans

    def _search_row_ranges(
        self, query: str, ranges: Sequence[tuple[int, int]], k: int
    ) -> list[tuple[str, float]]:
        scored: list[tuple[float, int]] = []
        for lo, hi in ranges:
            scored += [
                (float(r["score"]), int(r["rowid"]))
                for r in self._rows(
                    "SELECT rowid, bm25(chunks_fts) AS score FROM chunks_fts"
                    " WHERE chunks_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY score LIMIT ?",
                    [query, lo, hi, k],
                )
            ]
        best = sorted(scored)[:k]
        if not best:
            return []
        marks = ",".join("?" * len(best))
        ids = {
            r["rowid"]: r["chunk_id"]
            for r in self._rows(
                f"SELECT rowid, chunk_id FROM chunks WHERE rowid IN ({marks})",
                [rowid for _, rowid in best],
            )
        }
        return [(ids[rowid], -score) for score, rowid in best]

    def dense_search(
        self, query: str, k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        if not query.strip() or k <= 0:
            return []
        text = query
        if self.embedder.input_form == "segmented":
            from ingest.tokenize import segment_words

            text = segment_words(query)
        return self._vector_store().query(self.embedder.embed_query(text), k, filters)


_readers: dict[tuple[str, str, str | None], IndexVersionReader] = {}
_readers_lock = threading.Lock()


def open_index(settings: Settings) -> IndexVersionReader:
    """The reader of the live version. Raises IndexMissing when no complete index exists."""
    root = settings.index_root.resolve()
    version = current_version(root)
    if version is None:
        raise IndexMissing(INDEX_MISSING_MESSAGE, f"no complete index version under {root}")
    key = (str(root), version, settings.chroma_url)
    with _readers_lock:
        reader = _readers.get(key)
        if reader is None:
            reader = IndexVersionReader(settings, root / version)
            for stale in [k for k in _readers if k[0] == key[0] and k[2] == key[2]]:
                del _readers[stale]  # superseded; threads still holding it finish their work
            _readers[key] = reader
        return reader


__all__ = ["INDEX_MISSING_MESSAGE", "IndexVersionReader", "fts_query", "open_index", "term_form"]
