"""Composition rules: the answer comes from the passage that matches the question's own terms
(the agency it names, the level it asks about, the date it wants), and every citation's quote
is the document's text at the smallest section holding it.

Questions and expected facts were written by reading data/corpus/*.txt."""

import pytest

from ingest.vntext import fold
from retriever.query import normalize_query
from service.evidence import has_figure, level_match, level_mismatch

QN = "001_9b6bcd664ed356bd"
HD = "003_b39ee1c3d8cc53e2"
DT = "000_c6e6a45670724e7f"


def test_years_are_not_the_figure_a_target_asks_for():
    assert not has_figure("giai đoạn 2023 – 2030")
    assert not has_figure("trong năm 2026")
    assert has_figure("kéo giảm ít nhất 10% số vụ phạm tội năm 2026")
    assert has_figure("06 “Công an phường điển hình”")
    assert has_figure("2.000 người")


def test_a_clause_about_another_administrative_level_is_a_mismatch():
    query = normalize_query("Ban Chỉ đạo 138 cấp huyện họp trước ngày nào?")
    assert level_mismatch(query, "Ban Chỉ đạo 138 cấp xã tổ chức họp trước ngày 18")
    assert not level_mismatch(query, "cấp huyện tổ chức họp trước ngày 22 tháng cuối quý")
    assert not level_mismatch(query, "tổ chức họp trước ngày 22 tháng cuối quý")
    plain = normalize_query("Ban Chỉ đạo 138 họp trước ngày nào?")
    assert not level_mismatch(plain, "cấp xã tổ chức họp trước ngày 18")


@pytest.fixture(scope="module")
def answerer(built_index):
    from service.answering import build_answerer

    return build_answerer(built_index)


@pytest.fixture(scope="module")
def section_texts(built_index):
    from ingest.index import open_index

    index = open_index(built_index)
    return {
        (meta.doc_id, s.path): f"{s.title}\n{s.text}"
        for meta in index.documents()
        for s in index.sections(meta.doc_id)
    }


# (question, facts the answer must hold, document, section path prefix every citation is under,
#  text no citation may quote)
CASES = [
    (
        # The duty listed under the agency the question names, not the best passage anywhere.
        "Trong kế hoạch thực hiện Kết luận 13 của Quảng Ngãi, Sở Giao thông vận tải có nhiệm vụ gì?",
        ["tuyến giao thông"], QN, "KH.III.7", "",
    ),
    (
        "Sở Tài nguyên và Môi trường Quảng Ngãi phải tăng cường xử lý vi phạm nào theo kế hoạch "
        "thực hiện Kết luận 13?",
        ["khai thác trái phép khoáng sản"], QN, "KH.III.20", "",
    ),
    (
        # Parallel clauses of one sentence: the asked level's clause, not its neighbour's.
        "Ban Chỉ đạo 138 cấp huyện ở Hải Dương họp hằng quý trước ngày nào?",
        ["22 tháng cuối quý"], HD, "III.1", "cấp xã",
    ),
    (
        # A question asking for a date is answered with the clause stating it.
        "Theo kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp, sơ kết hằng năm phải "
        "gửi trước ngày nào?",
        ["15/12"], DT, "IV.2", "",
    ),
    (
        # One sentence, several times: the time of the clause the question asks about.
        "Theo kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp, báo cáo tổng kết gửi "
        "trước ngày nào?",
        ["15/12/2030"], DT, "IV.2", "hàng năm trước ngày 15/12;",
    ),
    (
        # The clause naming the level asked about, over one naming no level.
        "Theo kế hoạch năm 2024 của Hải Dương, Ban Chỉ đạo 138 cấp tỉnh họp hằng quý trước "
        "ngày nào?",
        ["25 tháng cuối quý"], HD, "III.1", "đột xuất báo cáo",
    ),
    (
        # "có nhiệm vụ gì" asks for every item under the agency, not the best one.
        "Sở Y tế Quảng Ngãi có nhiệm vụ gì theo kế hoạch thực hiện Kết luận 13?",
        ["Công an tỉnh", "giai đoạn 2021 - 2025"], QN, "KH.III.11", "",
    ),
    (
        # "qua cơ quan nào": the clause stating the route, not the task's role lines.
        "Theo kế hoạch phòng chống tội phạm năm 2024 của Hải Dương, kế hoạch của các đơn vị "
        "gửi về Ban Chỉ đạo 138 tỉnh qua cơ quan nào?",
        ["qua Công an tỉnh"], HD, "III.1", "",
    ),
    (
        # When a decision takes effect: its article saying so, not a task naming it.
        "Quyết định 2224/QĐ-UBND của Quảng Ngãi có hiệu lực từ khi nào?",
        ["kể từ ngày ký"], QN, "Điều2", "",
    ),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("question", "facts", "doc_id", "path", "not_quoted"), CASES)
def test_answer_comes_from_the_matching_passage(
    answerer, section_texts, question, facts, doc_id, path, not_quoted
):
    answer = answerer.answer(question)
    assert not answer.abstained, answer
    for fact in facts:
        assert fold(fact) in fold(answer.answer), answer.answer
    assert answer.citations
    assert len(answer.answer) <= 700
    for citation in answer.citations:
        assert citation.doc_id == doc_id
        assert citation.section_path == path or citation.section_path.startswith(path + ".")
        # The quote is the document's own text, in the section the citation names.
        assert citation.quote in section_texts[(citation.doc_id, citation.section_path)]
        if not_quoted:
            assert not_quoted not in citation.quote
    assert any(fold(facts[0]) in fold(c.quote) for c in answer.citations)


