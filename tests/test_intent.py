"""Intent detection with and without diacritics, and the order of precedence."""

import pytest

from ingest.vntext import fold
from service.intent import INTENTS, also_asks_who, detect_intent, secondary_intent

CASES = [
    ("Kế hoạch của các đơn vị gửi về Ủy ban nhân dân tỉnh chậm nhất ngày nào?", "deadline"),
    ("Thời hạn báo cáo 6 tháng là khi nào?", "deadline"),
    ("Thời gian thực hiện nhiệm vụ tuyên truyền là bao giờ?", "deadline"),
    ("Ban Chỉ đạo 138 cấp tỉnh họp trước ngày nào?", "deadline"),
    ("Ai chủ trì chiến dịch truyền thông phòng, chống mua bán người?", "responsibility"),
    ("Đơn vị nào phối hợp với Công an tỉnh?", "responsibility"),
    ("Cơ quan nào chịu trách nhiệm thường trực giúp UBND tỉnh?", "responsibility"),
    ("Trách nhiệm của Sở Tư pháp là gì?", "responsibility"),
    ("Tỷ lệ điều tra khám phá án đạt bao nhiêu?", "target"),
    ("Chỉ tiêu thu hồi tài sản tham nhũng là mấy %?", "target"),
    ("Phấn đấu kéo giảm số vụ phạm tội bao nhiêu phần trăm?", "target"),
    ("Ai ký Quyết định 2224/QĐ-UBND?", "metadata"),
    ("Kế hoạch được ban hành ngày nào?", "metadata"),
    ("Cơ quan nào ban hành Chương trình?", "metadata"),
    ("Số hiệu của quyết định là gì?", "metadata"),
    ("So sánh chỉ tiêu điều tra khám phá giữa các kế hoạch", "comparison"),
    ("Các kế hoạch khác nhau thế nào về thời gian báo cáo?", "comparison"),
    ("Đồng Tháp và Quảng Ngãi đặt tỷ lệ thu hồi tài sản bao nhiêu?", "comparison"),
    ("Mục đích của kế hoạch là gì?", "general"),
    ("Nội dung tuyên truyền phòng, chống tội phạm trong trường học", "general"),
    # a rate named with a time word is still a figure
    ("Tỷ lệ truy tố đúng thời hạn là bao nhiêu?", "target"),
    ("Thời gian tổ chức mít tinh hưởng ứng ngày toàn dân phòng, chống mua bán người", "deadline"),
    # asks which task, not when: "tiến độ" names the task
    ("Viện kiểm sát phải đẩy nhanh tiến độ việc gì?", "general"),
    ("Sở Tư pháp có nhiệm vụ gì?", "general"),
    # a role word keeps a task question a responsibility question
    ("Công an tỉnh chủ trì nhiệm vụ gì?", "responsibility"),
    ("Sở Y tế phối hợp với ai và thực hiện đề án gì?", "responsibility"),
    ("Những kế hoạch nào của tỉnh do ông Nguyễn Văn A ký?", "metadata"),
    # a kind of agency asked "which one" is a responsibility question
    ("Ngân hàng nào được đề nghị tham gia thực hiện nhiệm vụ này?", "responsibility"),
    # when the plan itself was drawn up is its header's date; a body founded is not
    ("Kế hoạch này được lập vào tháng nào?", "metadata"),
    ("Ban Chỉ đạo được thành lập vào năm nào?", "deadline"),
    # named days and the manner of a task are content, not a deadline or a role
    ("Kế hoạch hưởng ứng những ngày nào về phòng, chống mua bán người?", "general"),
    ("Kế hoạch yêu cầu phân công nhiệm vụ theo hướng nào?", "general"),
    ("Mục tiêu trích dẫn từ những nghị quyết đại hội nào?", "general"),
    # the issuer asked in the passive, the signer's office, a period asked "giai đoạn nào"
    ("Chương trình này do cơ quan nào của tỉnh ban hành?", "metadata"),
    ("Ông A ký kế hoạch với chức vụ gì?", "metadata"),
    ("Người nghiện được quản lý theo những văn bản nào?", "general"),
    ("Kế hoạch này là bản chính thức hay dự thảo?", "metadata"),
    ("Những cơ quan Trung ương nào được đề nghị cùng thực hiện?", "responsibility"),
    # "xã hội nào" is not "hội nào": which social evils, not which association
    ("Những loại tội phạm, tệ nạn xã hội nào có xu hướng gia tăng?", "general"),
    ("Chương trình phối hợp giữa Mặt trận và Công an áp dụng cho giai đoạn nào?", "deadline"),
    # folded "ky" is also kỳ: a review "giữa kỳ" is asked when, not who signed
    ("Kế hoạch quy định tổ chức sơ kết giữa kỳ vào ngày nào?", "deadline"),
    ("Định kỳ vào ngày nào phải gửi báo cáo?", "deadline"),
    ("Kế hoạch ký vào ngày nào?", "metadata"),
    # whether a plan mentions something, and whose it is, is content; a role word is not
    ("Kế hoạch có đề cập đến công ước quốc tế không, của tổ chức nào?", "general"),
    ("Kế hoạch có nhắc đến mô hình này không, đơn vị nào chủ trì?", "responsibility"),
    ("Thỏa thuận đó là thỏa thuận gì, của tổ chức nào?", "general"),
    ("Tổ chức nào chủ trì thỏa thuận này?", "responsibility"),
    # the i spelling of a y syllable: "định kì", "tỉ lệ"
    ("Các sở báo cáo kết quả theo định kì nào?", "deadline"),
]


