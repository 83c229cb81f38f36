"""Document-level cleanup of a plan's text layer, before any structure is read.

Plans arrive as markdown conversions (bold/italic marks, `#` used at random) or as PDF text
(lines hard-wrapped mid-sentence, page numbers, footnote bodies in the middle of a paragraph).
`clean_document` turns both into one paragraph per line, in the document's own spelling (NFC
only: tone marks are canonicalised for index text elsewhere, never here), and keeps footnote
bodies apart with the line that held their anchor so the structure parser can tie them to a
section. The line-shape patterns (headings, bullets, task label lines) live here once, because
joining wrapped lines needs them as much as the structure parser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.vntext import nfc

# --- line shapes shared with ingest.structure --------------------------------------------

#: "Phần I", "PHẦN II." → part.
PART = re.compile(r"^(?:Phần|PHẦN)\s+([IVXLC]+|\d{1,2})\b\s*[.:\-–]?\s*(.*)$")
#: "Chương II", "CHƯƠNG 3:" → chapter.
CHAPTER = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d{1,2})\b\s*[.:\-–]?\s*(.*)$")
#: "Điều 1. Ban hành ..." → article (needs the period or colon after the number).
ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*[.:]\s*(.*)$")
#: "II. NHIỆM VỤ" → roman heading.
ROMAN = re.compile(r"^([IVXL]{1,6})\.(?:\s+(.*))?$")
#: "1.1. Mục tiêu tổng quát", "2.4 Đẩy mạnh" → dotted number (extends its parent "1.").
DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?(?:\s+(.*))?$")
#: "1. Mục tiêu" (also a bare "1." whose text follows).
ARABIC = re.compile(r"^(\d{1,2})\.(?:\s+(.*))?$")
#: "a) Công tác ...", "đ. Hằng năm ..." → lettered item.
LETTER = re.compile(r"^([a-zđ])[).](?:\s+(.*))?$")
#: "- Tăng cường ...", "+ Tuyên truyền ..." → bullet (see `bullet_match`: a "-" before a
#: lower-case word is a wrapped "kinh tế - xã hội", not a bullet).
BULLET = re.compile(r"^([-+])\s+(\S.*)$")
#: Task label lines never start a section: "+ **Đơn vị chủ trì:** Công an tỉnh."
LABEL_LINE = re.compile(
    r"^(?:[-+]\s*)?(?:\*\*)?(Đơn vị chủ trì|Đơn vị phối hợp|Đơn vị thực hiện|Thời gian thực hiện"
    r"|Thời gian hoàn thành|Thời hạn hoàn thành|Cơ quan chỉ đạo|Cơ quan tham mưu, thực hiện"
    r"|Cơ quan tham mưu|Cơ quan chủ trì|Cơ quan phối hợp|Cơ quan thực hiện)\s*(?:\*\*)?\s*:"
)
#: "Nơi nhận:" opens the distribution list (metadata, never a section).
NOI_NHAN = re.compile(r"^Nơi nhận\s*:?")
#: The document-type line in capitals: "KẾ HOẠCH", "QUYẾT ĐỊNH" (the enacting "QUYẾT ĐỊNH:"
#: keeps its colon and is not one).
TYPE_LINE = re.compile(
    r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|CHỈ THỊ|NGHỊ QUYẾT|ĐỀ ÁN|HƯỚNG DẪN|THÔNG BÁO|BÁO CÁO)$"
)
#: "Số: 2224/QĐ-UBND", "Số: /KH-UBND" (a draft leaves the number blank).
NUMBER_LINE = re.compile(r"^Số\s*:")
#: "Đồng Tháp, ngày   tháng 5 năm 2026" (day and month may be blank in drafts).
PLACE_DATE = re.compile(
    r"(?:^|\s)(?P<place>[A-ZĐ][^\W\d_]*(?: [A-ZĐ][^\W\d_]*){0,4}),\s*"
    r"(?P<text>ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?\s*năm\s*(?P<year>\d{4}))"
)
#: National motto under the header: "Độc lập - Tự do - Hạnh phúc".
MOTTO = re.compile(r"^Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc")


def bullet_match(line: str) -> re.Match[str] | None:
    """The bullet match of a line, or None (also for a wrapped "- xã hội")."""
    match = BULLET.match(line)
    return match if match and not match.group(2)[0].islower() else None


def heading_marker(line: str) -> bool:
    """True when the line opens a numbered heading or a bullet (task label lines excluded)."""
    if LABEL_LINE.match(line):
        return False
    numbered = (PART, CHAPTER, ARTICLE, ROMAN, DOTTED, ARABIC, LETTER)
    return any(p.match(line) for p in numbered) or bullet_match(line) is not None


def is_caps_line(line: str) -> bool:
    """A line in capitals ("TM. ỦY BAN NHÂN DÂN", "I. MỤC TIÊU"): header, signature, heading."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