@pytest.mark.slow
def test_who_does_a_task_is_read_from_its_role_lines(answerer):
    # 002 II.6: "Tổ chức các lớp tập huấn chuyên sâu về hệ thống văn bản pháp luật mới ..."
    # followed by "Đơn vị thực hiện: Sở Tư pháp, Công an tỉnh, ...".
    answer = answerer.answer(
        "Những đơn vị nào thực hiện việc tập huấn chuyên sâu về hệ thống văn bản pháp luật mới "
        "cho lực lượng trực tiếp đấu tranh, xử lý tội phạm ở Đồng Tháp năm 2026?"
    )
    assert not answer.abstained
    assert "Sở Tư pháp" in answer.answer
    assert any("Sở Tư pháp" in c.quote for c in answer.citations)


@pytest.mark.slow
def test_a_counted_list_is_completed_by_the_footnote_listing_it(answerer, section_texts):
    answer = answerer.answer("Kế hoạch năm 2024 của Hải Dương nêu 03 loại thủ đoạn hoạt động nào?")
    assert not answer.abstained
    assert "Phương thức truyền thông" in answer.answer
    assert "Phương thức thủ đoạn mới, hành vi mới" in answer.answer
    notes = [c for c in answer.citations if c.section_path.startswith("fn")]
    assert notes and notes[0].doc_id == HD
    assert notes[0].quote in section_texts[(HD, notes[0].section_path)]


@pytest.mark.slow
def test_the_period_of_a_plan_as_a_whole_is_its_titles(answerer):
    answer = answerer.answer(
        "Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp thực hiện trong giai đoạn nào?"
    )
    assert not answer.abstained
    assert "2025 - 2030" in answer.answer
    assert answer.citations[0].doc_id == DT
    assert answer.citations[0].quote in answer.citations[0].doc_title


@pytest.mark.slow
def test_what_a_plan_implements_is_read_from_its_opening(answerer, section_texts):
    answer = answerer.answer(
        "Kế hoạch phòng, chống tội phạm, mua bán người năm 2026 của Đồng Tháp được ban hành để "
        "thực hiện quyết định số mấy?"
    )
    assert not answer.abstained
    assert "623/QĐ-TTg" in answer.answer
    citation = answer.citations[0]
    assert citation.section_path == "preamble"
    assert citation.quote in section_texts[(citation.doc_id, "preamble")]


def test_a_clause_naming_the_level_asked_about_is_a_match():
    query = normalize_query("Ban Chỉ đạo 138 cấp tỉnh họp trước ngày nào?")
    assert level_match(query, "cấp tỉnh họp trước ngày 25 tháng cuối quý")
    assert not level_match(query, "cấp xã tổ chức họp trước ngày 18")
    assert not level_match(query, "Định kỳ hằng quý báo cáo kết quả")
    assert not level_match(normalize_query("họp trước ngày nào?"), "cấp tỉnh họp")


def test_what_a_time_must_state_follows_the_question() -> None:
    from service.compose import _asked_time_form, _has_date, _has_year

    assert _asked_time_form("Báo cáo phải gửi trước ngày nào?") is _has_date
    assert _asked_time_form("Lực lượng này phải hiện đại vào năm nào?") is _has_year
    assert _asked_time_form("den nam nao phai hoan thanh") is _has_year
    assert _asked_time_form("Khi nào tổ chức sơ kết?") is None
    # a year stands alone: not a date's year, not a document code's
    assert _has_year("cơ bản hoàn thành vào năm 2025")
    assert _has_year("giai đoạn 2021 - 2025")
    assert not _has_year("Kế hoạch số 58-KH/ĐU ngày 28/4/2026")
    assert not _has_year("Thời gian thực hiện: Thường xuyên.")


def test_a_figure_must_be_of_the_kind_asked_and_not_named_by_the_question() -> None:
    from service.compose import _ASKS_MONEY, _MONEY, _without_numbers

    # "Tổ công tác 151" names a team; its number is not a count of anything
    assert not has_figure(_without_numbers("Phát huy hiệu quả các Tổ công tác 151.", {"151"}))
    assert has_figure(_without_numbers("Tổ công tác 151 có 12 cán bộ.", {"151"}))
    assert _without_numbers("1510 người; 151,5%", {"151"}) == "1510 người; 151,5%"
    # money asked: a percentage is not an amount
    assert _ASKS_MONEY.search(fold("Mức tiền thưởng cho người tố giác là bao nhiêu?"))
    assert not _ASKS_MONEY.search(fold("Tỷ lệ tiếp nhận tố giác là bao nhiêu?"))
    assert _MONEY.search("thưởng 5 triệu đồng") and not _MONEY.search("đạt 100%")


def test_a_metadata_question_gets_every_field_it_asks_for_in_its_order() -> None:
    from service.compose import metadata_field, metadata_fields

    question = "Kế hoạch do cơ quan nào ban hành và người ký giữ chức vụ gì?"
    assert metadata_fields(question) == ["issuer", "signer"]
    assert metadata_field(question) == "issuer"
    assert metadata_fields("ke hoach so hieu va ngay ban hanh la gi") == ["number", "date"]
    assert metadata_fields("Ai ký kế hoạch?") == ["signer"]
    assert metadata_fields("Kế hoạch triển khai nghị quyết số mấy?") == []


def test_a_question_about_whom_a_report_goes_to_reads_the_sentence_naming_them() -> None:
    from service.compose import _RELATIONS

    asked, stated = _RELATIONS[1]
    assert asked.search(fold("UBND tỉnh báo cáo kết quả thực hiện lên cơ quan nào?"))
    assert not asked.search(fold("Cơ quan nào chủ trì báo cáo kết quả?"))
    assert stated.search(
        fold("để phục vụ Ủy ban nhân dân tỉnh báo cáo Đảng ủy Ủy ban nhân dân tỉnh")
    )
    assert not stated.search(fold("Định kỳ báo cáo kết quả thực hiện."))