@pytest.mark.parametrize(("question", "intent"), CASES)
def test_intent_with_diacritics(question, intent):
    assert detect_intent(question) == intent


@pytest.mark.parametrize(("question", "intent"), CASES)
def test_intent_without_diacritics(question, intent):
    assert detect_intent(fold(question)) == intent


def test_precedence():
    # "ban hành ngày nào" asks for the issue date, not a task deadline
    assert detect_intent("Quyết định ban hành ngày nào?") == "metadata"
    # "kế hoạch của các cơ quan" are the agencies' own plans, not a comparison of these plans
    assert detect_intent("Kế hoạch của các cơ quan gửi về khi nào?") == "deadline"
    # a province whose name contains "cà" is not "cả ... và"
    assert detect_intent("Kế hoạch của tỉnh Cà Mau và ai chủ trì?") == "responsibility"


def test_secondary_intent_of_a_comparison():
    assert secondary_intent("So sánh tỷ lệ điều tra khám phá giữa các kế hoạch") == "target"
    assert secondary_intent("Các kế hoạch giao ai chủ trì?") == "responsibility"
    assert secondary_intent("So sánh hai kế hoạch") == "general"
    assert set(INTENTS) == {
        "deadline",
        "responsibility",
        "target",
        "metadata",
        "comparison",
        "general",
    }


def test_a_target_question_may_ask_for_a_requirement_not_a_figure():
    from service.intent import asks_figure

    assert asks_figure("Tỷ lệ điều tra khám phá án đạt bao nhiêu?")
    assert asks_figure("Chỉ tiêu thu hồi tài sản là gì?")
    assert asks_figure("ty le tai pham phai duoi may %")
    assert not asks_figure("Tỷ lệ phát hiện vi phạm phải đạt yêu cầu gì?")


def test_co_so_nao_is_not_a_department():
    # "cơ sở nào" (which grassroots units) is content; "sở nào" (which department) is a role.
    assert (
        detect_intent("tăng cường cơ sở vật chất cho những đơn vị cơ sở nào?") != "responsibility"
    )
    assert detect_intent("Sở nào chủ trì việc này?") == "responsibility"


def test_a_deadline_question_may_ask_who_as_well():
    question = "Dự thảo phải trình HĐND tỉnh khi nào và do sở nào chủ trì?"
    assert detect_intent(question) == "deadline"
    assert also_asks_who(question)
    assert also_asks_who("du thao phai trinh khi nao, ai chu tri")
    assert not also_asks_who("Dự thảo phải trình HĐND tỉnh khi nào?")