# --- markdown and HTML marks ----------------------------------------------------------------

#: "## **II. NHIỆM VỤ**" → the leading hashes.
_MD_HEADING = re.compile(r"^#{1,6}\s*")
#: "-----" / "***" alone on a line: a horizontal rule, kept as a hard paragraph break.
_MD_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
#: "~~2224~~" → "2224" (struck text keeps its content).
_MD_STRIKE = re.compile(r"~~(.*?)~~")
#: "**bold**", "***both***": the marks alone, paired or not (bold may span lines).
_MD_BOLD = re.compile(r"\*{2,3}")
#: "*italic*" / "(*x*)": a single asterisk touching a word on one side; "(*)" is kept.
_MD_ITALIC = re.compile(r"(?<!\()\*|\*(?!\))")
#: Markdown escapes from converters: "1\." → "1.".
_MD_ESCAPE = re.compile(r"\\([\\.\-*_#+()\[\]!])")
#: Harmless inline HTML from converters: "<br>", "<u>", "<span ...>".
_HTML_TAG = re.compile(r"</?(?:b|i|u|em|strong|br|span|p|div)\b[^>]*>", re.IGNORECASE)
#: A line wrapped in bold as a whole: "**KẾ HOẠCH**" (a heading or title, not running text).
_BOLD_WHOLE = re.compile(r"^\*\*(?:(?!\*\*).)+\*\*$")
#: A bold label followed by running text: "**Điều 1.** Ban hành ...", "**2. Sở Tài chính:** ...".
_BOLD_PREFIX = re.compile(r"^\*\*[^*]+\*\*\s*\S")

# --- footnotes, page numbers, stray characters --------------------------------------------

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
#: Footnote anchors in running text: "<sup>1</sup>", "⁽¹⁾".
FOOTNOTE_ANCHOR = re.compile(r"<sup>\s*(\d{1,2})\s*</sup>|⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})⁾")
#: A footnote body on its own line: "<sup>1</sup> (1) Phương thức ...", "⁽¹⁾ Nghị quyết ...".
FOOTNOTE_BODY = re.compile(r"^(?:<sup>\s*(\d{1,2})\s*</sup>|⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})⁾)\s*(\S.*)$")
#: PDF text without superscripts: body "1 Nghị quyết Đại hội ..." (digit, space, capital) ...
PLAIN_FOOTNOTE_BODY = re.compile(r"^(\d{1,2})\s+([A-ZĐÂĂÊÔƠƯ].*)$")
#: ... and its anchor glued to the end of a word or quote: "kỷ cương”1 và".
PLAIN_FOOTNOTE_ANCHOR = r"(?<=[”\"’)\w])(?<!\d){n}(?=[\s.,;:)]|$)"
#: A page number alone on a line: "12", "- 12 -", "Trang 12".
PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(?:Trang\s+)?(\d{1,3})(?:\s*[-–])?$")
#: Junk glued before "Nơi nhận" by PDF extraction: "ơNơi nhận:" → "Nơi nhận:".
STRAY_BEFORE_NOI_NHAN = re.compile(r"^[^\s]{1,3}?(?=Nơi nhận\b)")
#: "2224 /QĐ-UBND" (after strike marks are removed) → "2224/QĐ-UBND".
SPACED_CODE_SLASH = re.compile(r"(?<=\d) +(?=/[A-ZĐ])")
#: A document code split at a line end: "13-" + "KL/TW ..." → "13-KL/TW ...".
CODE_HEAD_AT_END = re.compile(r"\d[-/]$")
CODE_TAIL_AT_START = re.compile(r"^[A-ZĐ]{1,6}[-/]")
#: The tail of a year range wrapped onto its own line: "- 2025." after "giai đoạn 2021".
YEAR_RANGE_TAIL = re.compile(r"^[-–]\s*(?:19|20)\d{2}\b(?!\s*[-–/]\s*\d)")
#: Sentence openers of a plan's first paragraph: they end the title block above them.
SENTENCE_OPENER = re.compile(r"^(?:Thực hiện|Căn cứ|Theo đề nghị|Xét đề nghị|Nhằm|Để)\s")
#: A line opening with a document code: "12-NQ/TW ngày ...", "01/2017/TTLT-BCA ...".
CODE_START = re.compile(r"^\d{1,4}(?:/\d{4})?[-/][A-ZĐ]{1,10}\b")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")

# --- wrap joining ---------------------------------------------------------------------------

