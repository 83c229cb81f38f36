"""Receiving an uploaded plan: a size-capped multipart read, a content check by
`ingest.load.load_bytes` (never by the file's name), a write into the corpus folder and the
same atomic ingest as the CLI. Removal mirrors it."""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from ingest.errors import BadRequest
from ingest.settings import Settings
from ingest.vntext import fold
from service.errors import Conflict, PayloadTooLarge

# Multipart boundaries and part headers around the file; generous, they are a few hundred bytes.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_DOC_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$")
_FORMAT_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "txt": ".txt"}
CORPUS_SUFFIXES = tuple(_FORMAT_SUFFIX.values())

OPENAPI_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": ".txt, .md, .docx or .pdf",
                        },
                        "doc_id": {
                            "type": "string",
                            "pattern": _DOC_ID.pattern,
                            "description": "document id (default: the file name's stem)",
                        },
                        "replace": {
                            "type": "boolean",
                            "default": False,
                            "description": "replace a document already indexed under this id",
                        },
                    },
                }
            }
        },
    }
}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    doc_id: str
    replace: bool = False


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Tệp quá lớn: giới hạn tải lên là {limit / (1024 * 1024):.0f} MB.",
        f"upload above {limit} bytes",
    )


def doc_id_from_filename(filename: str) -> str:
    """A safe id from a file name: diacritics folded, other characters replaced by "_"."""
    stem = Path(filename.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    candidate = _UNSAFE_ID_CHARS.sub("_", fold(stem)).strip("._")[:128]
    if not candidate:
        raise BadRequest(
            "Tên tệp không dùng được làm mã văn bản; hãy gửi kèm trường doc_id.",
            f"no usable id in file name {filename!r}",
        )
    return candidate


async def receive_upload(request: Request, limit: int) -> Upload:
    """Read the multipart body, refusing it (413) as soon as it exceeds `limit` plus overhead."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise BadRequest(
            "Hãy gửi tệp dạng multipart/form-data trong trường 'file'.",
            f"upload with content type {content_type!r}",
        )
    cap = limit + MULTIPART_OVERHEAD_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(limit)
    received = 0

    async def capped_receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                raise _too_large(limit)
        return message

    form = await Request(request.scope, capped_receive).form(max_files=1, max_fields=4)
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise BadRequest("Thiếu tệp tải lên (trường 'file').", "multipart without a file part")
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise _too_large(limit)
        filename = file.filename or ""
        requested = form.get("doc_id")
        replace = str(form.get("replace") or "").strip().lower() in ("1", "true", "yes", "on")
    finally:
        await form.close()
    if isinstance(requested, str) and requested.strip():
        doc_id = requested.strip()
        if not _DOC_ID.match(doc_id):
            raise BadRequest(
                "Mã văn bản chỉ gồm chữ cái không dấu, chữ số, '_', '-', '.' (tối đa 128 ký tự).",
                f"bad doc_id {doc_id!r}",
            )
    else:
        doc_id = doc_id_from_filename(filename)
    return Upload(filename=filename or f"{doc_id}.txt", data=data, doc_id=doc_id, replace=replace)


def corpus_files(settings: Settings, doc_id: str) -> list[Path]:
    return [
        settings.corpus_dir / f"{doc_id}{suffix}"
        for suffix in CORPUS_SUFFIXES
        if (settings.corpus_dir / f"{doc_id}{suffix}").exists()
    ]


def ingest_upload(settings: Settings, upload: Upload, known_ids: set[str]) -> Path:
    """Check the content, stage it under its id and the detected format's suffix, ingest it.

    `ingest.pipeline.add_document` copies the staged file into the corpus folder and builds a
    new index version under the ingest lock; when that fails, neither the file nor a new
    version is kept. Returns the file's place in the corpus folder.
    """
    from ingest.load import load_bytes
    from ingest.pipeline import add_document

    if not upload.replace and (upload.doc_id in known_ids or corpus_files(settings, upload.doc_id)):
        raise Conflict(
            f"Văn bản mã {upload.doc_id} đã có. Hãy xóa văn bản cũ, đặt mã khác "
            "hoặc gửi kèm replace=true để thay thế.",
            f"upload of existing id {upload.doc_id}",
        )
    loaded = load_bytes(upload.data, upload.filename, max_bytes=settings.max_upload_bytes)
    name = f"{upload.doc_id}{_FORMAT_SUFFIX[loaded.source_format]}"
    staging = settings.data_dir / "uploads" / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        staged = staging / name
        staged.write_bytes(upload.data)
        add_document(settings, staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return settings.corpus_dir / name


def remove(settings: Settings, doc_id: str) -> None:
    """Drop the document from the index and its file from the corpus folder (one new version)."""
    from ingest.pipeline import remove_document

    remove_document(settings, doc_id)
