"""Composition rules: the answer comes from the passage that matches the question's own terms
(the agency it names, the level it asks about, the date it wants), and every citation's quote
is the document's text at the smallest section holding it.

Questions and expected facts were written by reading data/corpus/*.txt."""

import pytest

from ingest.vntext import fold
from retriever.query import normalize_query
from service.evidence import has_figure, level_mismatch

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
