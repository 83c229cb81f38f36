"""POST /ask (one JSON answer) and POST /ask/stream (server-sent events for the UI)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from ingest.errors import PlanQAError
from service.deps import HolderDep
from service.errors import INTERNAL_ERROR_MESSAGE, status_for
from service.routes._filters import require_documents
from service.schemas import AnswerResponse, AskRequest
from service.types import Answer, Answerer

log = logging.getLogger("planqa.service")
router = APIRouter(tags=["ask"])

STATUS_INTERVAL_S = 1.5
_DELTA_PIECE = re.compile(r"\S+\s*")
_DELTA_WORDS = 6


def _respond(answer: Answer, started: float, body: AskRequest) -> AnswerResponse:
    resolved = body.resolved_question()
    response = AnswerResponse.from_domain(
        answer, resolved_question=resolved if resolved != body.question else None
    )
    response.timings_ms.setdefault("total", round((time.perf_counter() - started) * 1000, 1))
    return response


@router.post("/ask", response_model=AnswerResponse)
def ask(body: AskRequest, holder: HolderDep) -> AnswerResponse:
    started = time.perf_counter()
    filters = body.domain_filters()
    require_documents(holder.index(), filters.doc_ids)
    question = body.resolved_question()
    answer = holder.answerer().answer(question, top_k=body.top_k, filters=filters)
    return _respond(answer, started, body)


def answer_pieces(text: str, words: int = _DELTA_WORDS) -> list[str]:
    """The answer cut into a few words per piece; the pieces join back to `text` exactly."""
    tokens = _DELTA_PIECE.findall(text)
    lead = text[: len(text) - len(text.lstrip())]
    pieces = ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
    if lead:
        pieces = [lead + pieces[0]] if pieces else [lead]
    return pieces


def _event(name: str, payload: object) -> ServerSentEvent:
    return ServerSentEvent(data=json.dumps(payload, ensure_ascii=False), event=name)


async def _answer_events(
    answerer: Answerer, body: AskRequest, started: float
) -> AsyncIterator[ServerSentEvent]:
    filters = body.domain_filters()
    yield _event("status", {"stage": "retrieving", "message": "Đang tìm trong các văn bản…"})
    job = asyncio.ensure_future(
        run_in_threadpool(answerer.answer, body.resolved_question(), body.top_k, filters)
    )
    try:
        while True:
            done, _ = await asyncio.wait({job}, timeout=STATUS_INTERVAL_S)
            if done:
                break
            elapsed = round((time.perf_counter() - started) * 1000)
            yield _event(
                "status",
                {"stage": "retrieving", "message": "Vẫn đang tìm…", "elapsed_ms": elapsed},
            )
        answer = job.result()
    except PlanQAError as exc:
        yield _event("error", {"detail": exc.message, "status": status_for(exc)})
        yield _event("done", {})
        return
    except Exception:
        log.exception("unhandled error while streaming an answer")
        yield _event("error", {"detail": INTERNAL_ERROR_MESSAGE, "status": 500})
        yield _event("done", {})
        return
    finally:
        if not job.done():  # the client went away: let the worker finish, drop its result
            job.cancel()
    yield _event("status", {"stage": "answering", "message": "Đang soạn câu trả lời…"})
    for piece in answer_pieces(answer.answer):
        yield _event("delta", {"text": piece})
    yield _event("answer", _respond(answer, started, body).model_dump(mode="json"))
    yield _event("done", {})


@router.post(
    "/ask/stream",
    response_class=EventSourceResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Events: status*, delta*, answer (the /ask JSON), done; "
            "or error then done.",
        }
    },
)
async def ask_stream(body: AskRequest, holder: HolderDep) -> EventSourceResponse:
    started = time.perf_counter()
    # Open the index and check the filters before the stream starts, so those fail as plain
    # 4xx/503 JSON responses rather than as events.
    answerer = await run_in_threadpool(holder.answerer)
    index = await run_in_threadpool(holder.index)
    await run_in_threadpool(require_documents, index, body.domain_filters().doc_ids)
    return EventSourceResponse(_answer_events(answerer, body, started), ping=15)
