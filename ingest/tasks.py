"""Task records: who leads, cooperates, executes or directs which duty, and by when.

Plans state assignments in four notations, all read here from the parsed section tree:

* label blocks ("Đơn vị chủ trì: / Đơn vị phối hợp: / Đơn vị thực hiện: / Thời gian thực hiện:"
  and "Cơ quan chỉ đạo: / Cơ quan tham mưu, thực hiện:"); a block applies to every item since
  the previous block under the same parent section;
* bracketed assignments "(X chủ trì, phối hợp với Y thực hiện)": at the end of a paragraph they
  assign that paragraph, alone on a line they act like a label block;
* per-agency chapters ("III. PHÂN CÔNG TRÁCH NHIỆM" → "1. Công an tỉnh" → a), b), ...): the
  heading agency leads or executes each duty;
* the "Tổ chức thực hiện" chapter: plans, reports and meetings with their deadlines, one
  record per stated deadline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ingest.agencies import looks_like_agency, split_agencies
from ingest.normalize import LABEL_LINE
from ingest.roles import DUTY_VERB, Roles, read_duty, read_roles, top_level_clauses
from ingest.timeparse import TimeMention, find_times, parse_time
from ingest.types import ParsedDocument, Section, Task, TaskTime
from ingest.vntext import fold

# Label name (folded) → the role its value fills; "time" for the time labels.
_LABEL_ROLE = {
    "don vi chu tri": "lead",
    "co quan chu tri": "lead",
    "don vi phoi hop": "cooperating",
    "co quan phoi hop": "cooperating",
    "don vi thuc hien": "executing",
    "co quan thuc hien": "executing",
    "co quan tham muu, thuc hien": "executing",
    "co quan tham muu": "executing",
    "co quan chi dao": "directing",
    "thoi gian thuc hien": "time",
    "thoi gian hoan thanh": "time",
    "thoi han hoan thanh": "time",
}
# "(Công an tỉnh chủ trì, phối hợp với các sở, ngành, địa phương thực hiện)." at a line end.
BRACKET_AT_END = re.compile(r"\((?P<body>[^()]*)\)\s*[.;]?\s*$")
BRACKET_LINE = re.compile(r"^\s*\([^()]*\)\s*[.;]?\s*$")
# What makes a bracket an assignment rather than an aside: a role verb at its end or "chủ trì".
ASSIGNMENT_BRACKET = re.compile(
    r"(?:\bthực\s+hiện|\bchủ\s+trì\b[^;]*)\s*[.;]?\s*(?:;.*)?$", re.IGNORECASE | re.DOTALL
)
# Chapter titles: "TỔ CHỨC THỰC HIỆN"; "PHÂN CÔNG TRÁCH NHIỆM" (per-agency duties).
_TCTH_TITLE = re.compile(r"\bto chuc thuc hien\b")
_AGENCY_CHAPTER_TITLE = re.compile(
    r"\b(?:phan cong (?:trach nhiem|nhiem vu)|trach nhiem cua|nhiem vu cua cac|nhiem vu cu the)\b"
)
# "Căn cứ kế hoạch này, các sở ..." → the subject starts after the "Căn cứ ..." clause.
_CAN_CU = re.compile(
    r"^Căn\s+cứ\b.*?,\s*(?=(?:đề\s+nghị|các|Các|Ủy\s+ban|Uỷ\s+ban|UBND|Giao|Công\s+an|Ban)\b)",
    re.DOTALL,
)
_GIAO = re.compile(r"^(?:Giao|Đề\s+nghị|đề\s+nghị)\s+")
_ELLIPTIC_LEVEL = re.compile(r"^cấp\s+\w+", re.IGNORECASE)  # "cấp huyện tổ chức họp ..."
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-ỸÂĂÊÔƠƯ])")
_DESCRIPTION_LIMIT = 220
_SENTENCE_TITLE_WORDS = 8  # a title this long is a first sentence, not a heading
_AGENCY_TITLE_WORDS = 15  # "Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh"


@dataclass
class _Item:
    """A passage a label block or bracket may assign: part of one section's content."""

    section: Section
    text: str


@dataclass
class _Draft:
    section: Section
    description: str
    quote: str
    roles: Roles
    time: TaskTime | None


# --- small text helpers ----------------------------------------------------------------------


