"""Completing a passage that announces a counted list it does not state.

Plans move such lists into footnotes: "... theo 05 Nghị quyết của Bộ Chính trị¹" with the
five resolutions in footnote 1, "03 loại thủ đoạn hoạt động của tội phạm¹" with the three
kinds in footnote 1. The superscript marker is lost in the section text, so the footnote is
found by its count: when the question and the passage both speak of "N <things>", the
document's one footnote listing N items is what the question asks for.
"""

from __future__ import annotations

import re

from ingest.types import Section
from ingest.vntext import fold
from service.citations import SectionTitles

# A count before a noun: "05 Nghị quyết", "03 loại", "3 nhóm" (not a year nor a date part).
_COUNT = re.compile(r"(?<![\d/.,])0?([2-9]|1\d)\s+([^\W\d]+)")
# Numbered items of a footnote: "(1) ...; (2) ...".
_NUMBERED = re.compile(r"\(\d{1,2}\)")
# A footnote is quoted whole up to this length (its last item is as much the answer).
FOOTNOTE_MAX = 700


def counted_phrases(text: str) -> set[tuple[int, str]]:
    """(count, first folded word after it) for each "N <noun>" of `text`."""
    return {(int(n), fold(word).lower()) for n, word in _COUNT.findall(text)}


def listed_items(text: str) -> int:
    """How many items a footnote lists: its "(1) ... (2) ..." numbers, else its ";"-parts."""
    numbered = len(_NUMBERED.findall(text))
    if numbered >= 2:
        return numbered
    return len([part for part in re.split(r";\s+", text.strip()) if part.strip()])


def footnote_for(titles: SectionTitles, doc_id: str, question: str, passage: str) -> Section | None:
    """The document's footnote that lists the "N <things>" both the question and the passage
    speak of, when exactly one footnote lists that many items."""
    shared = counted_phrases(question) & counted_phrases(passage)
    if not shared:
        return None
    counts = {count for count, _ in shared}
    notes = [
        section
        for section in titles.sections(doc_id).values()
        if section.kind == "footnote" and section.text.strip()
    ]
    matching = [note for note in notes if listed_items(note.text) in counts]
    return matching[0] if len(matching) == 1 else None


__all__ = ["FOOTNOTE_MAX", "counted_phrases", "footnote_for", "listed_items"]
