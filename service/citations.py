"""Citations: document, section path and title, and the exact passage that holds the fact.

Quotes are always substrings of the document's own text (its spelling, not the index form),
cut at clause boundaries when a sentence is too long to show, and never cut through the fact.
"""

from __future__ import annotations

import re

from ingest.errors import NotFound
from ingest.protocols import IndexReader
from ingest.types import Chunk, Citation, DocumentMeta, Section

MAX_QUOTE = 420
_CLAUSE = re.compile(r"[,;:]\s+|\s+[-–]\s+")


def trim_quote(text: str, focus: tuple[int, int] | None = None, limit: int = MAX_QUOTE) -> str:
    """An exact substring of `text` of at most about `limit` characters that keeps `focus`
    (a span holding the key fact), cut at clause boundaries where possible."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if focus is None:
        focus = (0, min(len(text), limit // 2))
    f_start, f_end = focus
    bounds = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
    start = max((b for b in bounds if b <= f_start), default=0)
    # Move the start forward while the window would be too long, never past the fact.
    end_needed = f_end
    while end_needed - start > limit and start < f_start:
        later = [b for b in bounds if start < b <= f_start]
        if not later:
            break
        start = later[0]
    ends = [m.start() + 1 for m in _CLAUSE.finditer(text)] + [len(text)]
    end = min((e for e in ends if e >= end_needed), default=len(text))
    if end - start > limit:
        end = max(end_needed, start + limit)
        while end < len(text) and not text[end].isspace():
            end += 1
    return text[start:end].strip(" ,;:-–")


def focus_span(text: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` occurs in `text` (case-insensitive), for `trim_quote`."""
    if not needle:
        return None
    index = text.lower().find(needle.lower())
    return (index, index + len(needle)) if index >= 0 else None


class SectionTitles:
    """Section titles for citations; bullets and lettered items without a title borrow their
    nearest titled ancestor's, so a reader still sees what the passage is about."""

    def __init__(self, index: IndexReader) -> None:
        self.index = index
        self._sections: dict[str, dict[str, Section]] = {}
        self._layouts: dict[str, list[tuple[int, Section]]] = {}

    def sections(self, doc_id: str) -> dict[str, Section]:
        if doc_id not in self._sections:
            try:
                self._sections[doc_id] = {s.path: s for s in self.index.sections(doc_id)}
            except NotFound:
                self._sections[doc_id] = {}
        return self._sections[doc_id]

    def section(self, doc_id: str, path: str) -> Section | None:
        return self.sections(doc_id).get(path)

    def title(self, doc_id: str, path: str) -> str:
        sections = self.sections(doc_id)
        node = sections.get(path)
        while node is not None:
            if node.title.strip():
                return node.title.strip()
            node = sections.get(node.parent_path) if node.parent_path else None
        return ""

    def section_at(self, chunk: Chunk, offset: int) -> Section | None:
        """The section whose text holds position `offset` of a chunk's text (a chunk spans a
        subtree; citations point at the exact section, e.g. II.2.a.-3 rather than II)."""
        layout = self._layout(chunk)
        found = None
        for start, section in layout:
            if start > offset:
                break
            found = section
        return found or self.section(chunk.doc_id, chunk.section_path)

    def _layout(self, chunk: Chunk) -> list[tuple[int, Section]]:
        if chunk.chunk_id not in self._layouts:
            root = chunk.section_path
            subtree = sorted(
                (
                    sec
                    for sec in self.sections(chunk.doc_id).values()
                    if sec.path == root or sec.path.startswith(root + ".")
                ),
                key=lambda item: item.order,
            )
            found = [
                (rank, at, sec)
                for rank, sec in enumerate(subtree)
                for at in _line_openings(chunk.text, (sec.title or sec.text).strip()[:40])
            ]
            self._layouts[chunk.chunk_id] = [
                (chunk.text.rfind("\n", 0, at) + 1, sec) for _, at, sec in _longest_chain(found)
            ]
        return self._layouts[chunk.chunk_id]

    def ancestors(self, doc_id: str, path: str) -> list[Section]:
        """The section and its ancestors, nearest first."""
        sections = self.sections(doc_id)
        out = []
        node = sections.get(path)
        while node is not None:
            out.append(node)
            node = sections.get(node.parent_path) if node.parent_path else None
        return out


# What may stand before a section's opening words on its line: markup and its label
# ("#### **14. ", "a) ", "- ", "+ ", "Điều 2. ", "1.2. ").
_LINE_LEAD = re.compile(r"[\s#*_>\-+•–]*(?:(?:Điều\s+)?[\w]{1,3}(?:\.\d+)*[.)]?[\s*_]*)?")


def _line_openings(text: str, probe: str) -> list[int]:
    """Where `probe` opens a line of `text`, after at most its label and markup. A section's
    words found mid-line ("phối hợp với Công an tỉnh") are another section's text."""
    out = []
    at = text.find(probe) if probe else -1
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        if _LINE_LEAD.fullmatch(text[line_start:at]):
            out.append(at)
        at = text.find(probe, at + 1)
    return out


def _longest_chain(found: list[tuple[int, int, Section]]) -> list[tuple[int, int, Section]]:
    """The most sections placed in both reading order and text order. A chunk holds part of
    its subtree, and items of other branches open alike ("b) Tiếp tục thực hiện Đề án ..."
    under 11 and under 14): placing sections one by one would let an absent branch take
    the lines of the present one."""
    length = [1] * len(found)
    before = [-1] * len(found)
    for i, (rank, at, _) in enumerate(found):
        for j in range(i):
            if found[j][0] < rank and found[j][1] < at and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    if not found:
        return []
    chain, i = [], max(range(len(found)), key=lambda k: length[k])
    while i >= 0:
        chain.append(found[i])
        i = before[i]
    return chain[::-1]


def make_citation(
    meta: DocumentMeta | None,
    doc_id: str,
    section_path: str,
    section_title: str,
    quote: str,
    chunk_id: str = "",
    score: float = 0.0,
) -> Citation:
    return Citation(
        doc_id=doc_id,
        doc_title=meta.title if meta else "",
        section_path=section_path,
        section_title=section_title,
        quote=quote,
        chunk_id=chunk_id,
        score=round(float(score), 4),
    )


__all__ = ["MAX_QUOTE", "SectionTitles", "focus_span", "make_citation", "trim_quote"]
