"""Unit tests of ingest.normalize: one small string per cleanup rule."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.normalize import (
    PAGE_NUMBER,
    STRAY_BEFORE_NOI_NHAN,
    clean_document,
    clean_text,
    extract_footnotes,
    heading_marker,
    is_caps_line,
    strip_markdown,
)


def test_nfc_applied() -> None:
    decomposed = unicodedata.normalize("NFD", "Đồng Tháp")
    assert clean_text(decomposed) == "Đồng Tháp"


def test_document_tone_spelling_is_kept() -> None:
    # Canonical tones are for index text only: the document's "hoà"/"Uỷ" stay as written.
    assert clean_text("Tái hoà nhập cộng đồng; Uỷ ban nhân dân.") == (
        "Tái hoà nhập cộng đồng; Uỷ ban nhân dân."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("## **II. NHIỆM VỤ, GIẢI PHÁP**", "II. NHIỆM VỤ, GIẢI PHÁP"),
        ("#### b) Công tác phòng ngừa nghiệp vụ", "b) Công tác phòng ngừa nghiệp vụ"),
        ("+ **Đơn vị thực hiện:** Công an tỉnh.", "+ Đơn vị thực hiện: Công an tỉnh."),
        ("(*Công an tỉnh chủ trì*).", "(Công an tỉnh chủ trì)."),
        ("(***hàng năm trước ngày 15/12***)", "(hàng năm trước ngày 15/12)"),
        ("“*rõ người, rõ việc*”", "“rõ người, rõ việc”"),
        ("Số: ~~2224~~ /QĐ-UBND", "Số: 2224/QĐ-UBND"),
        ("ghi chú (*) giữ nguyên", "ghi chú (*) giữ nguyên"),
        ("1\\. Mục tiêu", "1. Mục tiêu"),
        ("Số:             /KH-UBND", "Số: /KH-UBND"),
    ],
)
def test_strip_markdown(raw: str, expected: str) -> None:
    assert strip_markdown(raw) == expected


def test_bold_spanning_two_lines_leaves_no_marks() -> None:
    assert clean_text("**TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH**") == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"


def test_horizontal_rule_is_a_hard_break() -> None:
    text = clean_text("đối với công tác phòng, chống tội phạm\n\n-----\n\nThực hiện Kết luận")
    assert text.split("\n") == ["đối với công tác phòng, chống tội phạm", "", "Thực hiện Kết luận"]


def test_sup_footnote_anchor_removed_and_body_kept() -> None:
    raw = (
        "3. Chủ động nhận diện 03 loại thủ đoạn<sup>1</sup> để có giải pháp; tăng\n\n"
        "<sup>1</sup> (1) Phương thức truyền thông.\n\n"
        "cường tổ chức các phiên tòa."
    )
    cleaned = clean_document(raw)
    assert cleaned.text == (
        "3. Chủ động nhận diện 03 loại thủ đoạn để có giải pháp; tăng cường tổ chức các phiên tòa."
    )
    (note,) = cleaned.footnotes
    assert (note.number, note.text, note.anchor_line) == (1, "(1) Phương thức truyền thông.", 0)


def test_superscript_parenthesised_footnote() -> None:
    raw = "- theo 05 Nghị quyết của Bộ Chính trị⁽¹⁾.\n\n⁽¹⁾ Nghị quyết số 57-NQ/TW.\n\n- Tiếp."
    cleaned = clean_document(raw)
    assert "⁽" not in cleaned.text
    assert cleaned.text.split("\n")[0] == "- theo 05 Nghị quyết của Bộ Chính trị."
    assert cleaned.footnotes[0].text == "Nghị quyết số 57-NQ/TW."
    assert cleaned.footnotes[0].anchor_line == 0


def test_plain_digit_footnotes_from_pdf() -> None:
    raw = (
        "góp phần “Giữ vững an ninh”1 và “Phát triển bền vững”2. Kéo giảm các loại tội \n\n"
        "1 Nghị quyết Đại hội XIII.\n2 Nghị quyết Đại hội tỉnh.\n"
        " phạm rất nghiêm trọng."
    )
    cleaned = clean_document(raw)
    assert cleaned.text == (
        "góp phần “Giữ vững an ninh” và “Phát triển bền vững”. "
        "Kéo giảm các loại tội phạm rất nghiêm trọng."
    )
    assert [(n.number, n.text) for n in cleaned.footnotes] == [
        (1, "Nghị quyết Đại hội XIII."),
        (2, "Nghị quyết Đại hội tỉnh."),
    ]


def test_digit_line_without_anchor_is_not_a_footnote() -> None:
    # "3 về ..." continues "Quân khu" (a wrap), there is no "…3" anchor.
    text = clean_text("- Chỉ thị của Tư Lệnh Quân khu\n\n3 về đấu tranh phòng, chống tội phạm.")
    assert text == "- Chỉ thị của Tư Lệnh Quân khu 3 về đấu tranh phòng, chống tội phạm."


def test_extract_footnotes_api() -> None:
    text, bodies = extract_footnotes("Câu có chú thích<sup>2</sup>.\n<sup>2</sup> Nội dung.")
    assert text == "Câu có chú thích."
    assert bodies == {2: "Nội dung."}


def test_wrap_with_lower_case_start_is_joined_across_blank_lines() -> None:
    raw = "5. Nâng cao hiệu quả, giám định tư pháp,\n\n\n\nđịnh giá tài sản; chủ động phối hợp."
    assert clean_text(raw) == (
        "5. Nâng cao hiệu quả, giám định tư pháp, định giá tài sản; chủ động phối hợp."
    )


def test_comma_end_continues_across_blank_lines_even_before_a_capital() -> None:
    raw = "b) Tăng cường lực lượng Công an nhân dân, Hải quan,\n\n\n\nKiểm lâm... để kịp thời."
    assert (
        clean_text(raw)
        == "b) Tăng cường lực lượng Công an nhân dân, Hải quan, Kiểm lâm... để kịp thời."
    )


def test_blank_line_inside_item_with_upper_case_continuation() -> None:
    # A bullet (body text) that stops mid-sentence goes on after the blank line.
    raw = "+ Đơn vị thực hiện: Công an tỉnh và đề nghị Ủy ban Mặt trận\n\nTổ quốc Việt Nam tỉnh."
    assert clean_text(raw) == (
        "+ Đơn vị thực hiện: Công an tỉnh và đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh."
    )


def test_heading_split_over_lines_is_rejoined() -> None:
    # PDF heading wrapped before a capitalised word (004: "an ninh" / "Tổ quốc").
    raw = "2.3. Nâng cao chất lượng, hiệu quả phong trào toàn dân bảo vệ an ninh \nTổ quốc \n\na. Tiếp"
    assert clean_text(raw).split("\n")[0] == (
        "2.3. Nâng cao chất lượng, hiệu quả phong trào toàn dân bảo vệ an ninh Tổ quốc"
    )
    raw = "1. Nâng cao hiệu quả công tác phòng, \n\nchống tội phạm\n- Tập trung lãnh đạo."
    assert clean_text(raw).split("\n") == [
        "1. Nâng cao hiệu quả công tác phòng, chống tội phạm",
        "- Tập trung lãnh đạo.",
    ]


def test_heading_then_paragraph_stay_apart() -> None:
    raw = "4. Rà soát, đề xuất các cơ chế, chính sách\n\nĐẩy mạnh cải cách tư pháp."
    assert clean_text(raw).split("\n") == [
        "4. Rà soát, đề xuất các cơ chế, chính sách",
        "",
        "Đẩy mạnh cải cách tư pháp.",
    ]


def test_title_after_type_line_is_not_joined_with_preamble() -> None:
    raw = "KẾ HOẠCH\n\nTriển khai thực hiện Nghị quyết giai đoạn 2025 - 2030\n\nThực hiện Kế hoạch số 58"
    assert clean_text(raw).split("\n") == [
        "KẾ HOẠCH",
        "",
        "Triển khai thực hiện Nghị quyết giai đoạn 2025 - 2030",
        "",
        "Thực hiện Kế hoạch số 58",
    ]


def test_full_width_pdf_line_goes_on_after_a_full_stop() -> None:
    raw = (
        "7. Triển khai hiệu quả các hoạt động hưởng ứng “Ngày thế giới phòng, chống 30/7”. \n"
        "Làm tốt công tác tiếp nhận nạn nhân.\n\n"
        "+ Thời gian thực hiện: Thường xuyên.\nTriển khai quyết liệt các mặt công tác."
    )
    assert clean_text(raw).split("\n") == [
        "7. Triển khai hiệu quả các hoạt động hưởng ứng “Ngày thế giới phòng, chống 30/7”. "
        "Làm tốt công tác tiếp nhận nạn nhân.",
        "",
        "+ Thời gian thực hiện: Thường xuyên.",
        "Triển khai quyết liệt các mặt công tác.",
    ]


def test_label_lines_are_never_joined_into_the_previous_paragraph() -> None:
    raw = "Xác định rõ trách nhiệm của người đứng đầu cấp ủy\nCơ quan chỉ đạo: Ban Thường vụ."
    assert clean_text(raw).split("\n") == [
        "Xác định rõ trách nhiệm của người đứng đầu cấp ủy",
        "Cơ quan chỉ đạo: Ban Thường vụ.",
    ]


@pytest.mark.parametrize("line", ["12", "- 12 -", "Trang 3"])
def test_page_number_pattern(line: str) -> None:
    assert PAGE_NUMBER.match(line)


def test_page_number_removed_and_wrap_joined() -> None:
    raw = "ưu tiên đầu tư cho lực lượng cơ \n\n\n\n12\n\nsở để kịp thời giải quyết."
    assert clean_text(raw) == "ưu tiên đầu tư cho lực lượng cơ sở để kịp thời giải quyết."


def test_stray_characters_before_noi_nhan() -> None:
    assert STRAY_BEFORE_NOI_NHAN.sub("", "ơNơi nhận: TM. ỦY BAN") == "Nơi nhận: TM. ỦY BAN"
    assert clean_text("báo cáo./.\n\nơNơi nhận:\n- Bộ Công an;").split("\n")[2] == "Nơi nhận:"


def test_document_code_split_at_line_end_is_rejoined() -> None:
    raw = "(sau đây viết tắt là Kết luận số 13-\nKL/TW, Chỉ thị số 48-CT/TW), Ban Thường vụ"
    assert clean_text(raw) == (
        "(sau đây viết tắt là Kết luận số 13-KL/TW, Chỉ thị số 48-CT/TW), Ban Thường vụ"
    )


def test_dash_before_lower_case_word_is_a_wrap_not_a_bullet() -> None:
    raw = "bảo đảm an sinh xã hội cùng với nhiệm vụ phát triển kinh tế -\nxã hội trên địa bàn tỉnh."
    assert clean_text(raw) == (
        "bảo đảm an sinh xã hội cùng với nhiệm vụ phát triển kinh tế - xã hội trên địa bàn tỉnh."
    )
    assert not heading_marker("- xã hội trên địa bàn tỉnh.")
    assert heading_marker("- Tăng cường hiệu lực.")


def test_header_lines_stay_separate() -> None:
    raw = "ỦY BAN NHÂN DÂN  \nTỈNH QUẢNG NGÃI\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM  \nĐộc lập - Tự do"
    assert clean_text(raw).split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]


def test_is_caps_line() -> None:
    assert is_caps_line("TM. ỦY BAN NHÂN DÂN")
    assert not is_caps_line("Phạm Thành Ngại")


# --- PDF text layer: headings, titles, page breaks, wrapped footnotes -----------------------


def test_pdf_heading_before_capitalised_body_and_across_page_break() -> None:
    raw = (
        "7. Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong công tác\n"
        "phòng, chống tội phạm\n"
        "Thúc đẩy mạnh mẽ năng lực nghiên cứu, khai thác, ứng dụng khoa học.\n"
        "8. Rà soát các cơ chế, chính sách; công tác cải cách hành chính, cải cách tư pháp\n"
        "5\n"
        "Đẩy mạnh cải cách tư pháp, cải cách hành chính; rà soát, kịp thời đề xuất điều\n"
        "6\n"
        "chỉnh các quy định."
    )
    assert clean_text(raw).split("\n") == [
        "7. Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong công tác "
        "phòng, chống tội phạm",
        "Thúc đẩy mạnh mẽ năng lực nghiên cứu, khai thác, ứng dụng khoa học.",
        "8. Rà soát các cơ chế, chính sách; công tác cải cách hành chính, cải cách tư pháp",
        "Đẩy mạnh cải cách tư pháp, cải cách hành chính; rà soát, kịp thời đề xuất điều "
        "chỉnh các quy định.",
    ]


def test_pdf_wraps_before_document_code_and_year_range_tail() -> None:
    raw = (
        "8. Tiếp tục triển khai thực hiện nghiêm túc có hiệu quả Nghị quyết số\n"
        "9\n"
        "12-NQ/TW ngày 16/3/2022 của Bộ Chính trị.\n"
        "b) Tiếp tục thực hiện Đề án phòng ngừa tội phạm giai đoạn 2021\n"
        "- 2025.\n"
        "- Tuyên truyền pháp luật."
    )
    assert clean_text(raw).split("\n") == [
        "8. Tiếp tục triển khai thực hiện nghiêm túc có hiệu quả Nghị quyết số "
        "12-NQ/TW ngày 16/3/2022 của Bộ Chính trị.",
        "b) Tiếp tục thực hiện Đề án phòng ngừa tội phạm giai đoạn 2021 - 2025.",
        "- Tuyên truyền pháp luật.",
    ]


def test_pdf_title_block_ends_at_first_sentence() -> None:
    raw = (
        "KẾ HOẠCH\n"
        "Triển khai thực hiện Nghị quyết số 09-NQ/TU ngày 16/01/2026 của Ban\n"
        "Thường vụ Tỉnh ủy về công tác phòng, chống tội phạm giai đoạn 2025 - 2030\n"
        "Thực hiện Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy, Ủy ban nhân\n"
        "dân tỉnh ban hành kế hoạch như sau:"
    )
    assert clean_text(raw).split("\n") == [
        "KẾ HOẠCH",
        "Triển khai thực hiện Nghị quyết số 09-NQ/TU ngày 16/01/2026 của Ban "
        "Thường vụ Tỉnh ủy về công tác phòng, chống tội phạm giai đoạn 2025 - 2030",
        "Thực hiện Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy, Ủy ban nhân "
        "dân tỉnh ban hành kế hoạch như sau:",
    ]


def test_wrapped_footnote_body_inside_a_paragraph_across_page_break() -> None:
    raw = (
        "Tiếp tục phát huy hiệu quả phối hợp điều tra, bảo đảm nghiêm minh và 03 loại\n"
        "thủ đoạn<sup>1</sup>; tăng\n"
        "<sup>1</sup> (1) Phương thức truyền thông; (2) Phương thức thủ đoạn cũ,\n"
        "hành vi cũ.\n"
        "8\n"
        "cường tổ chức các phiên tòa rút kinh nghiệm."
    )
    cleaned = clean_document(raw)
    assert cleaned.text == (
        "Tiếp tục phát huy hiệu quả phối hợp điều tra, bảo đảm nghiêm minh và 03 loại "
        "thủ đoạn; tăng cường tổ chức các phiên tòa rút kinh nghiệm."
    )
    (note,) = cleaned.footnotes
    assert note.text == "(1) Phương thức truyền thông; (2) Phương thức thủ đoạn cũ, hành vi cũ."
    assert (note.number, note.anchor_line) == (1, 0)