def _content(section: Section, with_title: bool = True) -> str:
    """A section's own words: its title (a numbered item's opening) and its body.

    The parser keeps "X: rest" as title X and a paragraph-long item as its first sentence
    (final period dropped) plus the rest; this puts the passage back together.
    """
    title, text = section.title.strip(), section.text.strip()
    if not with_title or not title or text.startswith(title):
        return text
    if not text:
        return title
    if _label(text.split("\n", 1)[0]) or BRACKET_LINE.match(text.split("\n", 1)[0]):
        joiner = "\n"  # a label block or a bracketed assignment is its own line
    elif re.search(r"[.;:!?…,]$", title) or text[:1].islower():
        joiner = " "
    elif LABEL_LINE.match(title + ":") or (
        looks_like_agency(title) and len(title.split()) <= _AGENCY_TITLE_WORDS
    ):
        joiner = ": "
    elif len(title.split()) >= _SENTENCE_TITLE_WORDS:
        joiner = ". "
    else:
        joiner = "\n"  # a heading, then its body
    return f"{title}{joiner}{text}"


def _sentences(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text).strip()
    return [s for s in _SENTENCE_END.split(flat) if s]


def _shorten(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    flat = re.sub(r"\s*\./\.?$", ".", flat)  # the closing "./." of a document
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;: ")
    return cut + "…"


def _description(text: str) -> str:
    """The item's first sentence (or heading), short enough for a list."""
    sentences = _sentences(text)
    return _capitalised(_shorten(sentences[0] if sentences else text))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _folded_title(section: Section) -> str:
    return fold(section.title)


def _specific(times: list[TimeMention]) -> list[TimeMention]:
    """Mentions that say when (a date, a deadline in a recurrence), or all if none does."""
    exact = [t for t in times if t.time.due_date or t.time.recurrence_detail]
    return exact or times


def _first_time(text: str, ref_year: int | None) -> TaskTime | None:
    times = _specific(find_times(text, ref_year))
    return times[0].time if times else None


# --- section tree helpers --------------------------------------------------------------------


class _Tree:
    def __init__(self, doc: ParsedDocument) -> None:
        self.sections = [s for s in doc.sections if s.kind != "footnote"]
        self.by_path = {s.path: s for s in doc.sections}
        self.children: dict[str, list[Section]] = defaultdict(list)
        for s in self.sections:
            if s.parent_path is not None:
                self.children[s.parent_path].append(s)

    def is_top(self, section: Section) -> bool:
        return section.parent_path is None or section.parent_path not in self.by_path

    def descendants(self, section: Section) -> list[Section]:
        out: list[Section] = []
        for child in self.children.get(section.path, []):
            out.append(child)
            out.extend(self.descendants(child))
        return out


def _within(path: str, scope: str) -> bool:
    return path == scope or path.startswith(scope + ".")


# --- label blocks and brackets (the general notation) ----------------------------------------


def _label(line: str) -> tuple[str, str] | None:
    """("lead"|"cooperating"|"executing"|"directing"|"time", value) for a label line."""
    stripped = line.strip()
    m = LABEL_LINE.match(stripped)
    if not m:
        return None
    role = _LABEL_ROLE.get(fold(m.group(1)))
    return (role, stripped[m.end() :].strip()) if role else None


def _read_block(lines: list[str], ref_year: int | None) -> tuple[Roles, TaskTime | None]:
    roles, time = Roles(), None
    for line in lines:
        found = _label(line)
        if not found:
            continue
        role, value = found
        if role == "time":
            time = time or parse_time(value, ref_year)
        else:
            roles = roles.merge(read_roles(value, role))
    return roles, time


def _block_end(lines: list[str], start: int) -> int:
    """Index after a label block starting at `start` (labels, their wrapped values, blanks)."""
    i, value_open = start, False
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if _label(line):
            value_open = not re.search(r"[.;]$", line)
            i += 1
            continue
        if value_open or line[:1].islower():
            value_open = not re.search(r"[.;]$", line)
            i += 1
            continue
        break
    # Do not swallow trailing blank lines into the block.
    while i > start and not lines[i - 1].strip():
        i -= 1
    return i


def _join_values(lines: list[str]) -> list[str]:
    """Label lines with their wrapped continuation lines joined back on."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if _label(stripped) or not out:
            out.append(stripped)
        else:
            out[-1] = f"{out[-1]} {stripped}"
    return out


def _assignment_bracket(line: str) -> re.Match[str] | None:
    m = BRACKET_AT_END.search(line.strip())
    if m and ASSIGNMENT_BRACKET.search(m.group("body")) and _opens_with_agency(m.group("body")):
        return m
    return None


def _opens_with_agency(body: str) -> bool:
    """Does a bracket open with an agency (so "(nếu đủ tiêu chí)" is not an assignment)?"""
    body = re.sub(r"^\s*(?:đề\s+nghị)\s+", "", body.strip(), flags=re.IGNORECASE)
    return looks_like_agency(body.split(",")[0]) or bool(
        re.match(r"^(?:các|cơ quan|lực lượng)\b", body, re.IGNORECASE)
    )


class _GeneralReader:
    """Walks sections in reading order, collecting items until a block assigns them."""

    def __init__(self, tree: _Tree, ref_year: int | None) -> None:
        self.tree = tree
        self.ref_year = ref_year
        self.pending: list[_Item] = []
        self.drafts: list[_Draft] = []

    def _scope(self, section: Section) -> str:
        return section.parent_path if not self.tree.is_top(section) else section.path

    def _is_umbrella(self, section: Section) -> bool:
        """A heading with children and no words of its own beyond its title."""
        return bool(self.tree.children.get(section.path)) and not section.text.strip()

    def _assign(
        self, items: list[_Item], block_text: str, roles: Roles, time: TaskTime | None
    ) -> None:
        for item in items:
            quote = item.text if not block_text else f"{item.text}\n{block_text}".strip()
            own_time = time
            if own_time is None and roles.time_text:
                own_time = parse_time(roles.time_text, self.ref_year)
            if own_time is None:
                own_time = _first_time(item.text, self.ref_year)
            self.drafts.append(
                _Draft(
                    section=item.section,
                    description=_description(item.text or block_text),
                    quote=quote,
                    roles=roles,
                    time=own_time,
                )
            )

    def _close_block(
        self, section: Section, block_lines: list[str], roles: Roles, time: TaskTime | None
    ) -> None:
        scope = self._scope(section)
        items = [it for it in self.pending if _within(it.section.path, scope) and it.text]
        block_text = "\n".join(line.strip() for line in block_lines if line.strip())
        if not items:
            # A block with nothing before it ("1. Thời gian thực hiện: ..."): its own record.
            items = [_Item(section, "")]
        self._assign(items, block_text, roles, time)
        self.pending.clear()

    def read(self, section: Section) -> None:
        lines = _content(section).split("\n")
        segment: list[str] = []
        i = 0

        def flush_segment() -> None:
            text = "\n".join(segment).strip()
            if text and not (self._is_umbrella(section) and text == section.title.strip()):
                self.pending.append(_Item(section, text))
            segment.clear()

        while i < len(lines):
            line = lines[i]
            if _label(line):
                end = _block_end(lines, i)
                flush_segment()
                block = _join_values(lines[i:end])
                roles, time = _read_block(block, self.ref_year)
                self._close_block(section, block, roles, time)
                i = end
                continue
            bracket = _assignment_bracket(line)
            if bracket:
                roles = read_roles(bracket.group("body"), "executing")
                standalone = line.strip().startswith("(")
                if standalone:
                    flush_segment()
                    self._close_block(section, [line.strip()], roles, None)
                else:
                    segment.append(line)
                    text = "\n".join(segment).strip()
                    segment.clear()
                    self._assign([_Item(section, text)], "", roles, None)
                    self.pending.clear()
                i += 1
                continue
            segment.append(line)
            i += 1
        flush_segment()


# --- per-agency chapters ---------------------------------------------------------------------


def _agency_heading(section: Section) -> tuple[list[str], str] | None:
    """("1. Công an tỉnh" → (["Công an tỉnh"], "")); "15. Sở Tài chính: Phối hợp ..." →
    (["Sở Tài chính"], "Phối hợp ..."))."""
    if not section.title or not looks_like_agency(section.title):
        return None
    agencies = split_agencies(section.title)
    return (agencies, section.text.strip()) if agencies else None


def _is_agency_chapter(section: Section, tree: _Tree) -> bool:
    children = tree.children.get(section.path, [])
    if not children or not _AGENCY_CHAPTER_TITLE.search(_folded_title(section)):
        return False
    named = sum(1 for c in children if _agency_heading(c))
    return named * 2 >= len(children)


def _read_agency_chapter(chapter: Section, tree: _Tree, ref_year: int | None) -> list[_Draft]:
    drafts: list[_Draft] = []
    for child in tree.children.get(chapter.path, []):
        heading = _agency_heading(child)
        if not heading:
            continue
        agencies, own_duty = heading
        duties = tree.children.get(child.path, [])
        units: list[tuple[Section, str]] = [
            (d, "\n".join(_content(x) for x in [d, *tree.descendants(d)])) for d in duties
        ]
        if not duties and own_duty:
            units = [(child, own_duty)]
        for section, text in units:
            drafts.append(
                _Draft(
                    section=section,
                    description=_description(text),
                    quote=_content(child) if section is child else text,
                    roles=read_duty(agencies, text),
                    time=_first_time(text, ref_year),
                )
            )
    return drafts


# --- "Tổ chức thực hiện" ---------------------------------------------------------------------


def _subject(clause: str, times: list[TimeMention]) -> Roles:
    """Who a "Tổ chức thực hiện" sentence addresses: "Giao Công an tỉnh tham mưu ...",
    "Căn cứ kế hoạch này, các sở, ban, ngành tỉnh ... xây dựng kế hoạch ..."."""
    text = re.sub(r"\s+", " ", clause).strip()
    if times and times[0].start == 0:
        text = text[times[0].end :].lstrip(" ,")
    text = _CAN_CU.sub("", text)
    text = _GIAO.sub("", text)
    stop = DUTY_VERB.search(text)
    subject = text[: stop.start()] if stop else text
    verb = stop.group(0).strip().lower() if stop else ""
    if not subject.strip() or not (
        looks_like_agency(subject) or _ELLIPTIC_LEVEL.match(subject.strip())
    ):
        return Roles()
    if verb in ("chỉ đạo", "lãnh đạo"):
        rest = text[stop.end() :]
        obj_stop = DUTY_VERB.search(rest)
        obj = rest[: obj_stop.start()] if obj_stop else ""
        executing = split_agencies(obj) if obj.strip() and looks_like_agency(obj.strip()) else []
        return Roles(directing=tuple(split_agencies(subject)), executing=tuple(executing))
    return read_roles(subject, "executing")


def _with_elided_level(roles: Roles, clause: str, previous: Roles) -> Roles:
    """ "cấp huyện tổ chức họp ..." after "Ban Chỉ đạo 138 cấp xã ..." → "Ban Chỉ đạo 138 cấp
    huyện": the plan elides the body's name when only the level changes."""
    level = _ELLIPTIC_LEVEL.match(re.sub(r"\s+", " ", clause).strip())
    prev = (previous.lead or previous.executing or previous.directing or ("",))[0]
    if not level or " cấp " not in prev:
        return roles
    body = prev.split(" cấp ")[0]
    return Roles(executing=tuple(split_agencies(f"{body} {level.group(0)}")))