#: Endings that close a paragraph: ".", ";", ":", "!", "?", "…" (and "./." at the very end).
_SENTENCE_END = re.compile(r"(?:[.;:!?…]|\.\.\.)[”\"’)]*$")
#: Endings that promise more: "giám định tư pháp,", "kinh tế -", "(qua".
_OPEN_END = re.compile(r"(?:[,(/\-–]|\bvà|\bhoặc|\bcủa)$")
#: PDF text wraps at about 75-80 characters: a line this long followed by another line without
#: a blank between is a wrap, not the end of a paragraph.
_PDF_WRAP_WIDTH = 60
_ANCHOR_MARK = "\ue000{n}\ue001"
_ANCHOR_SENTINEL = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    anchor_line: int | None  # index into CleanedText.text.split("\n"), None if no anchor


@dataclass(frozen=True)
class CleanedText:
    text: str  # one paragraph per line, blank lines between paragraphs kept
    footnotes: tuple[Footnote, ...] = ()


@dataclass
class _Para:
    lines: list[str]
    heading_like: bool  # a heading or title: an upper-case line after it starts a new paragraph
    blank_before: bool
    title: bool = False  # the title block under the type line ("KẾ HOẠCH")

    @property
    def last(self) -> str:
        return _ANCHOR_SENTINEL.sub("", self.lines[-1])


