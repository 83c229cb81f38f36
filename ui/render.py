"""Pure helpers that turn API payloads into what the pages show (tested without Streamlit)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

NO_ANSWER_HINT = (
    "Hãy thử hỏi cụ thể hơn (tên kế hoạch, tỉnh, năm), bỏ bớt bộ lọc, "
    "hoặc xem danh sách văn bản ở trang «Văn bản»."
)
MARK_STYLE = "background-color:#fde68a;color:inherit;padding:0 .1em;border-radius:.2em"
_IMAGE_LINE = re.compile(r"^[ \t]*!\[[^\]]*\]\([^)]*\)[ \t]*$", re.MULTILINE)

__all__ = [
    "NO_ANSWER_HINT",
    "citation_location",
    "document_label",
    "find_quote",
    "flatten_sections",
    "format_time",
    "highlight",
    "normalised_time",
    "quote_html",
    "recurrence_text",
    "section_label",
    "strip_images",
]


def _loose_pattern(quote: str) -> re.Pattern[str] | None:
    words = [re.escape(w) for w in unicodedata.normalize("NFC", quote).split()]
    if not words:
        return None
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text`, ignoring case and whitespace (line wraps, double spaces)."""
    pattern = _loose_pattern(quote)
    match = pattern.search(unicodedata.normalize("NFC", text)) if pattern else None
    return match.span() if match else None


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def highlight(text: str, quote: str) -> str:
    """HTML of `text` with `quote` marked; the text is shown unmarked when the quote is absent."""
    text = unicodedata.normalize("NFC", text)
    span = find_quote(text, quote)
    if span is None:
        return _escape(text)
    start, end = span
    return (
        _escape(text[:start])
        + f'<mark class="planqa-quote" style="{MARK_STYLE}">{_escape(text[start:end])}</mark>'
        + _escape(text[end:])
    )


def quote_html(quote: str) -> str:
    """A citation's quote as a highlighted block for its card."""
    return (
        '<div class="planqa-card-quote" style="padding-left:.8em;border-left:3px solid #f59e0b;'
        'margin-bottom:.5em">' + highlight(quote, quote) + "</div>"
    )


def section_label(path: str, title: str) -> str:
    """ "Mục II.2.a — Title", or the preamble's own name."""
    if not path:
        return title or "(không rõ mục)"
    if path.endswith("preamble"):
        name = "Phần mở đầu"
    elif re.search(r"(^|\.)fn\d+$", path):
        name = f"Chú thích {path}"
    else:
        name = f"Mục {path}"
    return f"{name} — {title}" if title else name


def citation_location(citation: dict[str, Any]) -> tuple[str, str]:
    """(document title, section label) for a citation card."""
    document = citation.get("doc_title") or citation.get("doc_id") or ""
    return document, section_label(
        citation.get("section_path") or "", citation.get("section_title") or ""
    )


def document_label(document: dict[str, Any], width: int = 90) -> str:
    """A select-box label: number and title, cut to `width` characters."""
    number = document.get("number") or ""
    title = document.get("title") or document.get("doc_id") or ""
    label = f"{number} · {title}" if number else title
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def format_time(time: dict[str, Any] | None) -> str:
    """A task's time as written, with its normalised reading when there is one."""
    if not time:
        return ""
    written = time.get("text") or ""
    reading = normalised_time(time)
    if not reading or reading.lower() in written.lower():  # "Thường xuyên (thường xuyên)"
        return written
    return f"{written} ({reading})"


RECURRENCE_LABELS = {
    "yearly": "hằng năm",
    "half_yearly": "6 tháng một lần",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
    "weekly": "hằng tuần",
    "daily": "hằng ngày",
}


# The three readings `ingest.timeparse` writes in English, shown to officers in Vietnamese.
_DETAIL_PATTERNS = (
    (
        re.compile(r"^before day (\d+) of the quarter's last month$"),
        r"trước ngày \1 tháng cuối quý",
    ),
    (re.compile(r"^months (\d+)-(\d+)$"), r"từ tháng \1 đến tháng \2"),
    (re.compile(r"^before (\d+/\d+)$"), r"trước ngày \1"),
)


def recurrence_text(time: dict[str, Any]) -> str:
    """ "hằng quý, trước ngày 25 tháng cuối quý" from the recurrence fields."""
    kinds = [k for k in str(time.get("recurrence") or "").split(",") if k]
    parts = [RECURRENCE_LABELS.get(k, k) for k in kinds]
    detail = str(time.get("recurrence_detail") or "")
    for pattern, replacement in _DETAIL_PATTERNS:
        if pattern.match(detail):
            detail = pattern.sub(replacement, detail)
            break
    if detail:
        parts.append(detail)
    return ", ".join(parts)


def _vn_date(value: str | None) -> str:
    if not value:
        return ""
    year, month, day = str(value)[:10].split("-")
    return f"{day}/{month}/{year}"


def normalised_time(time: dict[str, Any] | None) -> str:
    """The machine reading of a task's time, in Vietnamese: "hạn 20/05/2026", "hằng quý"."""
    if not time:
        return ""
    start, due = _vn_date(time.get("start_date")), _vn_date(time.get("due_date"))
    parts = []
    if start and due:
        parts.append(f"từ {start} đến {due}")
    elif due:
        parts.append(f"hạn {due}")
    elif start:
        parts.append(f"từ {start}")
    if recurrence := recurrence_text(time):
        parts.append(recurrence)
    if not parts and time.get("kind") == "ongoing":
        parts.append("thường xuyên")
    return ", ".join(parts)


def flatten_sections(nodes: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[int, dict]]:
    """(depth, node) in reading order for the nested tree of GET /documents/{id}."""
    for node in nodes:
        yield depth, node
        yield from flatten_sections(node.get("children") or [], depth + 1)


def strip_images(markdown: str) -> str:
    """Report Markdown without its image lines (the page shows the PNGs itself)."""
    return _IMAGE_LINE.sub("", markdown)
