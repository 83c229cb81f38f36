"""Plain-text and JSON rendering shared by `planqa ask` and `planqa search`."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from service.schemas import AnswerResponse

QUOTE_WIDTH = 100


def dump_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def format_answer(answer: AnswerResponse) -> str:
    """The answer, then numbered citations: document title, section path and title, quote."""
    lines = [answer.answer.strip()]
    if answer.citations:
        lines += ["", "Trích dẫn:"]
    for number, citation in enumerate(answer.citations, start=1):
        section = " ".join(p for p in (citation.section_path, citation.section_title) if p)
        lines.append(f"[{number}] {citation.doc_title} ({citation.doc_id})")
        lines.append(f"    Mục {section}")
        quote = " ".join(citation.quote.split())
        lines += textwrap.wrap(
            f"“{quote}”", width=QUOTE_WIDTH, initial_indent="    ", subsequent_indent="     "
        )
    return "\n".join(lines)
