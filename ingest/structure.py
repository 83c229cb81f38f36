"""From a plan's text to its metadata and section tree (`ParsedDocument`).

Heading levels come from the numbering (Phần, Chương, Điều, I., 1., 1.1., a), -, +), never
from markdown `#`, which converters use at random. Paths follow the team's section path rules
(ARCHITECTURE.md): labels joined by ".", a dotted number replaces the
component it extends ("II.1.1"), bullets count per sign ("-3", "+1"), duplicate sibling labels
get "~2", a later document in the same file is prefixed with its type ("KH.II.1.a").

Interpretations worth knowing when citing:
- A heading's own content is `title` + `text`: a short heading is all title; "X: rest" gives
  title X and text rest (not when X ends in "như", "gồm", "là": that colon opens a list); a
  heading that is really a paragraph gives its first sentence as title (final period dropped)
  and the remaining sentences as text. Body lines follow in `text`.
- Unnumbered paragraphs and task label lines stay in the section open at that point (the last
  heading or bullet above them), as the brief's label-line rule says.
- A footnote is a section "fn<n>" whose parent is the section holding its anchor; it comes last
  in reading order.
- A later document's preamble ("KH.preamble") holds its type line, title and "(Ban hành kèm
  theo ...)" line, since only the first document's title goes into the metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import BadDocument
from ingest.header import Layout, is_person_name, read_meta, type_name
from ingest.normalize import (
    ARABIC,
    ARTICLE,
    CHAPTER,
    DOTTED,
    LABEL_LINE,
    LETTER,
    MOTTO,
    NOI_NHAN,
    NUMBER_LINE,
    PART,
    PLACE_DATE,
    ROMAN,
    TYPE_LINE,
    bullet_match,
    clean_document,
    is_caps_line,
)
from ingest.types import ParsedDocument, Section

#: Abbreviation that prefixes the paths of a later document in the same file.
TYPE_PREFIX = {
    "Kế hoạch": "KH",
    "Quyết định": "QĐ",
    "Chương trình": "CTr",
    "Chỉ thị": "CT",
    "Nghị quyết": "NQ",
    "Đề án": "ĐA",
    "Hướng dẫn": "HD",
    "Thông báo": "TB",
    "Báo cáo": "BC",
}
#: Depth rank of each numbering style: a heading closes every open heading of equal or deeper
#: rank. Dotted numbers rank by their number of parts ("1.1" under "1", "1.1.1" under "1.1").
_RANK = {"part": 0, "chapter": 1, "article": 2, "roman": 3, "arabic": 4, "letter": 6}
_BULLET_RANK = {"-": 7, "+": 8}
#: Candidate sentence ends: ". ", "… ", ".” " (checked by `_sentence_break`).
_SENTENCE_END = re.compile(r"[.!?…]+[”\"’)]*\s+(?=[“\"(]?(\w))")
_TERMINAL = re.compile(r"[.;!?…]+[”\"’]*$")
_TITLE_COLON_MAX = 120
#: A colon after "như", "gồm", "là" opens a list within the sentence ("d) Triển khai các đợt
#: cao điểm truyền thông ..., như: tội phạm “tín dụng đen”, mua bán người, ma túy"): the line
#: is one statement, not a title and its text.
_INTRODUCES_LIST = re.compile(r"\b(?:như|gồm|là)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Line:
    index: int  # line number in the cleaned text (footnote anchors refer to it)
    text: str


@dataclass(frozen=True)
class _Heading:
    kind: str  # part | chapter | article | roman | arabic | letter | bullet
    rank: float
    label: str  # "II", "1.1", "a", "Điều1", "-" / "+" for bullets (numbered later)
    content: str


@dataclass
class _Node:
    path: str
    base: str  # the path before this node's own label ("II." for "II.1")
    label: str
    title: str
    level: int
    parent_path: str | None
    kind: str
    rank: float
    lines: list[str] = field(default_factory=list)


def match_heading(line: str) -> _Heading | None:
    """The heading a line opens, or None for body text and task label lines."""
    if LABEL_LINE.match(line):
        return None
    for kind, pattern, prefix in (
        ("part", PART, "Phần"),
        ("chapter", CHAPTER, "Chương"),
        ("article", ARTICLE, "Điều"),
    ):
        m = pattern.match(line)
        if m:
            return _Heading(kind, _RANK[kind], prefix + m.group(1), m.group(2) or "")
    m = ROMAN.match(line)
    if m:
        return _Heading("roman", _RANK["roman"], m.group(1), m.group(2) or "")
    m = DOTTED.match(line)
    if m:
        depth = m.group(1).count(".")
        return _Heading("arabic", _RANK["arabic"] + depth * 0.1, m.group(1), m.group(2) or "")
    for kind, pattern in (("arabic", ARABIC), ("letter", LETTER)):
        m = pattern.match(line)
        if m:
            return _Heading(kind, _RANK[kind], m.group(1), m.group(2) or "")
    m = bullet_match(line)
    if m:
        return _Heading("bullet", _BULLET_RANK[m.group(1)], m.group(1), m.group(2))
    return None


def _sentence_break(text: str) -> re.Match[str] | None:
    """The first sentence end followed by a capital, skipping short abbreviations ("TP. Hồ")."""
    for m in _SENTENCE_END.finditer(text):
        before = text[: m.start()].rsplit(" ", 1)[-1]
        if m.group(1).isupper() and not (len(before) <= 2 and before[:1].isupper()):
            return m
    return None


def split_heading(content: str) -> tuple[str, str]:
    """(title, text) of a heading's content; see the module docstring for the three forms."""
    content = content.strip()
    colon = content.find(":")
    if 0 < colon <= _TITLE_COLON_MAX:
        head = content[:colon]
        if (
            not _sentence_break(head)
            and head.count("(") == head.count(")")
            and not _INTRODUCES_LIST.search(head)
        ):
            return head.strip(), content[colon + 1 :].strip()
    brk = _sentence_break(content)
    if brk or _TERMINAL.search(content):
        first = content[: brk.start()] if brk else content
        rest = content[brk.end() :] if brk else ""
        return _TERMINAL.sub("", first).strip(), rest.strip()
    return content.rstrip(":").strip(), ""


