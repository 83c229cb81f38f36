"""GET /tasks: task records (assignments, deadlines) with the citation they were read from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ingest.protocols import IndexReader
from ingest.types import Task
from service.deps import HolderDep
from service.routes._filters import require_documents
from service.schemas import DOC_ID_PATTERN, IsoDate, TaskList, TaskOut

router = APIRouter(tags=["tasks"])


def _cited(index: IndexReader, tasks: list[Task]) -> list[TaskOut]:
    titles = {meta.doc_id: meta.title for meta in index.documents()}
    section_titles: dict[str, dict[str, str]] = {}
    out = []
    for task in tasks:
        if task.doc_id not in section_titles:
            section_titles[task.doc_id] = {s.path: s.title for s in index.sections(task.doc_id)}
        out.append(
            TaskOut.from_domain(
                task,
                doc_title=titles.get(task.doc_id, ""),
                section_title=section_titles[task.doc_id].get(task.section_path, ""),
            )
        )
    return out


@router.get("/tasks", response_model=TaskList)
def list_tasks(
    holder: HolderDep,
    agency: Annotated[
        str | None, Query(max_length=200, description="canonical name or any alias, any role")
    ] = None,
    doc_id: Annotated[str | None, Query(pattern=DOC_ID_PATTERN)] = None,
    due_before: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
    due_after: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
) -> TaskList:
    index = holder.index()
    if doc_id:
        require_documents(index, [doc_id])
    tasks = index.tasks(
        agency=(agency or "").strip() or None,
        doc_id=doc_id,
        due_before=due_before,
        due_after=due_after,
    )
    return TaskList(tasks=_cited(index, tasks))
