"""`planqa ask QUESTION`: answer one question with citations, offline, from the local index."""

from __future__ import annotations

import argparse

from ingest.errors import BadRequest
from ingest.protocols import Filters
from ingest.settings import Settings
from planqa.commands._output import dump_json, format_answer
from service.schemas import MAX_QUESTION_CHARS, MAX_TOP_K, AnswerResponse


def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.answering import build_answerer

    question = args.question.strip()
    if not question or len(question) > MAX_QUESTION_CHARS:
        raise BadRequest(f"Câu hỏi phải có từ 1 đến {MAX_QUESTION_CHARS} ký tự.")
    if not 1 <= args.top_k <= MAX_TOP_K:
        raise BadRequest(f"-k phải trong khoảng 1–{MAX_TOP_K}.")
    filters = Filters(doc_ids=tuple(args.doc_ids or ()))
    answer = build_answerer(settings).answer(question, top_k=args.top_k, filters=filters)
    response = AnswerResponse.from_domain(answer)
    print(dump_json(response.model_dump(mode="json")) if args.json else format_answer(response))
    return 0
