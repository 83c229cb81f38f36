"""Bytes → text for .txt/.md/.docx/.pdf, refusing files that cannot be read as a plan.

The format is decided by the content (magic bytes), never by the extension alone: uploads are
untrusted, and a renamed file must not reach the wrong parser. Every refusal is a BadDocument
whose Vietnamese message names the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import BadDocument

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "LoadedText",
    "load_bytes",
    "load_text",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
_TEXT_FORMATS = {".txt": "txt", ".md": "md"}

# Zip-bomb guards for DOCX, checked on the declared member sizes before anything is inflated
# (zipfile never inflates a member beyond its declared size, so the declared size bounds it).
_MAX_ZIP_MEMBERS = 5_000
_MAX_ZIP_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024
_MAX_ZIP_RATIO = 100  # Word XML compresses 5-30x; a member inflating 100x and more is a bomb
_ZIP_RATIO_MIN_SIZE = 1024 * 1024  # tiny members may compress extremely well; ignore them

# charset-normalizer results are accepted only when the decoding looks clean.
_MAX_CHAOS = 0.05
# Share of control characters (besides \t \n \r \f) above which text is treated as binary.
_MAX_CONTROL_RATIO = 0.01

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class LoadedText:
    text: str
    source_format: str  # txt, md, docx, pdf


def _refuse(filename: str, reason: str, detail: str = "") -> BadDocument:
    return BadDocument(f"Không đọc được tệp '{filename}': {reason}.", detail or reason)


def load_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Read a corpus or uploaded file from disk; see `load_bytes` for what is refused."""
    path = Path(path)
    _check_extension(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path.name, "không mở được tệp", str(exc)) from exc
    if size > max_bytes:
        raise _refuse(path.name, f"tệp quá lớn (giới hạn {max_bytes // (1024 * 1024)} MB)")
    return load_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)


def load_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Decode one file's bytes. The extension must be supported; the content picks the parser."""
    extension = _check_extension(filename)
    if len(data) > max_bytes:
        raise _refuse(filename, f"tệp quá lớn (giới hạn {max_bytes // (1024 * 1024)} MB)")
    if not data.strip():
        raise _refuse(filename, "tệp rỗng")
    if data.startswith(b"%PDF-"):
        return LoadedText(_pdf_text(data, filename), "pdf")
    if data.startswith(b"PK\x03\x04"):
        return LoadedText(_docx_text(data, filename), "docx")
    if extension == ".pdf":
        raise _refuse(filename, "nội dung không phải là tệp PDF")
    if extension == ".docx":
        raise _refuse(filename, "nội dung không phải là tệp Word (.docx)")
    return LoadedText(_plain_text(data, filename), _TEXT_FORMATS[extension])


