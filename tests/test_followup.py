import pytest

from service.followup import resolve_followup

PREVIOUS = "Kế hoạch phòng, chống tội phạm năm 2026 của Đồng Tháp giao ai chủ trì tuyên truyền?"


@pytest.mark.parametrize(
    "followup",
    [
        "còn Hải Dương thì sao?",
        "Còn Hải Dương?",
        "thế còn Hải Dương thì thế nào?",
        "con hai duong thi sao",
    ],
)
def test_followup_swaps_the_province(followup):
    resolved = resolve_followup(followup, PREVIOUS)
    assert "Đồng Tháp" not in resolved
    assert "hải dương" in resolved.lower()
    assert resolved.startswith("Kế hoạch phòng, chống tội phạm năm 2026 của ")
    assert resolved.endswith("giao ai chủ trì tuyên truyền?")


def test_followup_swaps_the_year():
    assert resolve_followup("còn năm 2024 thì sao?", PREVIOUS) == PREVIOUS.replace("2026", "2024")


def test_followup_without_a_matching_slot_appends_the_subject():
    resolved = resolve_followup("còn Sở Y tế thì sao?", "Ai chủ trì tuyên truyền?")
    assert resolved == "Ai chủ trì tuyên truyền – Sở Y tế?"


def test_followup_province_on_a_question_without_one():
    resolved = resolve_followup("còn Hải Dương thì sao?", "Ai chủ trì tuyên truyền?")
    assert resolved == "Ai chủ trì tuyên truyền ở Hải Dương?"


@pytest.mark.parametrize(
    "question",
    [
        "Ai chủ trì tuyên truyền ở Hải Dương?",
        "Công an tỉnh còn phải làm gì?",
        "Các đơn vị còn lại thực hiện thế nào?",
    ],
)
def test_standalone_questions_are_left_alone(question):
    assert resolve_followup(question, PREVIOUS) == question


def test_no_previous_question_means_no_rewrite():
    assert resolve_followup("còn Hải Dương thì sao?", None) == "còn Hải Dương thì sao?"
