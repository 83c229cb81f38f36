"""What an answerer returns. Domain-level; the HTTP schemas in service.schemas mirror it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ingest.protocols import Filters
from ingest.types import Citation

ABSTAIN_MESSAGE = "Các văn bản hiện có không nêu thông tin này."


@dataclass(frozen=True)
class Answer:
    answer: str
    abstained: bool
    intent: str  # deadline | responsibility | target | metadata | comparison | general
    citations: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Diagnostics for evaluation and logs, not part of the HTTP answer: how well the retrieved
    # passages cover the question (0-1), and why the answerer abstained.
    evidence_strength: float | None = None
    abstain_reason: str = ""


class Answerer(Protocol):
    name: str

    def answer(self, question: str, top_k: int = 8, filters: Filters | None = None) -> Answer: ...