def _clauses(paragraph: str, ref_year: int | None) -> list[str]:
    """Split at ";" only when every part states its own time (the quarterly meetings)."""
    parts = top_level_clauses(paragraph)
    if len(parts) > 1 and sum(1 for p in parts if find_times(p, ref_year)) >= 2:
        return parts
    return [paragraph]


@dataclass
class _Run:
    """Consecutive clauses addressed to the same agencies."""

    roles: Roles
    clauses: list[str]
    quote: list[str]


def _tcth_runs(content: str, start: Roles, ref_year: int | None) -> tuple[list[_Run], Roles]:
    """Cut a "Tổ chức thực hiện" item into runs of clauses, each with the agencies it names
    (or the ones named before it: "Định kỳ tổng hợp ..." continues the previous subject)."""
    runs: list[_Run] = []
    current = start
    for paragraph in (p.strip() for p in content.split("\n") if p.strip()):
        for sentence in _sentences(paragraph) or [paragraph]:
            for clause in _clauses(sentence, ref_year):
                roles = _subject(clause, find_times(clause, ref_year))
                roles = _with_elided_level(roles, clause, current)
                if roles.any():
                    current = roles
                if runs and runs[-1].roles == current:
                    runs[-1].clauses.append(clause)
                    if runs[-1].quote[-1] != paragraph:
                        runs[-1].quote.append(paragraph)
                else:
                    runs.append(_Run(current, [clause], [paragraph]))
    return runs, current