def _unique(path: str, used: set[str]) -> str:
    """The path itself, or "path~2", "path~3" ... when a sibling already took it."""
    candidate, n = path, 1
    while candidate in used:
        n += 1
        candidate = f"{path}~{n}"
    used.add(candidate)
    return candidate


def _is_header_ish(text: str) -> bool:
    return bool(
        is_caps_line(text) or MOTTO.match(text) or NUMBER_LINE.match(text) or PLACE_DATE.match(text)
    )


def _split_documents(lines: list[_Line]) -> list[list[_Line]]:
    """A type line ("KẾ HOẠCH") after numbered headings starts a new document; its header block
    (issuer, motto, number, date lines in capitals) goes with it."""
    starts = [0]
    seen_heading = False
    for i, line in enumerate(lines):
        if TYPE_LINE.match(line.text) and seen_heading:
            start = i
            while start - 1 > starts[-1] and _is_header_ish(lines[start - 1].text):
                start -= 1
            starts.append(start)
            seen_heading = False
        elif match_heading(line.text) and match_heading(line.text).kind != "bullet":
            seen_heading = True
    bounds = [*starts, len(lines)]
    return [lines[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _trailer_start(lines: list[_Line], start: int) -> int:
    """Index where "Nơi nhận" or the signature block begins (len(lines) if neither)."""
    for i in range(start, len(lines)):
        if NOI_NHAN.match(lines[i].text):
            return i
    i = len(lines)
    while i > start and (is_caps_line(lines[i - 1].text) or is_person_name(lines[i - 1].text)):
        if match_heading(lines[i - 1].text):
            break
        i -= 1
    tail = lines[i:]
    return i if any(is_caps_line(x.text) for x in tail) and tail else len(lines)


def _layout(lines: list[_Line]) -> Layout:
    """Header, title, preamble-and-body and trailer of one document."""
    texts = [x.text for x in lines]
    first_heading = next((i for i, t in enumerate(texts) if match_heading(t)), len(texts))
    type_at = next((i for i, t in enumerate(texts[:first_heading]) if TYPE_LINE.match(t)), None)
    title: list[str] = []
    partial = False
    if type_at is not None:
        i = type_at + 1
        if i < first_heading and not is_caps_line(texts[i]) and not texts[i].startswith("("):
            title.append(texts[i])
            i += 1
    else:
        i = 0
        while i < first_heading and _is_header_ish(texts[i]):
            i += 1
        if i < first_heading and texts[i][:1].islower():
            title, partial = [texts[i]], True
            i += 1
    extras_end = i
    while extras_end < first_heading and (
        is_caps_line(texts[extras_end])
        or (texts[extras_end].startswith("(") and texts[extras_end].endswith(")"))
    ):
        extras_end += 1
    trailer = _trailer_start(lines, extras_end)
    return Layout(
        type_line=texts[type_at] if type_at is not None else "",
        header=texts[: type_at if type_at is not None else i - len(title)],
        title=title,
        partial_title=partial,
        extras=texts[i:extras_end],
        front_start=(type_at if type_at is not None else 0),
        body_start=extras_end,
        trailer=texts[trailer:],
        body_end=trailer,
    )


class _TreeBuilder:
    """Turns the body lines of one document into sections, in reading order."""

    def __init__(self, prefix: str, used: set[str]) -> None:
        self.prefix = prefix  # "" or "KH."
        self.used = used
        self.nodes: list[_Node] = []
        self.stack: list[_Node] = []
        self.bullet_counts: dict[tuple[str | None, str], int] = {}
        self.line_owner: dict[int, _Node] = {}

    def unique(self, path: str) -> str:
        return _unique(path, self.used)

    def preamble(self, lines: list[_Line]) -> None:
        if not lines:
            return
        node = _Node(
            self.unique(self.prefix + "preamble"), self.prefix, "preamble", "", 1,
            None, "preamble", -1.0, [x.text for x in lines],
        )  # fmt: skip
        self.nodes.append(node)
        for x in lines:
            self.line_owner[x.index] = node

    def add(self, line: _Line) -> None:
        heading = match_heading(line.text)
        if heading is None:
            if self.stack:
                self.stack[-1].lines.append(line.text)
                self.line_owner[line.index] = self.stack[-1]
            return
        while self.stack and self.stack[-1].rank >= heading.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        parent_path = parent.path if parent else None
        label, base = heading.label, (parent.path + "." if parent else self.prefix)
        if heading.kind == "bullet":
            key = (parent_path, heading.label)
            self.bullet_counts[key] = self.bullet_counts.get(key, 0) + 1
            label = f"{heading.label}{self.bullet_counts[key]}"
            title, text = "", heading.content
        else:
            title, text = split_heading(heading.content)
            if parent and "." in label and label.startswith(parent.label + "."):
                base = parent.base  # "1.1" under "1" replaces that component
        node = _Node(
            self.unique(base + label), base, label, title, (parent.level + 1 if parent else 1),
            parent_path, "bullet" if heading.kind == "bullet" else "heading", heading.rank,
            [text] if text else [],
        )  # fmt: skip
        self.nodes.append(node)
        self.stack.append(node)
        self.line_owner[line.index] = node


def parse_document(
    text: str, doc_id: str, source_path: str = "", source_format: str = "txt"
) -> ParsedDocument:
    """Metadata and section tree of a plan's text (cleaned here with `clean_document`)."""
    cleaned = clean_document(text)
    lines = [_Line(i, t) for i, t in enumerate(cleaned.text.split("\n")) if t.strip()]
    if not lines:
        raise BadDocument("Tài liệu không có nội dung văn bản.", f"{doc_id}: empty text")
    documents = _split_documents(lines)
    layouts = [_layout(doc) for doc in documents]
    used: set[str] = set()
    nodes: list[_Node] = []
    owners: dict[int, tuple[_Node, str]] = {}
    prefixes: list[str] = []
    preambles: list[str] = []
    for n, (doc, layout) in enumerate(zip(documents, layouts, strict=True)):
        prefix = ""
        if n:
            abbrev = TYPE_PREFIX.get(type_name(layout.type_line), "VB")
            prefix = (abbrev if abbrev not in prefixes else f"{abbrev}{n + 1}") + "."
        prefixes.append(prefix)
        builder = _TreeBuilder(prefix, used)
        body = doc[layout.body_start : layout.body_end]
        first = next((i for i, x in enumerate(body) if match_heading(x.text)), len(body))
        preambles.append(" ".join(x.text for x in body[:first]))
        front = doc[layout.front_start : layout.body_start] if n else []
        builder.preamble(front + body[:first])
        for line in body[first:]:
            builder.add(line)
        nodes.extend(builder.nodes)
        owners.update({i: (node, prefix) for i, node in builder.line_owner.items()})
    meta = read_meta(doc_id, layouts[0], preambles[0], cleaned.text, source_path, source_format)
    sections = [
        Section(
            doc_id=doc_id,
            path=node.path,
            label=node.label,
            title=node.title,
            text="\n".join(node.lines).strip(),
            level=node.level,
            parent_path=node.parent_path,
            order=order,
            kind=node.kind,
        )  # fmt: skip
        for order, node in enumerate(nodes)
    ]
    for note in cleaned.footnotes:
        owner, prefix = owners.get(note.anchor_line, (None, "")) if note.anchor_line else (None, "")
        label = f"fn{note.number}"
        sections.append(
            Section(
                doc_id=doc_id,
                path=_unique(prefix + label, used),
                label=label,
                title="",
                text=note.text,
                level=owner.level + 1 if owner else 1,
                parent_path=owner.path if owner else None,
                order=len(sections),
                kind="footnote",
            )  # fmt: skip
        )
    return ParsedDocument(meta=meta, sections=tuple(sections))


__all__ = ["TYPE_PREFIX", "match_heading", "parse_document", "split_heading"]
