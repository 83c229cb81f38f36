"""Documents: list, one document's section tree, one section's text, upload and delete.

Writes need the API key and go through the same atomic ingest as `planqa ingest`
(`ingest.pipeline`), so readers never see a half-written index.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool

from ingest.errors import IndexMissing
from ingest.types import DocumentMeta
from service import uploads
from service.deps import ApiKeyDep, HolderDep, IndexHolder, SettingsDep
from service.schemas import (
    DOC_ID_PATTERN,
    DeleteResult,
    DocumentDetail,
    DocumentList,
    DocumentOut,
    SectionNode,
    SectionOut,
    UploadResult,
)
from service.section_tree import ancestors, children_by_parent, render, subtree

log = logging.getLogger("planqa.service")
router = APIRouter(tags=["documents"])

DocIdPath = Annotated[str, Path(pattern=DOC_ID_PATTERN, description="file stem of the document")]
SectionPath = Annotated[str, Path(max_length=500, description='e.g. "II.2.a" or "KH.II.1"')]


@router.get("/documents", response_model=DocumentList)
def list_documents(holder: HolderDep) -> DocumentList:
    index = holder.index()
    return DocumentList(documents=[DocumentOut.from_domain(m) for m in index.documents()])


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def get_document(doc_id: DocIdPath, holder: HolderDep) -> DocumentDetail:
    index = holder.index()
    meta = index.document(doc_id)
    children = children_by_parent(index.sections(doc_id))

    def nodes(parent: str | None) -> list[SectionNode]:
        return [
            SectionNode(
                path=s.path,
                label=s.label,
                title=s.title,
                kind=s.kind,
                level=s.level,
                children=nodes(s.path),
            )
            for s in children.get(parent, [])
        ]

    return DocumentDetail(**DocumentOut.from_domain(meta).model_dump(), sections=nodes(None))


@router.get("/documents/{doc_id}/sections/{section_path:path}", response_model=SectionOut)
def get_section(doc_id: DocIdPath, section_path: SectionPath, holder: HolderDep) -> SectionOut:
    index = holder.index()
    meta = index.document(doc_id)
    section = index.section(doc_id, section_path)
    sections = index.sections(doc_id)
    return SectionOut.from_domain(
        section,
        doc_title=meta.title,
        ancestors=ancestors(sections, section.path),
        children=children_by_parent(sections).get(section.path, []),
        subtree_text=render(subtree(sections, section.path)),
    )


@router.post(
    "/documents",
    response_model=UploadResult,
    status_code=201,
    dependencies=[ApiKeyDep],
    openapi_extra=uploads.OPENAPI_REQUEST_BODY,
    responses={
        401: {"description": "no API key"},
        403: {"description": "wrong API key, or writes disabled"},
        409: {"description": "document id already indexed, or an ingest is running"},
        413: {"description": "file above the upload limit"},
        422: {"description": "not a readable plan"},
    },
)
async def upload_document(
    request: Request, settings: SettingsDep, holder: HolderDep
) -> UploadResult:
    upload = await uploads.receive_upload(request, settings.max_upload_bytes)
    known = {meta.doc_id for meta in await run_in_threadpool(_documents, holder)}
    path = await run_in_threadpool(uploads.ingest_upload, settings, upload, known)
    holder.forget()
    log.info("uploaded %s as %s (%d bytes)", upload.filename, path.name, len(upload.data))
    return await run_in_threadpool(_upload_result, holder, upload.doc_id)


def _upload_result(holder: IndexHolder, doc_id: str) -> UploadResult:
    index = holder.index()
    return UploadResult(
        **DocumentOut.from_domain(index.document(doc_id)).model_dump(),
        sections=len(index.sections(doc_id)),
        tasks=len(index.tasks(doc_id=doc_id)),
    )


def _documents(holder: IndexHolder) -> list[DocumentMeta]:
    """Documents of the current index; none when no index exists yet (the upload creates one)."""
    try:
        return holder.index().documents()
    except IndexMissing:
        return []


@router.delete(
    "/documents/{doc_id}",
    response_model=DeleteResult,
    dependencies=[ApiKeyDep],
    responses={401: {"description": "no API key"}, 403: {"description": "wrong API key"}},
)
def delete_document(doc_id: DocIdPath, settings: SettingsDep, holder: HolderDep) -> DeleteResult:
    holder.index().document(doc_id)  # 404 for an unknown id, before taking the ingest lock
    uploads.remove(settings, doc_id)
    holder.forget()
    log.info("deleted %s", doc_id)
    return DeleteResult(doc_id=doc_id, deleted=True)