def _read_tcth(root: Section, tree: _Tree, ref_year: int | None) -> list[_Draft]:
    drafts: list[_Draft] = []
    inherited: dict[str, Roles] = {}
    for section in [root, *tree.descendants(root)]:
        content = _content(section, with_title=section is not root)
        start = inherited.get(section.parent_path or "", Roles())
        runs, inherited[section.path] = _tcth_runs(content, start, ref_year)
        has_children = bool(tree.children.get(section.path))
        for run in runs:
            if not run.roles.any():
                continue
            quote = "\n".join(run.quote)
            timed = [(c, _specific(find_times(c, ref_year))) for c in run.clauses]
            timed = [(c, ts) for c, ts in timed if ts]
            if not timed:
                # "X chịu trách nhiệm:" over its bullets is not a duty of its own.
                if not has_children:
                    description = _tcth_description(" ".join(run.clauses), None, False)
                    drafts.append(_Draft(section, description, quote, run.roles, None))
                continue
            for clause, mentions in timed:
                for mention in mentions:
                    description = _tcth_description(clause, mention, len(mentions) > 1)
                    drafts.append(_Draft(section, description, quote, run.roles, mention.time))
    return drafts


def _tcth_description(clause: str, mention: TimeMention | None, several: bool) -> str:
    """The sentence that states the deadline (it says what is due), else the first one; a
    long sentence gives way to its part (between semicolons) that holds the deadline."""
    sentences = _sentences(clause)
    text = sentences[0] if sentences else clause
    if mention is not None:
        words = mention.time.text
        holding = [s for s in sentences if words in s.replace("*", "")]
        if holding:
            text = holding[0]
            if len(text) > _DESCRIPTION_LIMIT:
                parts = [p for p in top_level_clauses(text) if words in p.replace("*", "")]
                text = parts[0] if parts else text
    text = _capitalised(_shorten(text))
    return f"{text} [{mention.time.text}]" if several and mention is not None else text