def strip_markdown(line: str) -> str:
    """Remove markdown marks from one line, keeping its words: "## **II. X**" → "II. X"."""
    line = _MD_HEADING.sub("", line)
    line = _MD_STRIKE.sub(r"\1", line)
    line = _MD_BOLD.sub("", line)
    line = _MD_ITALIC.sub("", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    line = SPACED_CODE_SLASH.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _footnote_number(match: re.Match[str]) -> int:
    digits = match.group(1) or match.group(2).translate(_SUPERSCRIPT_DIGITS)
    return int(digits)


def _split_footnotes(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """Take footnote bodies out of the line list and turn their anchors into sentinels."""
    bodies: dict[int, str] = {}
    kept: list[str] = []
    body: list[str] | None = None  # the open footnote body: PDF text wraps it over lines
    for line in lines:
        match = FOOTNOTE_BODY.match(line.strip())
        if match:
            body = [strip_markdown(match.group(3))]
            bodies[_footnote_number(match)] = body[0]
        elif body is not None and _continues_footnote(line):
            body.append(strip_markdown(line))
            bodies[max(bodies)] = _join(_Para(body, False, False))
        else:
            body = None
            kept.append(line)
    kept = [
        FOOTNOTE_ANCHOR.sub(lambda m: _ANCHOR_MARK.format(n=_footnote_number(m)), line)
        for line in kept
    ]
    return _split_plain_footnotes(kept, bodies)


def _continues_footnote(line: str) -> bool:
    """A wrapped footnote body goes on until a blank line, a page number or a new block."""
    text = strip_markdown(line.strip())
    return bool(text) and not PAGE_NUMBER.match(text) and not _starts_structure(text)


def _split_plain_footnotes(
    lines: list[str], bodies: dict[int, str]
) -> tuple[list[str], dict[int, str]]:
    """PDF text loses superscripts: "”1" + a later line "1 Nghị quyết ...". Accept such a pair
    only when both the glued anchor and the body exist, numbered from 1 without gaps."""
    candidates = {}
    for i, line in enumerate(lines):
        match = PLAIN_FOOTNOTE_BODY.match(line.strip())
        if match and int(match.group(1)) not in bodies:
            candidates.setdefault(int(match.group(1)), (i, match.group(2)))
    n = 1
    drop: set[int] = set()
    while n in candidates:
        anchor = re.compile(PLAIN_FOOTNOTE_ANCHOR.format(n=n))
        body_index, body = candidates[n]
        hit = next(
            (i for i, line in enumerate(lines) if i != body_index and anchor.search(line)), None
        )
        if hit is None:
            break
        lines[hit] = anchor.sub(_ANCHOR_MARK.format(n=n), lines[hit], count=1)
        bodies[n] = strip_markdown(body)
        drop.add(body_index)
        n += 1
    return [line for i, line in enumerate(lines) if i not in drop], bodies


def extract_footnotes(text: str) -> tuple[str, dict[int, str]]:
    """Text without footnote bodies and anchors, plus the bodies by number."""
    lines, bodies = _split_footnotes(text.split("\n"))
    return "\n".join(_ANCHOR_SENTINEL.sub("", line) for line in lines), bodies


def _is_header_line(line: str) -> bool:
    return bool(
        NUMBER_LINE.match(line)
        or MOTTO.match(line)
        or NOI_NHAN.match(line)
        or PLACE_DATE.match(line)
        or is_caps_line(line)
    )


def _starts_structure(line: str) -> bool:
    return bool(
        heading_marker(line) or LABEL_LINE.match(line) or NOI_NHAN.match(line) or MOTTO.match(line)
    )


def _should_join(para: _Para, line: str, blanks: int, page_break: bool = False) -> bool:
    """Whether `line` continues the paragraph (a hard wrap) rather than starting a new one.
    A page break joins running text but ends a heading (its body starts the next page)."""
    last, first = para.last, para.lines[0]
    if YEAR_RANGE_TAIL.match(line) and re.search(r"\d$", last):
        return True  # "giai đoạn 2021" + "- 2025.": a wrapped year range, not a bullet
    if _starts_structure(line) or (_is_header_line(first) and not ROMAN.match(first)):
        return False
    if is_caps_line(line):
        return bool(ROMAN.match(first) and is_caps_line(first) and blanks == 0)
    if CODE_HEAD_AT_END.search(last) and CODE_TAIL_AT_START.match(line):
        return True
    if last.endswith("./."):
        return False
    if line[0].islower():
        return True
    if para.heading_like and page_break and not CODE_START.match(line):
        return bool(_OPEN_END.search(last))
    if para.title and SENTENCE_OPENER.match(line):
        return False  # the title ends where the text starts: "Thực hiện Kế hoạch số ..."
    if blanks == 0 and len(last) >= _PDF_WRAP_WIDTH:
        return True  # a full-width PDF line: the paragraph goes on even after a full stop
    if _SENTENCE_END.search(last) or (last.startswith("(") and last.endswith(")")):
        return False
    if _OPEN_END.search(last) or last.count("(") > last.count(")") or line[0] in "),;":
        return True
    if CODE_START.match(line):
        return True  # "Nghị quyết số" + "12-NQ/TW ngày ...": a document code never opens a block
    if para.title:
        return blanks == 0 and not page_break
    if para.heading_like:
        # A numbered heading's last line stops short of the width; a capitalised line after
        # it opens its body (a wrapped heading goes on in lower case, or after "của", ",").
        return not line[0].isupper() and blanks == 0 and not page_break
    return True


def _is_heading_like(raw: str, text: str, after_type_line: bool) -> bool:
    if after_type_line or _MD_HEADING.match(raw):
        return True
    body = _MD_HEADING.sub("", raw)
    if _BOLD_WHOLE.match(body):
        return True
    return heading_marker(text) and not BULLET.match(text) and not _BOLD_PREFIX.match(body)


def _join(para: _Para) -> str:
    out = para.lines[0]
    for line in para.lines[1:]:
        glued = CODE_HEAD_AT_END.search(_ANCHOR_SENTINEL.sub("", out)) and (
            CODE_TAIL_AT_START.match(line)
        )
        out = out + line if glued else f"{out} {line}"
    return out


def clean_document(raw: str) -> CleanedText:
    """NFC, markdown and page numbers removed, wrapped lines joined, footnotes set apart."""
    text = _INVISIBLE.sub("", nfc(raw)).replace("\r\n", "\n").replace("\r", "\n")
    lines, bodies = _split_footnotes(text.split("\n"))
    paras: list[_Para] = []
    blanks, hard, page_break = 0, True, False
    after_type_line = False
    for raw_line in lines:
        raw_line = _SPACES.sub(" ", raw_line).strip()
        if PAGE_NUMBER.match(raw_line):
            page_break = True  # not a blank: running text goes on across the page break
            continue
        if not raw_line:
            blanks += 1
            continue
        if _MD_RULE.match(raw_line):
            hard = True
            continue
        line = STRAY_BEFORE_NOI_NHAN.sub("", strip_markdown(raw_line))
        if not line:
            blanks += 1
            continue
        if paras and not hard and _should_join(paras[-1], line, blanks, page_break):
            paras[-1].lines.append(line)
        else:
            heading_like = _is_heading_like(raw_line, line, after_type_line)
            paras.append(_Para([line], heading_like, blanks > 0 or hard, after_type_line))
            after_type_line = bool(TYPE_LINE.match(line))
        blanks, hard, page_break = 0, False, False
    out: list[str] = []
    for para in paras:
        if para.blank_before and out:
            out.append("")
        out.append(_join(para))
    return _collect_anchors(out, bodies)


def _collect_anchors(lines: list[str], bodies: dict[int, str]) -> CleanedText:
    anchors: dict[int, int] = {}
    for i, line in enumerate(lines):
        for match in _ANCHOR_SENTINEL.finditer(line):
            anchors.setdefault(int(match.group(1)), i)
        lines[i] = _SPACES.sub(" ", _ANCHOR_SENTINEL.sub("", line)).strip()
    footnotes = tuple(Footnote(n, bodies[n], anchors.get(n)) for n in sorted(bodies))
    return CleanedText("\n".join(lines), footnotes)


def clean_text(raw: str) -> str:
    """The cleaned running text (footnote bodies and anchors removed)."""
    return clean_document(raw).text


__all__ = [
    "CleanedText",
    "Footnote",
    "clean_document",
    "clean_text",
    "extract_footnotes",
    "bullet_match",
    "heading_marker",
    "is_caps_line",
    "strip_markdown",
]
