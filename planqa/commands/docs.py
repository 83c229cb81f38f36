"""`planqa docs [DOC_ID] [--json]`: the indexed documents, or one document's metadata and its
section tree."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from ingest.settings import Settings
from ingest.types import DocumentMeta, Section

_SNIPPET_CHARS = 70


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.index import open_index

    index = open_index(settings)
    if args.doc_id is None:
        documents = index.documents()
        if args.json:
            print(_dumps([asdict(d) for d in documents]))
        else:
            print(_document_table(documents))
        return 0
    meta = index.document(args.doc_id)
    sections = index.sections(args.doc_id)
    if args.json:
        print(_dumps({"document": asdict(meta), "sections": [asdict(s) for s in sections]}))
    else:
        print(_document_detail(meta, sections))
    return 0


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)  # dates → ISO


def _date(meta: DocumentMeta) -> str:
    return meta.issued_date.isoformat() if meta.issued_date else meta.date_text.strip()


def _document_table(documents: list[DocumentMeta]) -> str:
    rows = [("Mã tài liệu", "Loại", "Số", "Ngày", "Tiêu đề")]
    rows += [(d.doc_id, d.doc_type, d.number, _date(d), d.title) for d in documents]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in rows
    )


def _document_detail(meta: DocumentMeta, sections: list[Section]) -> str:
    fields = [
        ("Mã tài liệu", meta.doc_id),
        ("Tiêu đề", meta.title),
        ("Loại", meta.doc_type),
        ("Số/ký hiệu", meta.number),
        ("Cơ quan ban hành", meta.issuer),
        ("Tỉnh", meta.province),
        ("Ngày", _date(meta)),
        ("Năm", str(meta.year or "")),
        ("Người ký", meta.signer),
        ("Chức vụ người ký", meta.signer_title),
        ("Tình trạng", meta.status),
        ("Ghi chú", meta.title_note),
        ("Tệp", f"{meta.source_path} ({meta.source_format})"),
    ]
    lines = [f"{name}: {value}" for name, value in fields if value.strip()]
    lines.append(f"Mục ({len(sections)}):")
    for section in sections:
        label = section.title or _snippet(section.text)
        lines.append(f"{'  ' * max(section.level, 1)}{section.path}  {label}")
    return "\n".join(lines)


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET_CHARS else flat[: _SNIPPET_CHARS - 1] + "…"
