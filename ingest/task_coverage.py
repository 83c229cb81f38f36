"""How much of a plan's assignment wording the task records capture.

Recall of task extraction is measured, not assumed: every responsibility or time marker in
the text ("Thời gian thực hiện", "Đơn vị chủ trì", "Cơ quan chỉ đạo", an inline "chủ trì", ...)
counts as captured when some task's quote covers that very occurrence and the task fills the
role the marker names. Quotes are located in the text compared letters and digits only, so
markdown, wraps, bullets and numbering do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import clean_text
from ingest.types import Task
from ingest.vntext import index_form


@dataclass(frozen=True)
class Marker:
    name: str  # as written in plans
    roles: tuple[str, ...]  # a capturing task must fill one of these ("time" = has a time)
    label: bool  # a label line (expected recall ≥ 95%) or free wording ("chủ trì")


MARKERS: tuple[Marker, ...] = (
    Marker("Thời gian thực hiện", ("time",), True),
    Marker("Đơn vị chủ trì", ("lead",), True),
    Marker("Đơn vị phối hợp", ("cooperating",), True),
    Marker("Đơn vị thực hiện", ("executing", "lead", "cooperating"), True),
    Marker("Cơ quan chỉ đạo", ("directing",), True),
    Marker("Cơ quan tham mưu", ("executing", "lead"), True),
    Marker("chủ trì", ("lead",), False),
)
_HEAD, _TAIL = 200, 300  # quote ends tried when a whole quote is not found verbatim


def _squash(text: str) -> str:
    """Letters and digits only, lower case, canonical tone marks: "Đơn vị chủ trì:" →
    "đơnvịchủtrì"."""
    return re.sub(r"[\W_]+", "", index_form(text))


def _spans(needle: str, haystack: str) -> list[tuple[int, int]]:
    if not needle:
        return []
    found, start = [], haystack.find(needle)
    while start >= 0:
        found.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return found


def _locate(quote: str, text: str) -> list[tuple[int, int]]:
    """Where a quote sits in the squashed text: whole, or by its opening and its end."""
    q = _squash(quote)
    whole = _spans(q, text)
    if whole:
        return whole
    return _spans(q[:_HEAD], text) + _spans(q[-_TAIL:], text)


def _fills(task: Task, roles: tuple[str, ...]) -> bool:
    return any(
        (task.time is not None) if role == "time" else bool(getattr(task, role)) for role in roles
    )


def marker_coverage(text: str, tasks: list[Task]) -> dict:
    """Per marker: occurrences in the document text, how many a task record captures, share.

    `text` is the document as stored (raw file text is fine: it is cleaned here the way the
    parser cleans it). Also returns `label` (all label markers together) and `inline_chu_tri`.
    """
    squashed = _squash(clean_text(text))
    located = [(task, _locate(task.quote, squashed)) for task in tasks]
    result: dict = {}
    label_total = label_captured = 0
    for marker in MARKERS:
        key = _squash(marker.name)
        positions = [s for s, _ in _spans(key, squashed)]
        captured = sum(
            1
            for p in positions
            if any(
                _fills(task, marker.roles) and any(a <= p and p + len(key) <= b for a, b in spans)
                for task, spans in located
            )
        )
        result[marker.name] = _share(len(positions), captured)
        if marker.label:
            label_total += len(positions)
            label_captured += captured
    result["label"] = _share(label_total, label_captured)
    result["inline_chu_tri"] = result["chủ trì"]
    return result


def _share(expected: int, captured: int) -> dict:
    return {
        "expected": expected,
        "captured": captured,
        "share": captured / expected if expected else 1.0,
    }


__all__ = ["MARKERS", "Marker", "marker_coverage"]
