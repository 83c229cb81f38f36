"""Unit tests of ingest.structure on small strings: heading forms, path rules, metadata."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.errors import BadDocument
from ingest.structure import match_heading, parse_document, split_heading
from ingest.types import ParsedDocument, Section

HEADER = (
    "Số: 12/KH-UBND\n\nĐồng Tháp, ngày 05 tháng 3 năm 2026\n\nKẾ HOẠCH\n\nThực hiện công tác X\n\n"
)
TRAILER = (
    "\n\nNơi nhận:\n- Bộ Công an;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A\n"
)


def parse(body: str, header: str = HEADER, trailer: str = TRAILER) -> ParsedDocument:
    return parse_document(header + body + trailer, "doc")


def by_path(doc: ParsedDocument) -> dict[str, Section]:
    return {s.path: s for s in doc.sections}


@pytest.mark.parametrize(
    ("line", "kind", "label", "content"),
    [
        ("Phần I. QUY ĐỊNH CHUNG", "part", "PhầnI", "QUY ĐỊNH CHUNG"),
        ("Chương II: TỔ CHỨC", "chapter", "ChươngII", "TỔ CHỨC"),
        ("Điều 1. Ban hành kèm theo", "article", "Điều1", "Ban hành kèm theo"),
        ("II. NHIỆM VỤ", "roman", "II", "NHIỆM VỤ"),
        ("1. Mục tiêu", "arabic", "1", "Mục tiêu"),
        ("1.1. Mục tiêu tổng quát", "arabic", "1.1", "Mục tiêu tổng quát"),
        ("a) Công tác phòng ngừa", "letter", "a", "Công tác phòng ngừa"),
        ("b. Hằng năm, giảm", "letter", "b", "Hằng năm, giảm"),
        ("đ) Kiện toàn", "letter", "đ", "Kiện toàn"),
        ("- Tăng cường", "bullet", "-", "Tăng cường"),
        ("+ Tuyên truyền", "bullet", "+", "Tuyên truyền"),
    ],
)
def test_heading_forms(line: str, kind: str, label: str, content: str) -> None:
    heading = match_heading(line)
    assert heading is not None
    assert (heading.kind, heading.label, heading.content) == (kind, label, content)


@pytest.mark.parametrize(
    "line",
    [
        "+ Đơn vị chủ trì: Công an tỉnh.",
        "- Đơn vị phối hợp: Các sở.",
        "Thời gian thực hiện: Thường xuyên.",
        "Cơ quan chỉ đạo: Ban Thường vụ Tỉnh ủy.",
        "Cơ quan tham mưu, thực hiện: Đảng ủy Công an tỉnh.",
        "+ Đơn vị thực hiện: Sở Tư pháp.",
        "Thực hiện nghiêm các quy định.",
        "- xã hội trên địa bàn",
    ],
)
def test_not_headings(line: str) -> None:
    assert match_heading(line) is None


@pytest.mark.parametrize(
    ("content", "title", "text"),
    [
        ("Mục tiêu tổng quát", "Mục tiêu tổng quát", ""),
        (
            "Bộ Chỉ huy Quân sự tỉnh: Thực hiện hiệu quả.",
            "Bộ Chỉ huy Quân sự tỉnh",
            "Thực hiện hiệu quả.",
        ),
        ("Công an tỉnh chịu trách nhiệm:", "Công an tỉnh chịu trách nhiệm", ""),
        (
            "Mở rộng hợp tác quốc tế. Thực hiện các cam kết.",
            "Mở rộng hợp tác quốc tế",
            "Thực hiện các cam kết.",
        ),
        ("Đẩy mạnh công tác phòng ngừa tội phạm.", "Đẩy mạnh công tác phòng ngừa tội phạm", ""),
        ("Quản lý tại TP. Hồ Chí Minh", "Quản lý tại TP. Hồ Chí Minh", ""),
        ("Học sinh, sinh viên... ở vùng sâu.", "Học sinh, sinh viên... ở vùng sâu", ""),
        # a colon after "như", "gồm", "là" opens a list within the sentence: no title split
        (
            "Triển khai các đợt truyền thông, như: Tội phạm “tín dụng đen”, ma túy. Tổ chức.",
            "Triển khai các đợt truyền thông, như: Tội phạm “tín dụng đen”, ma túy",
            "Tổ chức.",
        ),
        (
            "Thành phần gồm: Công an tỉnh, Sở Tư pháp",
            "Thành phần gồm: Công an tỉnh, Sở Tư pháp",
            "",
        ),
        ("Các nhiệm vụ cụ thể như sau:", "Các nhiệm vụ cụ thể như sau", ""),
    ],
)
def test_split_heading(content: str, title: str, text: str) -> None:
    assert split_heading(content) == (title, text)


def test_paths_levels_and_bullets() -> None:
    doc = parse(
        "Thực hiện Nghị quyết, Ủy ban nhân dân tỉnh Đồng Tháp ban hành kế hoạch như sau:\n\n"
        "I. MỤC TIÊU\n\n1. Mục tiêu chung\n\n- Ý một.\n\n- Ý hai.\n\n+ Ý con một.\n\n"
        "2. Nhiệm vụ\n\na) Công tác phòng ngừa\n\n- Một.\n\n- Hai.\n\n- Ba.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\n1. Các sở báo cáo trước ngày 20/5/2026."
    )
    sections = by_path(doc)
    assert list(sections) == [
        "preamble", "I", "I.1", "I.1.-1", "I.1.-2", "I.1.-2.+1", "I.2", "I.2.a",
        "I.2.a.-1", "I.2.a.-2", "I.2.a.-3", "II", "II.1",
    ]  # fmt: skip
    assert sections["I.2.a.-3"].parent_path == "I.2.a"
    assert sections["I.2.a.-3"].level == 4
    assert sections["I.2.a.-3"].label == "-3"
    assert sections["I.2.a.-3"].kind == "bullet"
    assert sections["I.2.a"].title == "Công tác phòng ngừa"
    assert sections["I.1.-2.+1"].text == "Ý con một."
    assert [s.order for s in doc.sections] == list(range(len(doc.sections)))
    assert sections["preamble"].kind == "preamble"


def test_dotted_number_replaces_the_component_it_extends() -> None:
    doc = parse(
        "II. Mục tiêu\n\n1. Mục tiêu\n\n1.1. Tổng quát\n\nNội dung.\n\n1.2. Cụ thể\n\na. Một."
    )
    sections = by_path(doc)
    assert sections["II.1.1"].parent_path == "II.1"
    assert sections["II.1.1"].title == "Tổng quát"
    assert sections["II.1.1"].text == "Nội dung."
    assert sections["II.1.2.a"].parent_path == "II.1.2"


def test_markdown_hashes_do_not_set_levels() -> None:
    doc = parse("## I. NHIỆM VỤ\n\n### 4. Bốn\n\na) Ý.\n\n## 5. Năm\n\nNội dung năm.")
    sections = by_path(doc)
    assert sections["I.4"].level == sections["I.5"].level == 2
    assert sections["I.5"].parent_path == "I"


def test_label_lines_stay_in_the_open_section() -> None:
    doc = parse(
        "I. NHIỆM VỤ\n\n1. Tăng cường\n\n- Đấu tranh mạnh mẽ.\n\n"
        "+ **Đơn vị chủ trì:** Công an tỉnh.\n\n+ Đơn vị phối hợp: Các sở.\n\n"
        "Thời gian thực hiện: Thường xuyên.\n\n- Ý khác."
    )
    sections = by_path(doc)
    assert "I.1.-1.+1" not in sections
    assert sections["I.1.-1"].text.split("\n") == [
        "Đấu tranh mạnh mẽ.",
        "+ Đơn vị chủ trì: Công an tỉnh.",
        "+ Đơn vị phối hợp: Các sở.",
        "Thời gian thực hiện: Thường xuyên.",
    ]
    assert sections["I.1.-2"].text == "Ý khác."


def test_duplicate_sibling_labels_get_a_suffix() -> None:
    doc = parse("I. NHIỆM VỤ\n\nd) Thứ nhất.\n\nd) Thứ hai.\n\ne) Thứ ba.")
    sections = by_path(doc)
    assert sections["I.d~2"].title == "Thứ hai"
    assert sections["I.d~2"].label == "d"
    assert len(sections) == len(doc.sections)


def test_articles_parts_and_chapters() -> None:
    doc = parse(
        "Phần I. CHUNG\n\nChương 1. PHẠM VI\n\nĐiều 1. Phạm vi\n\nNội dung điều một.\n\n"
        "Điều 2. Đối tượng\n\nChương 2. TỔ CHỨC\n\nĐiều 3. Trách nhiệm"
    )
    paths = [s.path for s in doc.sections]
    assert paths == [
        "PhầnI", "PhầnI.Chương1", "PhầnI.Chương1.Điều1", "PhầnI.Chương1.Điều2",
        "PhầnI.Chương2", "PhầnI.Chương2.Điều3",
    ]  # fmt: skip


def test_second_document_in_a_file_is_prefixed() -> None:
    text = (
        "Số: 7/QĐ-UBND\n\nQuảng Ngãi, ngày 30 tháng 12 năm 2021\n\nQUYẾT ĐỊNH\n\n"
        "Ban hành Kế hoạch X\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\n\nCăn cứ Luật.\n\n"
        "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch X.\n\n"
        "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký./.\n\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nĐặng Văn Minh\n\n"
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nKẾ HOẠCH\n\nThực hiện X\n\n"
        "(Ban hành kèm theo Quyết định số 7/QĐ-UBND)\n\nI. MỤC TIÊU\n\n1. Chung\n\na) Ý."
    )
    doc = parse_document(text, "two")
    paths = [s.path for s in doc.sections]
    assert paths == ["preamble", "Điều1", "Điều2", "KH.preamble", "KH.I", "KH.I.1", "KH.I.1.a"]
    sections = by_path(doc)
    assert sections["KH.I"].parent_path is None
    assert sections["KH.I.1.a"].parent_path == "KH.I.1"
    assert "Ban hành kèm theo Quyết định số 7/QĐ-UBND" in sections["KH.preamble"].text
    assert doc.meta.doc_type == "Quyết định"
    assert doc.meta.title == "Ban hành Kế hoạch X"
    assert doc.meta.signer == "Đặng Văn Minh"
    assert doc.meta.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert doc.meta.recipients == ("Như Điều 2", "Lưu: VT")
    assert not any("Đặng Văn Minh" in s.text for s in doc.sections)


def test_footnote_becomes_a_section_tied_to_its_anchor() -> None:
    doc = parse("I. NHIỆM VỤ\n\n- Theo 05 Nghị quyết⁽¹⁾.\n\n⁽¹⁾ Nghị quyết số 57-NQ/TW.\n\n- Hai.")
    sections = by_path(doc)
    note = sections["fn1"]
    assert (note.kind, note.parent_path, note.text) == (
        "footnote",
        "I.-1",
        "Nghị quyết số 57-NQ/TW.",
    )
    assert note.order == len(doc.sections) - 1
    assert sections["I.-1"].text == "Theo 05 Nghị quyết."
    assert sections["I.-2"].text == "Hai."


def test_metadata_of_a_draft_with_blank_number_and_day() -> None:
    doc = parse(
        "Thực hiện Nghị quyết, Ban Chỉ đạo 138 tỉnh Hải Dương xây dựng kế hoạch như sau:\n\nI. A",
        header="Số: /KH-BCĐ\n\nHải Dương, ngày tháng 01 năm 2024\n\nDỰ THẢO\n\nKẾ HOẠCH\nThực hiện Y\n\n",
    )
    meta = doc.meta
    assert meta.number == "/KH-BCĐ"
    assert meta.issued_date is None
    assert meta.year == 2024
    assert meta.date_text == "ngày tháng 01 năm 2024"
    assert meta.issuer == "Ban Chỉ đạo 138 tỉnh Hải Dương"
    assert meta.province == meta.place == "Hải Dương"
    assert meta.title == "Thực hiện Y"


def test_metadata_with_full_date_and_signature() -> None:
    doc = parse("Thực hiện X, Ủy ban nhân dân tỉnh Đồng Tháp ban hành kế hoạch:\n\nI. A")
    meta = doc.meta
    assert meta.number == "12/KH-UBND"
    assert meta.issued_date == date(2026, 3, 5)
    assert meta.doc_type == "Kế hoạch"
    assert meta.signer == "Nguyễn Văn A"
    assert meta.recipients == ("Bộ Công an", "Lưu: VT")
    assert not any("Nơi nhận" in s.text or "Bộ Công an" in s.text for s in doc.sections)


def test_file_starting_mid_title() -> None:
    text = (
        "của Bộ Chính trị khóa X về công tác phòng, chống tội phạm\n\n-----\n\n"
        "Thực hiện Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị về việc tiếp tục thực "
        "hiện Chỉ thị số 48-CT/TW của Bộ Chính trị khóa X về công tác phòng, chống tội phạm, "
        "Ban Thường vụ Tỉnh ủy ban hành Chương trình thực hiện Kết luận số 13-KL/TW như sau:\n\n"
        "I. Đặc điểm tình hình\n\nNội dung."
    )
    doc = parse_document(text, "mid")
    assert doc.meta.doc_type == "Chương trình"
    assert doc.meta.title == (
        "Thực hiện Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị về việc tiếp tục thực "
        "hiện Chỉ thị số 48-CT/TW của Bộ Chính trị khóa X về công tác phòng, chống tội phạm"
    )
    assert "mid-title" in doc.meta.title_note
    assert [s.path for s in doc.sections] == ["preamble", "I"]


def test_empty_text_is_refused() -> None:
    with pytest.raises(BadDocument):
        parse_document("  \n\n ", "empty")
