"""Deadline table logic for the «Thời hạn» page: pure, so it is tested without a browser."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from ui.render import normalised_time, section_label

UPCOMING_DAYS = 30
STATUS_OVERDUE = "Quá hạn"
STATUS_UPCOMING = "Sắp đến hạn"
STATUS_LATER = "Còn hạn"
STATUS_RECURRING = "Định kỳ"
STATUS_ONGOING = "Thường xuyên"
STATUS_UNCLEAR = "Chưa rõ ngày"
STATUSES = [
    STATUS_OVERDUE,
    STATUS_UPCOMING,
    STATUS_LATER,
    STATUS_RECURRING,
    STATUS_ONGOING,
    STATUS_UNCLEAR,
]

COLUMNS = [
    "Trạng thái",
    "Hạn",
    "Nhiệm vụ",
    "Chủ trì",
    "Phối hợp",
    "Thời gian (nguyên văn)",
    "Thời gian (chuẩn hóa)",
    "Bắt đầu",
    "Văn bản",
    "Mục",
]
HIDDEN = ["doc_id", "section_path", "quote"]

__all__ = [
    "COLUMNS",
    "STATUSES",
    "UPCOMING_DAYS",
    "agency_options",
    "status_counts",
    "filter_frame",
    "status_of",
    "tasks_frame",
    "to_csv",
]


def _as_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def status_of(time: dict[str, Any] | None, today: date) -> str | None:
    """Where a task's time stands relative to today; None for a task without any time."""
    if not time:
        return None
    due = _as_date(time.get("due_date"))
    if due is not None:
        if due < today:
            return STATUS_OVERDUE
        return STATUS_UPCOMING if due <= today + timedelta(days=UPCOMING_DAYS) else STATUS_LATER
    if time.get("recurrence"):
        return STATUS_RECURRING
    if time.get("kind") == "ongoing":
        return STATUS_ONGOING
    return STATUS_UNCLEAR


def _names(task: dict[str, Any], *roles: str) -> str:
    names: list[str] = []
    for role in roles:
        names += [name for name in task.get(role) or [] if name not in names]
    return "; ".join(names)


def tasks_frame(tasks: list[dict[str, Any]], today: date) -> pd.DataFrame:
    """One row per task that states a time (deadline, period, recurrence or "thường xuyên"),
    dated rows first by due date."""
    rows = []
    for task in tasks:
        time = task.get("time")
        status = status_of(time, today)
        if status is None:
            continue
        citation = task.get("citation") or {}
        rows.append(
            {
                "Trạng thái": status,
                "Hạn": _as_date(time.get("due_date")),
                "Nhiệm vụ": task.get("description", ""),
                # Plans without a "chủ trì" line name the agency that carries the task out.
                "Chủ trì": _names(task, "lead") or _names(task, "executing", "directing"),
                "Phối hợp": _names(task, "cooperating"),
                "Thời gian (nguyên văn)": time.get("text", ""),
                "Thời gian (chuẩn hóa)": normalised_time(time),
                "Bắt đầu": _as_date(time.get("start_date")),
                "Văn bản": citation.get("doc_title") or task.get("doc_id", ""),
                "Mục": section_label(
                    task.get("section_path", ""), citation.get("section_title", "")
                ),
                "doc_id": task.get("doc_id", ""),
                "section_path": task.get("section_path", ""),
                "quote": citation.get("quote", ""),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS + HIDDEN)
    return frame.sort_values(by=["Hạn", "Văn bản"], na_position="last", kind="stable").reset_index(
        drop=True
    )


def filter_frame(frame: pd.DataFrame, statuses: list[str] | None = None) -> pd.DataFrame:
    """Keep the rows in the chosen statuses (all rows when none is chosen)."""
    if statuses:
        frame = frame[frame["Trạng thái"].isin(statuses)]
    return frame


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["Trạng thái"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def agency_options(tasks: list[dict[str, Any]]) -> list[str]:
    """Agencies that lead or cooperate on a task with a time, for the agency filter."""
    names: set[str] = set()
    for task in tasks:
        if task.get("time"):
            for role in ("lead", "cooperating", "executing", "directing"):
                names.update(task.get(role) or [])
    return sorted(names)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The visible columns as UTF-8 with BOM, so Excel shows Vietnamese correctly."""
    visible = frame.drop(columns=[c for c in HIDDEN if c in frame.columns])
    return visible.to_csv(index=False).encode("utf-8-sig")
