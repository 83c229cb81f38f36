"""Time values as the five plans write them (phrasings copied from data/corpus)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.timeparse import find_times, parse_time


@pytest.mark.parametrize(
    ("text", "ref_year", "due"),
    [
        ("chậm nhất ngày 20/5/2026", 2026, date(2026, 5, 20)),  # 000 IV.1
        ("**chậm nhất ngày 20/5/2026**", None, date(2026, 5, 20)),
        ("trước ngày 10/3/2026", 2026, date(2026, 3, 10)),  # 002 III.1
        ("trước ngày 20/02/2024", 2024, date(2024, 2, 20)),  # 003 III.1
        ("trước ngày 15/12/2030", 2026, date(2030, 12, 15)),  # 000 IV.2, final report
        ("ngày 20 tháng 5 năm 2026", None, date(2026, 5, 20)),
        ("20/5", 2026, date(2026, 5, 20)),  # no year: the plan's year
    ],
)
def test_dates(text: str, ref_year: int | None, due: date) -> None:
    t = parse_time(text, ref_year)
    assert t.kind == "date"
    assert t.due_date == due
    assert t.text == text.replace("*", "")


def test_date_without_year_and_without_plan_year_has_no_due_date() -> None:
    t = parse_time("trước ngày 15/12", None)
    assert t.kind == "date"
    assert t.due_date is None


def test_impossible_date_is_not_invented() -> None:
    assert parse_time("trước ngày 31/2/2026", 2026).due_date is None


@pytest.mark.parametrize(
    ("text", "kind", "recurrence"),
    [
        ("Thường xuyên.", "ongoing", ""),  # the most common value (000, 002, 004)
        ("Thường xuyên hằng năm.", "ongoing", "yearly"),  # 004 II.2.1.a
        ("hằng quý", "recurrence", "quarterly"),
        ("Định kỳ hằng quý, 6 tháng, 1 năm và đột xuất báo cáo", "recurrence", "quarterly,half_yearly,yearly"),  # 003
        ("định kỳ hằng quý, 6 tháng, năm báo cáo", "recurrence", "quarterly,half_yearly,yearly"),  # 001 KH.V.1
        ("Định kỳ hằng tháng, quý, năm hoặc đột xuất", "recurrence", "monthly,quarterly,yearly"),  # 003
        ("định kỳ tổng hợp, báo cáo kết quả theo quy định", "recurrence", "periodic"),  # 001 KH.V.2
    ],
)  # fmt: skip
def test_ongoing_and_recurrences(text: str, kind: str, recurrence: str) -> None:
    t = parse_time(text, 2026)
    assert (t.kind, t.recurrence) == (kind, recurrence)


def test_yearly_deadline_takes_the_plan_year_for_its_first_occurrence() -> None:
    t = parse_time("hàng năm trước ngày 15/12; báo cáo tổng kết trước ngày 15/12/2030", 2026)
    assert t.kind == "recurrence"
    assert t.recurrence == "yearly"
    assert t.recurrence_detail == "before 15/12"
    assert t.due_date == date(2026, 12, 15)


def test_half_yearly_deadline_in_brackets() -> None:
    t = parse_time("6 tháng (trước ngày 14/6), năm (trước ngày 14/12)", 2026)  # 002 III.2
    assert (t.kind, t.recurrence, t.due_date) == ("recurrence", "half_yearly", date(2026, 6, 14))


def test_deadline_relative_to_the_quarters_last_month() -> None:
    t = parse_time("trước ngày 25 tháng cuối quý", 2024)  # 003 III.1
    assert t.kind == "recurrence"
    assert t.recurrence == "quarterly"
    assert t.recurrence_detail == "before day 25 of the quarter's last month"
    assert t.due_date == date(2024, 3, 25)  # first occurrence in the plan year


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("Tháng 7 đến tháng 9/2026 (cao điểm phòng, chống mua bán người).", "range", date(2026, 7, 1), date(2026, 9, 30)),  # 002
        ("từ ngày 01/7/2026 đến hết ngày 30/9/2026", "range", date(2026, 7, 1), date(2026, 9, 30)),  # 002 II.3
        ("Quý II/2026", "period", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý 4 năm 2026", "period", date(2026, 10, 1), date(2026, 12, 31)),
        ("năm 2026", "period", date(2026, 1, 1), date(2026, 12, 31)),
        ("giai đoạn 2026–2030", "period", date(2026, 1, 1), date(2030, 12, 31)),
        ("giai đoạn 2025 - 2030", "period", date(2025, 1, 1), date(2030, 12, 31)),
        ("Tháng 5/2026", "period", date(2026, 5, 1), date(2026, 5, 31)),
    ],
)  # fmt: skip
def test_ranges_and_periods(text: str, kind: str, start: date, end: date) -> None:
    t = parse_time(text, 2026)
    assert (t.kind, t.start_date, t.due_date) == (kind, start, end)


def test_month_range_without_year_uses_plan_year() -> None:
    t = parse_time("Tháng 7 đến tháng 9", 2026)
    assert (t.start_date, t.due_date) == (date(2026, 7, 1), date(2026, 9, 30))


def test_plan_horizon() -> None:
    t = parse_time("Kế hoạch thực hiện đến năm 2025, định hướng đến năm 2030.", 2021)  # 001
    assert (t.kind, t.due_date) == ("period", date(2025, 12, 31))


def test_unknown_keeps_the_text() -> None:
    t = parse_time("Khi có yêu cầu của cấp trên", 2026)
    assert t.kind == "unknown"
    assert t.text == "Khi có yêu cầu của cấp trên"
    assert t.due_date is None


def test_find_times_ignores_dates_of_cited_documents() -> None:
    text = "Thực hiện Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy Ủy ban nhân dân tỉnh"
    assert find_times(text, 2026) == []


def test_find_times_reads_each_quarterly_meeting() -> None:
    text = (
        "Định kỳ hằng quý, Ban Chỉ đạo 138 cấp xã tổ chức họp *trước ngày 18 tháng cuối quý*; "
        "cấp huyện tổ chức họp *trước ngày 22 tháng cuối quý*; cấp tỉnh họp *trước ngày 25 "
        "tháng cuối quý* và báo cáo kết quả thực hiện theo quy định."
    )
    found = find_times(text, 2024)
    days = [t.time.due_date.day for t in found if t.time.due_date]
    assert days == [18, 22, 25]
    assert found[0].time.recurrence == "quarterly"  # "Định kỳ hằng quý" opens the sentence


def test_find_times_reads_both_report_deadlines() -> None:
    text = (
        "duy trì thường xuyên chế độ thông tin, báo cáo định kỳ 6 tháng (trước ngày 14/6), "
        "năm (trước ngày 14/12) gửi về Ủy ban nhân dân tỉnh"
    )
    found = [(t.time.recurrence, t.time.due_date) for t in find_times(text, 2026)]
    assert found == [("half_yearly", date(2026, 6, 14)), ("yearly", date(2026, 12, 14))]
