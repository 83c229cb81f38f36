"""Where an answer comes from when the best passage is not enough: the footnote listing the
"N things" a passage announces, the period a plan's title states, and the document a plan
says it implements. Constructed inputs; the end-to-end answers on the real corpus are in
tests/test_compose.py."""

from ingest.types import DocumentMeta, Section
from retriever.query import normalize_query
from service.basis import basis_statements, implemented_kind
from service.footnotes import counted_phrases, listed_items
from service.horizon import asks_plan_horizon, title_period

PLAN = DocumentMeta(
    doc_id="dt",
    title="Triển khai thực hiện Nghị quyết số 09-NQ/TU ngày 16/01/2026 của Ban Thường vụ Tỉnh ủy "
    "về lãnh đạo công tác phòng, chống tội phạm trên địa bàn tỉnh Đồng Tháp giai đoạn 2025 - 2030",
    doc_type="Kế hoạch",
    province="Đồng Tháp",
    issuer="Ủy ban nhân dân tỉnh Đồng Tháp",
    year=2026,
)


def test_a_count_before_a_noun_is_read_but_not_a_year_or_date():
    assert counted_phrases("theo 05 Nghị quyết của Bộ Chính trị") == {(5, "nghi")}
    assert (3, "loai") in counted_phrases("và 03 loại thủ đoạn hoạt động của tội phạm")
    assert counted_phrases("giai đoạn 2025 - 2030, ngày 16/01/2026") == set()


def test_a_footnote_counts_its_numbered_items_else_its_parts():
    assert listed_items("(1) Phương thức truyền thông; (2) Cũ; (3) Phương thức mới.") == 3
    assert listed_items("Nghị quyết số 57-NQ/TW ...; Nghị quyết số 59-NQ/TW ...") == 2


def test_the_period_of_a_plan_is_read_from_its_title():
    assert title_period(PLAN) == "giai đoạn 2025 - 2030"
    long = DocumentMeta(
        doc_id="qn",
        title="Chiến lược quốc gia phòng, chống tội phạm giai đoạn 2016 - 2025 và định hướng "
        "đến năm 2030 trên địa bàn tỉnh",
    )
    assert title_period(long) == "giai đoạn 2016 - 2025 và định hướng đến năm 2030"
    assert title_period(DocumentMeta(doc_id="x", title="Thực hiện Kết luận số 13-KL/TW")) == ""


def test_only_a_question_about_the_plan_as_a_whole_asks_its_period():
    def asks(question: str) -> bool:
        return asks_plan_horizon(normalize_query(question), question, PLAN)

    assert asks("Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp thực hiện đến năm nào?")
    assert asks("ke hoach trien khai nghi quyet 09 cua dong thap thuc hien trong giai doan nao")
    # a task's year is not the plan's period
    assert not asks("Đến năm nào phải hoàn thành xây dựng lực lượng Công an nhân dân?")
    assert not asks("Kế hoạch triển khai Nghị quyết 09-NQ/TU ban hành ngày nào?")


def test_what_a_plan_implements_is_its_title_or_opening():
    assert implemented_kind("Kế hoạch triển khai nghị quyết số mấy?") == "nghi quyet"
    assert implemented_kind("được ban hành để thực hiện kế hoạch số mấy của Đảng ủy?") == "ke hoach"
    assert implemented_kind("Kế hoạch số mấy?") == ""
    opening = Section(
        doc_id="dt",
        path="preamble",
        label="preamble",
        title="",
        text="Thực hiện Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy Ủy ban nhân dân tỉnh, "
        "Ủy ban nhân dân tỉnh ban hành kế hoạch như sau:",
        level=1,
        parent_path=None,
        order=0,
        kind="preamble",
    )
    sections = {"preamble": opening}
    # the title cites the resolution; the opening cites the higher plan
    assert basis_statements(PLAN, sections, "nghi quyet") == [("", PLAN.title)]
    assert basis_statements(PLAN, sections, "ke hoach") == [("preamble", opening.text)]
    assert basis_statements(PLAN, sections, "chi thi") == []
