"""From one file (or text) to everything the index stores about it, with no I/O besides reading
the file: the parsed document, its task records and its chunks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ingest.types import Chunk, ParsedDocument, Task


@dataclass(frozen=True)
class ParsedFile:
    document: ParsedDocument
    tasks: tuple[Task, ...]
    chunks: tuple[Chunk, ...]

    @property
    def doc_id(self) -> str:
        return self.document.meta.doc_id


def parse_text(
    text: str, doc_id: str, source_path: str = "", source_format: str = "txt"
) -> ParsedFile:
    """Parse already-decoded text (any format's text layer) into document, tasks and chunks."""
    from ingest.chunk import chunk_document
    from ingest.structure import parse_document
    from ingest.tasks import extract_tasks

    document = parse_document(text, doc_id, source_path=source_path, source_format=source_format)
    return ParsedFile(
        document=document,
        tasks=tuple(extract_tasks(document)),
        chunks=tuple(chunk_document(document)),
    )


def doc_id_for(path: Path) -> str:
    """Document ids are the file's stem (the contract in ARCHITECTURE.md)."""
    return path.stem


def parse_path(path: Path) -> ParsedFile:
    """Load a .txt/.md/.docx/.pdf file and parse it. Raises BadDocument for unreadable files."""
    from ingest.load import load_text
    from ingest.sidecar import apply_sidecar, read_sidecar

    loaded = load_text(path)
    overrides = read_sidecar(path)
    parsed = parse_text(
        loaded.text, doc_id_for(path), source_path=str(path), source_format=loaded.source_format
    )
    if not overrides:
        return parsed
    document = replace(parsed.document, meta=apply_sidecar(parsed.document.meta, overrides))
    return replace(parsed, document=document)