def _check_extension(filename: str) -> str:
    extension = Path(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        allowed = ", ".join(SUPPORTED_EXTENSIONS)
        raise _refuse(filename, f"định dạng không được hỗ trợ (chỉ nhận {allowed})")
    return extension


def _finish(text: str, filename: str) -> str:
    """Shared last step: one newline convention, NFC, and a refusal when nothing is left."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise _refuse(filename, "tệp không có nội dung văn bản")
    return text


# --- plain text -------------------------------------------------------------------------------


def _plain_text(data: bytes, filename: str) -> str:
    text = _decode(data, filename)
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if "\x00" in text or controls > _MAX_CONTROL_RATIO * len(text):
        raise _refuse(filename, "tệp chứa dữ liệu nhị phân, không phải văn bản")
    return _finish(text, filename)


def _decode(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM) and BOM-marked UTF-16 first; other encodings only when a
    detector is confident, since a wrong guess would index mojibake."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", filename)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", filename)
    if b"\x00" in data:
        raise _refuse(filename, "tệp chứa dữ liệu nhị phân, không phải văn bản")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise _refuse(
            filename,
            "không nhận ra bảng mã ký tự; hãy lưu tệp với bảng mã UTF-8",
            f"charset detection not confident: {best and (best.encoding, best.chaos)}",
        )
    return str(best)


def _strict(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _refuse(filename, f"nội dung không hợp lệ theo bảng mã {encoding}", str(exc)) from exc


# --- PDF --------------------------------------------------------------------------------------


def _pdf_text(data: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        # strict: a truncated or damaged file is refused instead of half-read.
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(filename, "tệp PDF được bảo vệ bằng mật khẩu")
        text = _pdf_layout_text(reader)
    except BadDocument:
        raise
    except FileNotDecryptedError as exc:
        raise _refuse(filename, "tệp PDF được bảo vệ bằng mật khẩu", str(exc)) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        # pypdf signals damaged structure with several exception types; all mean "corrupt".
        raise _refuse(filename, "tệp PDF bị hỏng hoặc không đầy đủ", repr(exc)) from exc
    except NotImplementedError as exc:  # e.g. an encryption algorithm pypdf cannot handle
        raise _refuse(filename, "tệp PDF được mã hóa theo cách không hỗ trợ", repr(exc)) from exc
    if not any(ch.isalnum() for ch in text):
        raise _refuse(filename, "tệp PDF không có lớp văn bản (có thể là bản quét)")
    return _finish(text, filename)


# Layout signals in a PDF text layer: a digit run set this much smaller than the line's text is
# a superscript footnote marker; a vertical step this many line heights is a paragraph gap; a
# line this much smaller than the document's body text, below all body text, is a footnote.
_SUP_SIZE_RATIO = 0.85
_PARAGRAPH_GAP = 1.5
_FOOTNOTE_SIZE_RATIO = 0.9
_PAGE_FOOT = re.compile(r"^(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*[-–])?$")
_NOTE_MARK = re.compile(r"^(?:<sup>(\d{1,2})</sup>|(\d{1,2})(?=\s))\s*(\S.*)$")


@dataclass
class _PdfLine:
    y: float
    size: float  # the line's largest font size: its body text, never a superscript
    parts: list[tuple[str, float]]  # (text, font size) in reading order

    def text(self) -> str:
        out = []
        for text, size in self.parts:
            if size < _SUP_SIZE_RATIO * self.size and text.strip().isdigit():
                text = f"<sup>{text.strip()}</sup>"
            out.append(text)
        return "".join(out).strip()


def _pdf_page_lines(page) -> list[_PdfLine]:  # noqa: ANN001 - a pypdf PageObject
    """The page's text runs grouped into lines by baseline, in content-stream order."""
    lines: list[_PdfLine] = []

    def visit(text: str, cm, tm, font, size: float) -> None:  # noqa: ANN001
        if not text.strip():
            return
        y = tm[5] * cm[3] + cm[5]
        size = abs(size * (tm[3] or 1.0) * (cm[3] or 1.0))
        text = text.replace("\n", " ")
        if lines and abs(lines[-1].y - y) < 0.5 * max(lines[-1].size, size):
            lines[-1].parts.append((text, size))
            lines[-1].size = max(lines[-1].size, size)
        else:
            lines.append(_PdfLine(y, size, [(text, size)]))

    page.extract_text(visitor_text=visit)
    return lines


def _body_size(pages: list[list[_PdfLine]]) -> float:
    """The font size carrying most characters: the document's running text."""
    weight: dict[float, int] = {}
    for line in (line for lines in pages for line in lines):
        for text, size in line.parts:
            weight[round(size, 1)] = weight.get(round(size, 1), 0) + len(text.strip())
    return max(weight, key=weight.__getitem__) if weight else 0.0


def _split_page_foot(lines: list[_PdfLine], body: float) -> tuple[list[_PdfLine], list[str]]:
    """Footnote bodies at the page foot (small type below the last body line, opening with
    their number) come out as `<sup>n</sup> text` lines; the page keeps the rest."""
    small = [line.size < _FOOTNOTE_SIZE_RATIO * body for line in lines]
    pairs = list(zip(lines, small, strict=True))
    lowest_body = min((ln.y for ln, s in pairs if not s), default=float("inf"))
    notes: list[str] = []
    kept: list[_PdfLine] = []
    for line, is_small in pairs:
        text = line.text()
        if not is_small or line.y > lowest_body or _PAGE_FOOT.match(text):
            kept.append(line)
            continue
        mark = _NOTE_MARK.match(text)
        if mark:
            notes.append(f"<sup>{mark.group(1) or mark.group(2)}</sup> {mark.group(3)}")
        elif notes:
            notes[-1] += f" {text}"
        else:
            kept.append(line)
    return kept, notes


def _page_text(lines: list[_PdfLine]) -> str:
    """Lines of one page, with a blank line where the vertical step shows a paragraph gap."""
    steps = sorted(
        round(a.y - b.y, 1)
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 < a.y - b.y < 3 * a.size
    )
    leading = steps[len(steps) // 4] if steps else 0.0  # a typical in-paragraph line step
    out: list[str] = []
    for previous, line in zip([None, *lines], lines, strict=False):
        text = line.text()
        gap = previous is not None and previous.y - line.y > _PARAGRAPH_GAP * leading
        # A page number sits far below the last line; that gap is the page foot, not a paragraph.
        if gap and leading and not _PAGE_FOOT.match(text):
            out.append("")
        out.append(text)
    return "\n".join(out)


def _pdf_layout_text(reader) -> str:  # noqa: ANN001 - a pypdf PdfReader
    """The text layer read with its layout: superscript markers as `<sup>n</sup>` (as in the
    markdown corpus), paragraph gaps as blank lines, and page-foot footnotes moved to the end
    (like DOCX footnotes) so that a paragraph running across a page break stays whole."""
    pages = [_pdf_page_lines(page) for page in reader.pages]
    body = _body_size(pages)
    texts: list[str] = []
    notes: list[str] = []
    for lines in pages:
        kept, page_notes = _split_page_foot(lines, body)
        texts.append(_page_text(kept))
        notes.extend(page_notes)
    return "\n".join(texts + [f"\n{note}\n" for note in notes])


# --- DOCX -------------------------------------------------------------------------------------


def _docx_text(data: bytes, filename: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(filename, "tệp Word (.docx) bị hỏng", repr(exc)) from exc
    _check_zip_members(members, filename)
    if "word/document.xml" not in archive.namelist():
        raise _refuse(filename, "nội dung không phải là tệp Word (.docx)")

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body))
        lines.extend(_footnote_lines(document))
    except (
        PackageNotFoundError,
        XMLSyntaxError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
    ) as exc:
        raise _refuse(filename, "tệp Word (.docx) bị hỏng", repr(exc)) from exc
    # A DOCX knows its paragraph boundaries: keep them as blank lines (as in the markdown
    # corpus) so that only line breaks inside a paragraph look like wraps to normalisation.
    return _finish("\n\n".join(line for line in lines if line.strip()), filename)


def _check_zip_members(members: list[zipfile.ZipInfo], filename: str) -> None:
    bomb = _refuse(filename, "tệp nén bất thường (nghi là 'zip bomb'), từ chối giải nén")
    if len(members) > _MAX_ZIP_MEMBERS:
        raise bomb
    total = 0
    for info in members:
        total += info.file_size
        if total > _MAX_ZIP_TOTAL_UNCOMPRESSED:
            raise bomb
        if info.file_size > _ZIP_RATIO_MIN_SIZE and (
            info.file_size > _MAX_ZIP_RATIO * max(info.compress_size, 1)
        ):
            raise bomb


def _block_lines(container):  # noqa: ANN001,ANN202 - lxml element in, lines out
    """Paragraphs and tables in reading order (tables stay where they are in the body)."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(child)
        elif child.tag == f"{_W}sdt":  # content control wrapping ordinary blocks
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(content)


def _table_lines(table):  # noqa: ANN001,ANN202
    """One line per row, cells joined by " | "; a one-column row keeps its paragraphs as lines."""
    for row in table.iterchildren(f"{_W}tr"):
        cells = [_cell_paragraphs(cell) for cell in row.iterchildren(f"{_W}tc")]
        cells = [cell for cell in cells if any(line.strip() for line in cell)]
        if not cells:
            continue
        if len(cells) == 1:
            yield from cells[0]
        else:
            yield " | ".join(
                " ".join(line.strip() for line in cell if line.strip()) for cell in cells
            )


def _cell_paragraphs(cell) -> list[str]:  # noqa: ANN001
    lines: list[str] = []
    for child in cell.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            lines.extend(_table_lines(child))
    return lines


def _paragraph_text(paragraph) -> str:  # noqa: ANN001
    """Run text with tabs and breaks; superscript digits and footnote references become
    `<sup>n</sup>` so footnote markers are handled exactly as in the markdown corpus."""
    parts: list[str] = []
    for run in paragraph.iter(f"{_W}r"):
        props = run.find(f"{_W}rPr")
        vert = props.find(f"{_W}vertAlign") if props is not None else None
        superscript = vert is not None and vert.get(f"{_W}val") == "superscript"
        for node in run.iterchildren():
            if node.tag == f"{_W}t":
                text = node.text or ""
                if superscript and text.strip().isdigit():
                    text = f"<sup>{text.strip()}</sup>"
                parts.append(text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif node.tag == f"{_W}footnoteReference":
                parts.append(f"<sup>{node.get(f'{_W}id')}</sup>")
    return "".join(parts)


def _footnote_lines(document) -> list[str]:  # noqa: ANN001
    """Word footnotes (word/footnotes.xml) as `<sup>n</sup> text` lines after the body."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/footnotes.xml":
            root = etree.fromstring(part.blob)
            break
    else:
        return []
    lines = []
    for note in root.iterchildren(f"{_W}footnote"):
        note_id = note.get(f"{_W}id")
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(_paragraph_text(p) for p in note.iter(f"{_W}p"))
        # The note's own reference mark renders as <sup>id</sup> already; keep one.
        text = text.replace(f"<sup>{note_id}</sup>", "", 1).strip()
        if text:
            lines.append(f"<sup>{note_id}</sup> {text}")
    return lines
