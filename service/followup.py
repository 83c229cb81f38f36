"""Follow-up questions in a conversation: "còn Hải Dương thì sao?" after "Ai chủ trì tuyên
truyền ở Đồng Tháp?" means "Ai chủ trì tuyên truyền ở Hải Dương?".

The rewrite is deliberately narrow: only the "còn X (thì sao)?" shape is treated as a
follow-up; X replaces the province or year of the previous question when it is one (a province
in its canonical spelling), and is appended to it otherwise. Any other question stands on its own.
"""

from __future__ import annotations

import re

from ingest.vntext import fold, nfc
from retriever.provinces import province_spans

# Matched on the folded form: "còn", "thế còn", "vậy còn", "còn ... thì sao / thì thế nào".
FOLLOWUP = re.compile(
    r"^\s*(?:(?:the|vay|con)\s+)?con\s+(?P<subject>.+?)"
    r"(?:\s+thi(?:\s+(?:sao|the nao|nhu the nao))?)?\s*[?.!…]*\s*$"
)
YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def _subject(question: str) -> str | None:
    """The X of "còn X thì sao?", in the question's own spelling; None if not a follow-up."""
    surface = nfc(question)
    match = FOLLOWUP.match(fold(surface))
    if not match:
        return None
    start, end = match.span("subject")
    return surface[start:end].strip(" ,") or None


def _replace_spans(text: str, spans: list[tuple[int, int]], value: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def resolve_followup(question: str, previous: str | None) -> str:
    """The question to answer: `question` itself, or the previous one rewritten for X."""
    if not previous:
        return question
    subject = _subject(question)
    if subject is None:
        return question
    previous = nfc(previous).strip()
    subject_provinces = province_spans(subject)
    previous_provinces = province_spans(previous)
    if subject_provinces and previous_provinces:
        canonical = subject_provinces[0][2]  # "hai duong" typed → "Hải Dương"
        spans = [(s, e) for s, e, _ in previous_provinces]
        return _replace_spans(previous, spans, canonical)
    subject_year = YEAR.search(subject)
    previous_years = list(YEAR.finditer(previous))
    if subject_year and previous_years and not subject_provinces:
        spans = [m.span() for m in previous_years]
        return _replace_spans(previous, spans, subject_year.group(0))
    stem = previous.rstrip(" ?.!…")
    linker = (
        " ở " if subject_provinces and not subject.lower().startswith(("tỉnh", "tinh")) else " – "
    )
    return f"{stem}{linker}{subject}?"


__all__ = ["resolve_followup"]
