"""ingest.load on small files made in tmp_path: encodings, formats, and every refusal."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.errors import BadDocument
from ingest.load import LoadedText, load_bytes, load_text

VIET = "Kế hoạch số 2224/QĐ-UBND: Ủy ban nhân dân tỉnh Đồng Tháp chủ trì, phối hợp thực hiện."
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters precomposed (ê, ơ, đ) and tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def _pdf_bytes(text: str = "Ke hoach so 12/KH-UBND ngay 20/5/2026") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.write(6, text)
    return bytes(pdf.output())


def _docx_bytes(build) -> bytes:  # noqa: ANN001 - build(document) adds content
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _refused(data: bytes, filename: str, *words: str) -> BadDocument:
    with pytest.raises(BadDocument) as caught:
        load_bytes(data, filename)
    assert f"'{filename}'" in caught.value.message
    assert caught.value.message.startswith("Không đọc được tệp")
    for word in words:
        assert word in caught.value.message
    assert caught.value.status_code == 422
    return caught.value


# --- text files ------------------------------------------------------------------------------


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    plain = tmp_path / "a.txt"
    plain.write_bytes(VIET.encode("utf-8"))
    bom = tmp_path / "b.md"
    bom.write_bytes(b"\xef\xbb\xbf" + VIET.encode("utf-8"))
    assert load_text(plain) == LoadedText(VIET, "txt")
    assert load_text(bom) == LoadedText(VIET, "md")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeff".encode(encoding) + VIET.encode(encoding))
    assert load_text(path).text == VIET


def test_utf16_without_bom_is_binary() -> None:
    _refused(VIET.encode("utf-16-le"), "u16.txt", "nhị phân")


def test_decomposed_text_comes_out_nfc_with_unix_newlines() -> None:
    data = unicodedata.normalize("NFD", f"{VIET}\r\nDòng hai\r").encode("utf-8")
    loaded = load_bytes(data, "nfd.txt")
    assert loaded.text == f"{VIET}\nDòng hai\n"
    assert unicodedata.is_normalized("NFC", loaded.text)


def test_cp1258_detected_when_confident() -> None:
    text = Path(__file__).resolve().parents[1] / "data/corpus/000_c6e6a45670724e7f.txt"
    sample = text.read_text(encoding="utf-8")[:3000]
    loaded = load_bytes(_cp1258(sample), "cu.txt")
    assert loaded.text == unicodedata.normalize("NFC", sample)


def test_undecodable_high_bytes_refused() -> None:
    junk = bytes(range(0x80, 0x100)) * 20  # not UTF-8, no encoding reads it cleanly
    error = _refused(junk, "rac.txt", "bảng mã")
    assert "UTF-8" in error.message


def test_empty_and_blank_refused() -> None:
    _refused(b"", "rong.txt", "rỗng")
    _refused(b"  \n\t\r\n", "trang.md", "rỗng")


def test_binary_refused() -> None:
    _refused(b"\x7fELF\x02\x01\x01\x00" + bytes(200), "chuongtrinh.txt", "nhị phân")
    controls = ("văn bản " * 20 + "\x01\x02\x03\x04\x05\x06\x07\x08" * 5).encode()
    _refused(controls, "dieukhien.txt", "nhị phân")


def test_size_limit(tmp_path: Path) -> None:
    data = VIET.encode() * 100
    with pytest.raises(BadDocument, match="quá lớn"):
        load_bytes(data, "lon.txt", max_bytes=1000)
    path = tmp_path / "lon.txt"
    path.write_bytes(data)
    with pytest.raises(BadDocument, match="quá lớn"):
        load_text(path, max_bytes=1000)
    assert load_bytes(data, "lon.txt", max_bytes=len(data)).text == VIET * 100


def test_unknown_extension_refused() -> None:
    error = _refused(VIET.encode(), "kehoach.xlsx", "không được hỗ trợ")
    assert ".docx" in error.message
    _refused(VIET.encode(), "khongduoi", "không được hỗ trợ")


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_text_layer() -> None:
    loaded = load_bytes(_pdf_bytes(), "kh.pdf")
    assert loaded == LoadedText("Ke hoach so 12/KH-UBND ngay 20/5/2026", "pdf")


def test_pdf_without_text_layer_refused() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # what a scan looks like to a text extractor
    _refused(bytes(pdf.output()), "banquet.pdf", "lớp văn bản")


def test_truncated_and_corrupt_pdf_refused() -> None:
    data = _pdf_bytes()
    _refused(data[: len(data) // 2], "cut.pdf", "hỏng")
    _refused(b"%PDF-1.7\n" + bytes(range(32, 127)) * 10, "rac.pdf", "hỏng")


def _encrypted(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_refused() -> None:
    error = _refused(_encrypted(_pdf_bytes(), "mat-khau"), "x.pdf")
    assert error.message == "Không đọc được tệp 'x.pdf': tệp PDF được bảo vệ bằng mật khẩu."


def test_pdf_with_owner_password_only_is_readable() -> None:
    # Permissions-only encryption: anyone can open and read it, so we can too.
    assert load_bytes(_encrypted(_pdf_bytes(), ""), "mo.pdf").text.startswith("Ke hoach")


# --- DOCX ------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_reading_order() -> None:
    def build(document) -> None:  # noqa: ANN001
        document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Nhiệm vụ"
        table.cell(0, 1).text = "Đơn vị chủ trì"
        table.cell(1, 0).text = "Tuyên truyền"
        table.cell(1, 1).text = "Công an tỉnh"
        paragraph = document.add_paragraph("II. NHIỆM VỤ")
        paragraph.add_run("").add_break()
        paragraph.add_run("dòng hai")
        marked = document.add_paragraph("tội phạm")
        marked.add_run("1").font.superscript = True
        marked.add_run(" để có giải pháp")

    loaded = load_bytes(_docx_bytes(build), "kh.docx")
    assert loaded.source_format == "docx"
    assert loaded.text == (
        "I. MỤC ĐÍCH, YÊU CẦU\n\n"
        "Nhiệm vụ | Đơn vị chủ trì\n\n"
        "Tuyên truyền | Công an tỉnh\n\n"
        "II. NHIỆM VỤ\ndòng hai\n\n"
        "tội phạm<sup>1</sup> để có giải pháp"
    )


def test_docx_single_column_table_keeps_paragraphs_and_merged_cells_once() -> None:
    def build(document) -> None:  # noqa: ANN001
        document.add_paragraph("trước")
        table = document.add_table(rows=1, cols=1)
        cell = table.cell(0, 0)
        cell.text = "+ Đơn vị chủ trì: Công an tỉnh."
        cell.add_paragraph("+ Thời gian thực hiện: Thường xuyên.")
        wide = document.add_table(rows=1, cols=3)
        wide.cell(0, 0).merge(wide.cell(0, 2)).text = "gộp ba ô"
        document.add_paragraph("sau")

    assert load_bytes(_docx_bytes(build), "t.docx").text == (
        "trước\n\n+ Đơn vị chủ trì: Công an tỉnh.\n\n+ Thời gian thực hiện: Thường xuyên."
        "\n\ngộp ba ô\n\nsau"
    )


def test_broken_docx_refused() -> None:
    data = _docx_bytes(lambda document: document.add_paragraph(VIET))
    _refused(data[: len(data) // 2], "cut.docx", "hỏng")

    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]  # XML cut mid-element
            target.writestr(item, content)
    _refused(damaged.getvalue(), "xml.docx", "hỏng")


def test_zip_without_word_document_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _refused(buffer.getvalue(), "bang.docx", "không phải là tệp Word")


def test_zip_bomb_docx_refused_before_inflating() -> None:
    data = _docx_bytes(lambda document: document.add_paragraph(VIET))
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename), zipfile.ZIP_DEFLATED)
        # 8 MB of zeros deflate to ~8 kB: a 1000x ratio, far beyond any Word document.
        target.writestr("word/media/bomb.bin", bytes(8 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    packed = bomb.getvalue()
    assert len(packed) < 100_000
    _refused(packed, "bom.docx", "zip bomb")


# --- content decides, not the extension ---------------------------------------------------------


def test_content_decides_format_not_extension(tmp_path: Path) -> None:
    pdf_named_txt = tmp_path / "that_ra_la_pdf.txt"
    pdf_named_txt.write_bytes(_pdf_bytes())
    assert load_text(pdf_named_txt).source_format == "pdf"

    docx = _docx_bytes(lambda document: document.add_paragraph(VIET))
    assert load_bytes(docx, "doi_ten.pdf") == LoadedText(VIET, "docx")


def test_claimed_binary_format_without_its_content_refused() -> None:
    _refused(VIET.encode(), "gia.pdf", "không phải là tệp PDF")
    _refused(VIET.encode(), "gia.docx", "không phải là tệp Word")


def _layout_pdf(fonts: dict[str, Path]) -> bytes:
    """Two A4 pages laid out as an office PDF: 12 pt running text with a superscript footnote
    marker, a 9 pt footnote at the first page's foot, page numbers, and a paragraph running
    across the page break."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(fonts[""]))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    body = [
        "1. Chủ động nhận diện các nhóm tội phạm",
        "Tiếp tục đấu tranh với 03 loại thủ đoạn hoạt động của tội phạm",
        "để có giải pháp đấu tranh trấn áp theo tuyến, địa bàn, lĩnh vực;",
        "bảo đảm kịp thời và nghiêm minh; tăng",
    ]
    for index, line in enumerate(body):
        pdf.set_font("DejaVu", size=12)
        pdf.text(20, 30 + 6 * index, line)
        if index == 1:  # the anchor, set small and raised after "tội phạm"
            x = 20 + pdf.get_string_width(line)
            pdf.set_font("DejaVu", size=8)
            pdf.text(x, 30 + 6 * index - 1.5, "1")
    pdf.set_font("DejaVu", size=6)
    pdf.text(20, 265, "1")
    pdf.set_font("DejaVu", size=9)
    pdf.text(22, 266, "(1) Phương thức truyền thông; (2) Phương thức thủ đoạn cũ,")
    pdf.text(20, 270.5, "hành vi cũ; (3) Phương thức thủ đoạn mới.")
    pdf.set_font("DejaVu", size=10)
    pdf.text(104, 287, "1")
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.text(20, 30, "cường tổ chức các phiên tòa rút kinh nghiệm.")
    pdf.set_font("DejaVu", size=10)
    pdf.text(104, 287, "2")
    return bytes(pdf.output())


