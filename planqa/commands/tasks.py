"""`planqa tasks [--agency A] [--doc D] [--due-before DATE] [--due-after DATE] [--json]`: task
records (who leads, who cooperates, by when) read from the index."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import asdict
from datetime import date

from ingest.errors import BadRequest
from ingest.settings import Settings
from ingest.types import Task, TaskTime

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CELL_CHARS = 48


def parse_cli_date(text: str | None) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (the way dates are written in the plans)."""
    if text is None:
        return None
    text = text.strip()
    try:
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadRequest(
            f"Ngày không hợp lệ: '{text}'. Hãy viết YYYY-MM-DD hoặc DD/MM/YYYY.", str(exc)
        ) from exc


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.index import open_index

    tasks = open_index(settings).tasks(
        agency=args.agency,
        doc_id=args.doc,
        due_before=parse_cli_date(args.due_before),
        due_after=parse_cli_date(args.due_after),
    )
    if args.json:
        print(json.dumps([asdict(t) for t in tasks], ensure_ascii=False, indent=2, default=str))
        return 0
    print(_table(tasks))
    print(f"{len(tasks)} nhiệm vụ.")
    return 0


def normalised_time(time: TaskTime | None) -> str:
    """The machine reading of a task's time, compact: "2026-05-20", "yearly (before 15/12)"."""
    if time is None:
        return ""
    if time.kind == "range" and time.start_date and time.due_date:
        return f"{time.start_date.isoformat()}..{time.due_date.isoformat()}"
    if time.due_date:
        return time.due_date.isoformat()
    if time.recurrence:
        detail = f" ({time.recurrence_detail})" if time.recurrence_detail else ""
        return time.recurrence + detail
    if time.start_date:
        return f"{time.start_date.isoformat()}.."
    return time.kind


def _cell(values: tuple[str, ...] | str) -> str:
    text = values if isinstance(values, str) else "; ".join(values)
    text = " ".join(text.split())
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def _table(tasks: list[Task]) -> str:
    header = ("Tài liệu", "Mục", "Chủ trì", "Phối hợp", "Thời gian", "Chuẩn hóa")
    rows = [header] + [
        (
            t.doc_id,
            t.section_path,
            _cell(t.lead or t.executing or t.directing),
            _cell(t.cooperating),
            _cell(t.time.text if t.time else ""),
            normalised_time(t.time),
        )
        for t in tasks
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )
