"""Golden task records, hand-checked against the five plans in data/corpus.

Each expectation was written by reading the document (the line numbers refer to the corpus
files); tasks are found by what they say (a phrase of the quote, the time as written), never
by their position in the list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.tasks import extract_tasks
from ingest.types import Task

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


@pytest.fixture(scope="module")
def tasks() -> dict[str, list[Task]]:
    from ingest.structure import parse_document

    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_document(path.read_text(encoding="utf-8"), path.stem)
        out[path.stem[:3]] = extract_tasks(doc)
    return out


def find(tasks: dict[str, list[Task]], doc: str, phrase: str, time_text: str | None = None) -> Task:
    """The one task of `doc` whose quote holds `phrase` (and whose time reads `time_text`)."""
    found = [
        t
        for t in tasks[doc]
        if phrase in t.quote and (time_text is None or (t.time and time_text in t.time.text))
    ]
    assert len(found) == 1, (phrase, [t.task_id for t in found])
    return found[0]


# --- 000: Kế hoạch, Đồng Tháp 2026; "+ Đơn vị ...:" label blocks ------------------------------


def test_000_lead_and_partners_from_label_block(tasks) -> None:
    # lines 101-107
    t = find(tasks, "000", "Tập trung nhận diện và chủ động triển khai các giải pháp")
    assert t.section_path == "III.3.-2"
    assert t.lead == ("Công an tỉnh",)
    assert t.cooperating[:3] == (
        "Các sở, ban, ngành tỉnh",
        "Ủy ban nhân dân các xã, phường",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    )
    assert t.time is not None and t.time.kind == "ongoing" and t.time.text == "Thường xuyên."


def test_000_lead_inside_đơn_vị_thực_hiện(tasks) -> None:
    # line 121: "Đơn vị thực hiện: Công an tỉnh chủ trì, phối hợp với Sở Tư pháp, ..."
    t = find(tasks, "000", "Đẩy mạnh cải cách tư pháp, cải cách hành chính")
    assert t.section_path == "III.4"
    assert t.lead == ("Công an tỉnh",)
    assert t.cooperating == (
        "Sở Tư pháp",
        "Các sở, ban, ngành tỉnh",
        "Ủy ban nhân dân các xã, phường",
    )


def test_000_one_block_for_four_bullets(tasks) -> None:
    # lines 55-67: the block after the fourth bullet of III.1 applies to the first one too.
    t = find(tasks, "000", "Các cơ quan, đơn vị, địa phương phải quan tâm lãnh đạo")
    assert t.section_path == "III.1.-1"
    assert "Các sở, ban, ngành tỉnh" in t.executing
    assert "Ủy ban nhân dân các xã, phường" in t.executing
    assert t.time is not None and t.time.kind == "ongoing"


def test_000_plan_submission_deadline(tasks) -> None:
    # line 167: "... gửi về Ủy ban nhân dân tỉnh (qua Công an tỉnh – Phòng Tham mưu) chậm nhất
    # ngày 20/5/2026 để tổng hợp."
    t = find(tasks, "000", "xây dựng kế hoạch triển khai thực hiện", "20/5/2026")
    assert t.section_path == "IV.1"
    assert t.time.kind == "date" and t.time.due_date == date(2026, 5, 20)
    assert t.time.text == "chậm nhất ngày 20/5/2026"
    assert "Các sở, ban, ngành tỉnh" in t.executing


def test_000_yearly_and_final_report(tasks) -> None:
    # line 171: "(hàng năm trước ngày 15/12; báo cáo tổng kết trước ngày 15/12/2030)"
    yearly = find(tasks, "000", "định kỳ tổ chức sơ kết, tổng kết", "hàng năm trước ngày 15/12")
    assert yearly.time.kind == "recurrence" and yearly.time.recurrence == "yearly"
    assert yearly.time.due_date == date(2026, 12, 15)
    final = find(tasks, "000", "định kỳ tổ chức sơ kết, tổng kết", "15/12/2030")
    assert final.time.kind == "date" and final.time.due_date == date(2030, 12, 15)
    assert yearly.executing == final.executing
    assert "Ủy ban nhân dân các xã, phường" in final.executing


# --- 001: Quyết định + Kế hoạch, Quảng Ngãi 2021; per-agency chapter III ---------------------


def test_001_heading_agency_leads_a_chủ_trì_duty(tasks) -> None:
    # lines 203-205: "1. Công an tỉnh" → "b) Chủ trì, phối hợp với các sở, ban ngành, ..."
    t = find(tasks, "001", "Chủ trì, phối hợp với các sở, ban ngành, hội, đoàn thể")
    assert t.section_path == "KH.III.1.b"
    assert t.lead == ("Công an tỉnh",)
    assert "Ủy ban nhân dân các huyện, thị xã, thành phố" in t.cooperating


def test_001_planning_and_investment_yearly(tasks) -> None:
    # line 316: "17. Sở Kế hoạch và Đầu tư: Chủ trì, phối hợp với Công an tỉnh tổng hợp nhu cầu
    # đầu tư công trung hạn và hằng năm ..."
    t = find(tasks, "001", "tổng hợp nhu cầu đầu tư công trung hạn")
    assert t.section_path == "KH.III.17"
    assert t.lead == ("Sở Kế hoạch và Đầu tư",)
    assert t.cooperating == ("Công an tỉnh",)
    assert t.time is not None and t.time.recurrence == "yearly"


def test_001_two_heading_agencies(tasks) -> None:
    # line 336: "24. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh: ..."
    t = find(tasks, "001", "Tiếp tục thực hiện có hiệu quả các Quy chế phối hợp")
    assert t.executing == ("Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh")


def test_001_health_department_cooperates_with_police(tasks) -> None:
    # line 286: "11. Sở Y tế" → "a) Phối hợp với Công an tỉnh trong công tác bảo đảm ANTT ..."
    t = find(tasks, "001", "Phối hợp với Công an tỉnh trong công tác bảo đảm ANTT")
    assert t.section_path == "KH.III.11.a"
    assert t.executing == ("Sở Y tế",)
    assert t.cooperating == ("Công an tỉnh",)


def test_001_reports_and_horizon(tasks) -> None:
    # line 360: "định kỳ hằng quý, 6 tháng, năm báo cáo tình hình, kết quả gửi UBND tỉnh"
    t = find(tasks, "001", "định kỳ hằng quý, 6 tháng, năm báo cáo")
    assert t.section_path == "KH.V.1"
    assert t.time.recurrence == "quarterly,half_yearly,yearly"
    assert "Ủy ban nhân dân các huyện, thị xã, thành phố" in t.executing
    # line 354: "1. Thời gian thực hiện: Kế hoạch thực hiện đến năm 2025, định hướng đến năm 2030."
    horizon = find(tasks, "001", "Kế hoạch thực hiện đến năm 2025")
    assert horizon.section_path == "KH.IV.1"
    assert horizon.time.due_date == date(2025, 12, 31)


# --- 002: Kế hoạch, Đồng Tháp 2026; PDF text, label blocks ----------------------------------


def test_002_campaign_months(tasks) -> None:
    # lines 159-177: "+ Thời gian thực hiện: Tháng 7 đến tháng 9/2026 (cao điểm ...)."
    t = find(tasks, "002", "Tiếp tục triển khai các hoạt động truyền thông truyền thống")
    assert t.lead == ("Công an tỉnh",)
    assert t.time.kind == "range"
    assert (t.time.start_date, t.time.due_date) == (date(2026, 7, 1), date(2026, 9, 30))
    assert t.time.text.startswith("Tháng 7 đến tháng 9/2026")


def test_002_campaign_partners(tasks) -> None:
    # lines 178-191
    t = find(tasks, "002", "Tổ chức chiến dịch truyền thông về phòng, chống mua bán người")
    assert t.lead == ("Công an tỉnh",)
    assert t.cooperating[:3] == (
        "Sở Giáo dục và Đào tạo",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
        "Hội Liên hiệp Phụ nữ tỉnh",
    )


def test_002_border_block_is_the_military_commands(tasks) -> None:
    # lines 413-429: the second block of II.3
    t = find(tasks, "002", "Triển khai quyết liệt các mặt công tác phòng, chống tội phạm")
    assert t.section_path == "II.3"
    assert t.lead[0] == "Bộ Chỉ huy Quân sự tỉnh"
    assert "Ban Chỉ huy Bộ đội Biên phòng" in t.lead
    assert t.cooperating[0] == "Công an tỉnh"


def test_002_culture_department_leads(tasks) -> None:
    # lines 227-235
    t = find(tasks, "002", "vào các hoạt động văn hóa, nghệ thuật, thể dục, thể thao")
    assert t.lead == ("Sở Văn hóa, Thể thao và Du lịch",)
    assert t.cooperating == ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường")


def test_002_report_deadlines(tasks) -> None:
    # line 568: "trước ngày 10/3/2026"; lines 575-576: "6 tháng (trước ngày 14/6), năm (trước
    # ngày 14/12)"
    plans = find(tasks, "002", "xây dựng kế hoạch triển khai thực hiện", "10/3/2026")
    assert plans.time.due_date == date(2026, 3, 10)
    half = find(tasks, "002", "chế độ thông tin, báo cáo định kỳ", "14/6")
    assert (half.time.recurrence, half.time.due_date) == ("half_yearly", date(2026, 6, 14))
    year = find(tasks, "002", "chế độ thông tin, báo cáo định kỳ", "14/12")
    assert (year.time.recurrence, year.time.due_date) == ("yearly", date(2026, 12, 14))


# --- 003: Kế hoạch (dự thảo), Hải Dương 2024; inline brackets --------------------------------


def test_003_bracket_with_deadline(tasks) -> None:
    # line 92: "(Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Công an tỉnh và các
    # sở, ngành liên quan; thời hạn trình HĐND tỉnh dự thảo Nghị quyết: tại Kỳ họp thường lệ
    # giữa năm 2024, HĐND tỉnh khóa XVII)"
    t = find(tasks, "003", "Xây dựng, hoàn thiện dự thảo, báo cáo Ủy ban nhân dân tỉnh")
    assert t.lead == ("Sở Lao động - Thương binh và Xã hội",)
    assert t.cooperating[0] == "Công an tỉnh"
    assert t.time is not None and "giữa năm 2024" in t.time.text
    assert t.time.due_date == date(2024, 12, 31)


def test_003_information_department_leads(tasks) -> None:
    # line 84: "(Sở Thông tin và Truyền Thông chủ trì, phối hợp với các sở, ngành, địa phương)"
    t = find(tasks, "003", "Chỉ đạo cơ quan chức năng phối hợp chặt chẽ với lực lượng Công an")
    assert t.lead == ("Sở Thông tin và Truyền thông",)
    assert t.cooperating == ("Các sở, ngành, địa phương",)


def test_003_standalone_bracket_covers_every_bullet(tasks) -> None:
    # line 128: "(Công an tỉnh chủ trì, phối hợp các sở, ngành, đoàn thể, địa phương thực hiện)"
    # after the last of eight bullets of II.2.b; line 122 is the sixth.
    t = find(tasks, "003", "Tiếp tục phát huy hiệu quả của các Tổ công tác 151")
    assert t.section_path == "II.2.b.-6"
    assert t.lead == ("Công an tỉnh",)
    assert t.cooperating == ("Các sở, ngành, đoàn thể, địa phương",)


def test_003_executing_list(tasks) -> None:
    # line 146: "(Công an tỉnh, Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân, Bộ CHQS tỉnh thực hiện)"
    t = find(tasks, "003", "Thực hiện nghiêm các quy định của pháp luật trong tiếp nhận")
    assert t.section_path == "II.4"
    assert t.executing[:2] == ("Công an tỉnh", "Viện Kiểm sát nhân dân tỉnh")
    assert "Bộ Chỉ huy Quân sự tỉnh" in t.executing


def test_003_quarterly_meetings(tasks) -> None:
    # line 184: "Định kỳ hằng quý, Ban Chỉ đạo 138 cấp xã tổ chức họp trước ngày 18 tháng cuối
    # quý; cấp huyện tổ chức họp trước ngày 22 tháng cuối quý; cấp tỉnh họp trước ngày 25 tháng
    # cuối quý"
    for level, day in (("cấp xã", 18), ("cấp huyện", 22)):
        t = find(tasks, "003", "Ban Chỉ đạo 138 cấp xã tổ chức họp", f"trước ngày {day} tháng")
        assert t.executing == (f"Ban Chỉ đạo 138 {level}",)
        assert t.time.recurrence == "quarterly"
        assert t.time.recurrence_detail == f"before day {day} of the quarter's last month"
        assert t.time.due_date == date(2024, 3, day)
    province = find(tasks, "003", "Ban Chỉ đạo 138 cấp xã tổ chức họp", "trước ngày 25 tháng")
    assert province.executing == ("Ban Chỉ đạo 138 tỉnh",)


def test_003_plan_deadline(tasks) -> None:
    # line 180: "... gửi về Ban Chỉ đạo 138 tỉnh (qua Công an tỉnh) trước ngày 20/02/2024."
    t = find(tasks, "003", "Kế hoạch của các đơn vị, địa phương gửi về", "20/02/2024")
    assert t.time.due_date == date(2024, 2, 20)
    assert t.executing == ("Các sở, ngành, đoàn thể, địa phương",)


# --- 004: Chương trình, Ban Thường vụ Tỉnh ủy Quảng Ngãi; chỉ đạo / tham mưu --------------------


def test_004_directing_and_advising(tasks) -> None:
    # lines 145-151
    t = find(tasks, "004", "Tổ chức quán triệt, thực hiện nghiêm túc, hiệu quả các nghị quyết")
    assert t.section_path == "II.2.1.a"
    assert t.directing == ("Ban Thường vụ Tỉnh ủy",)
    assert t.executing[:2] == ("Ban cán sự đảng Ủy ban nhân dân tỉnh", "Ban Nội chính Tỉnh ủy")
    assert (t.time.kind, t.time.recurrence) == ("ongoing", "yearly")
    assert t.time.text == "Thường xuyên hằng năm."


def test_004_chủ_trì_inside_tham_mưu(tasks) -> None:
    # lines 215-219: "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Ban Dân vận Tỉnh ủy, ..."
    t = find(tasks, "004", "Phát huy vai trò của các cơ quan thông tin đại chúng")
    assert t.lead == ("Ban Tuyên giáo Tỉnh ủy",)
    assert t.cooperating[0] == "Ban Dân vận Tỉnh ủy"
    assert t.directing == ("Ban Thường vụ Tỉnh ủy",)


def test_004_party_committee_of_the_police_directs(tasks) -> None:
    # lines 366-371: "Cơ quan chỉ đạo: Đảng ủy Công an tỉnh." / "Công an tỉnh chủ trì, ..."
    t = find(tasks, "004", "Xác định việc tấn công, trấn áp các loại tội phạm")
    assert t.directing == ("Đảng ủy Công an tỉnh",)
    assert t.lead == ("Công an tỉnh",)


def test_004_block_after_g_covers_b(tasks) -> None:
    # lines 290-338: items b-g of 2.4 share the block after g.
    t = find(tasks, "004", "Chủ động phát hiện và giải quyết các xung đột xã hội")
    assert t.section_path == "II.2.4.b"
    assert t.directing == ("Ban Thường vụ Tỉnh ủy",)
    assert t.lead == ("Đảng ủy Công an tỉnh",)
    assert t.cooperating[:2] == ("Đảng ủy Quân sự tỉnh", "Đảng ủy Bộ đội Biên phòng tỉnh")
    assert t.time.kind == "ongoing"


def test_004_organisation_chapter(tasks) -> None:
    # lines 496-498 and 537-540
    council = find(tasks, "004", "Đảng đoàn Hội đồng nhân dân tỉnh chỉ đạo")
    assert council.directing == ("Đảng đoàn Hội đồng nhân dân tỉnh",)
    assert council.executing == ("Hội đồng nhân dân tỉnh",)
    monitor = find(tasks, "004", "Giao Ban Nội chính Tỉnh ủy tỉnh chủ trì")
    assert monitor.lead == ("Ban Nội chính Tỉnh ủy",)
    assert monitor.cooperating[0] == "Đảng ủy Công an tỉnh"