def test_pdf_layout_superscript_page_foot_footnote_and_page_break() -> None:
    from docgen import DEJAVU_FONTS

    from ingest.normalize import clean_document

    if not all(path.is_file() for path in DEJAVU_FONTS.values()):
        pytest.skip("DejaVu fonts missing: apt-get install fonts-dejavu-core")
    loaded = load_bytes(_layout_pdf(DEJAVU_FONTS), "kh.pdf")
    assert "hoạt động của tội phạm<sup>1</sup>" in loaded.text
    note = "(1) Phương thức truyền thông; (2) Phương thức thủ đoạn cũ, hành vi cũ; (3) Phương thức"
    # The page-foot footnote is moved after the running text, as one line.
    assert loaded.text.rstrip().endswith(f"<sup>1</sup> {note} thủ đoạn mới.")
    cleaned = clean_document(loaded.text)
    lines = cleaned.text.split("\n")
    assert lines[0] == "1. Chủ động nhận diện các nhóm tội phạm"
    paragraph = next(line for line in lines if line.startswith("Tiếp tục"))
    assert paragraph.endswith("nghiêm minh; tăng cường tổ chức các phiên tòa rút kinh nghiệm.")
    assert "tội phạm để có giải pháp" in paragraph
    (footnote,) = cleaned.footnotes
    assert (footnote.number, footnote.text) == (1, f"{note} thủ đoạn mới.")
    assert lines[footnote.anchor_line] == paragraph
