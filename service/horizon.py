"""The period a plan as a whole runs for, as its title states it.

"Kế hoạch thực hiện Kết luận 13-KL/TW của UBND tỉnh Quảng Ngãi được thực hiện đến năm
nào?" asks about no task: beyond naming the plan it only asks "until when". The answer is
the period in the plan's title ("giai đoạn 2016 - 2025 và định hướng đến năm 2030"), not
the time of whichever task matches the plan's name best.
"""

from __future__ import annotations

import re

from ingest.types import DocumentMeta
from ingest.vntext import fold
from retriever.query import NormalizedQuery
from service.evidence import naming_and, query_terms, terms_outside

# "... đến năm nào?", "... trong giai đoạn nào?", "... thực hiện đến khi nào?"
_ASKS_HORIZON = re.compile(
    r"\b(?:(?:den|toi) (?:nam nao|khi nao|bao gio)|(?:trong )?giai doan nao|"
    r"trong (?:thoi gian|bao lau)|keo dai (?:den )?(?:khi nao|bao lau|nam nao))\b"
)
# Words that ask for the period rather than name a topic of the plan.
_HORIZON_WORDS = (
    "thực hiện triển khai áp dụng được đến tới năm nào khi bao giờ giai đoạn trong thời gian "
    "kéo dài lâu của"
)
# The period a title states: "giai đoạn 2016 - 2025 và định hướng đến năm 2030",
# "giai đoạn 2025 - 2030", "đến năm 2030", "năm 2026".
_PERIOD = re.compile(
    r"giai đoạn \d{4}\s*[-–]\s*\d{4}(?:\s+và (?:định hướng|tầm nhìn) đến năm \d{4})?|"
    r"đến năm \d{4}|năm \d{4}",
    re.IGNORECASE,
)


def asks_horizon(question: str) -> bool:
    """The question asks until when, or for which period ("đến năm nào?", "giai đoạn nào?")."""
    return _ASKS_HORIZON.search(fold(question)) is not None


def asks_plan_horizon(query: NormalizedQuery, question: str, meta: DocumentMeta | None) -> bool:
    """The question asks until when (or for which period) the plan runs, and nothing else
    beyond naming the plan."""
    if meta is None or not asks_horizon(question):
        return False
    skip = naming_and(query, meta, _HORIZON_WORDS)
    return not terms_outside(query, query_terms(query), skip)


def title_period(meta: DocumentMeta) -> str:
    """The period the plan's title states (the widest one), or ""."""
    periods = _PERIOD.findall(meta.title)
    return max(periods, key=len) if periods else ""


__all__ = ["asks_horizon", "asks_plan_horizon", "title_period"]