# --- entry point -----------------------------------------------------------------------------


def extract_tasks(doc: ParsedDocument) -> list[Task]:
    """Every assignment stated in a parsed plan, in reading order."""
    tree = _Tree(doc)
    ref_year = doc.meta.year
    special: dict[str, str] = {}  # section path → "tcth" | "agency" for whole subtrees
    roots: list[tuple[str, Section]] = []
    for section in tree.sections:
        if any(_within(section.path, p) for p in special):
            continue
        if tree.is_top(section) and _TCTH_TITLE.search(_folded_title(section)):
            special[section.path] = "tcth"
            roots.append(("tcth", section))
        elif _is_agency_chapter(section, tree):
            special[section.path] = "agency"
            roots.append(("agency", section))

    general = _GeneralReader(tree, ref_year)
    for section in tree.sections:
        if section.kind == "preamble" or any(_within(section.path, p) for p in special):
            continue
        general.read(section)

    drafts = list(general.drafts)
    for kind, root in roots:
        if kind == "tcth":
            drafts.extend(_read_tcth(root, tree, ref_year))
        else:
            drafts.extend(_read_agency_chapter(root, tree, ref_year))

    order = {s.path: s.order for s in doc.sections}
    drafts.sort(key=lambda d: order.get(d.section.path, 0))
    return _number(doc.meta.doc_id, drafts)


def _number(doc_id: str, drafts: list[_Draft]) -> list[Task]:
    counters: dict[str, int] = defaultdict(int)
    tasks: list[Task] = []
    for draft in drafts:
        if not draft.roles.any() and draft.time is None:
            continue
        path = draft.section.path
        counters[path] += 1
        tasks.append(
            Task(
                task_id=f"{doc_id}:{path}:{counters[path]}",
                doc_id=doc_id,
                section_path=path,
                description=draft.description,
                quote=draft.quote,
                lead=draft.roles.lead,
                cooperating=draft.roles.cooperating,
                executing=draft.roles.executing,
                directing=draft.roles.directing,
                time=draft.time,
            )
        )
    return tasks


__all__ = ["extract_tasks"]
