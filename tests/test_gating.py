"""The abstention gates: coverage of what a question asks (not of the words naming its plan),
typo tolerance, figures for "bao nhiêu", comparisons across plans, and scope checks for named
agencies, several years, and a plan numbered by the decision that issues it."""

from collections import Counter

from ingest.types import Chunk, DocumentMeta, SearchHit
from retriever.query import normalize_query
from service.evidence import TermStats, match_tokens
from service.gating import ask_coverage, comparison_coverage, figure_coverage
from service.scope import missing_agency, named_agencies, question_scope

DOCS = {
    "dt": DocumentMeta(
        doc_id="dt",
        title="Thực hiện công tác phòng, chống mua bán người năm 2026",
        doc_type="Kế hoạch",
        province="Đồng Tháp",
        year=2026,
    ),
    "hd": DocumentMeta(
        doc_id="hd",
        title="Thực hiện công tác phòng, chống tội phạm năm 2024",
        doc_type="Kế hoạch",
        province="Hải Dương",
        year=2024,
    ),
}
PASSAGES = {
    "dt": [
        "Sở Lao động - Thương binh và Xã hội chủ trì tiếp nhận, hỗ trợ nạn nhân bị mua bán.",
        "Phấn đấu tỷ lệ điều tra khám phá án đạt trên 80%.",
        "Tuyên truyền trong trường học về phòng, chống mua bán người.",
    ],
    "hd": [
        "Kéo giảm ít nhất 5% số vụ phạm tội về trật tự xã hội so với năm 2023.",
        "Báo cáo kết quả trước ngày 20/12/2024.",
    ],
}


def _hits(*doc_ids: str) -> list[SearchHit]:
    hits = []
    for doc_id in doc_ids:
        for n, text in enumerate(PASSAGES[doc_id]):
            chunk = Chunk(f"{doc_id}:{n}", doc_id, str(n), "", "II. Nhiệm vụ", text)
            hits.append(SearchHit(chunk, 1.0 / (n + 1)))
    return hits


def _stats() -> TermStats:
    texts = [m.title for m in DOCS.values()] + [t for ts in PASSAGES.values() for t in ts]
    df: Counter[str] = Counter()
    folded: Counter[str] = Counter()
    for text in texts:
        tokens = set(match_tokens(text, folded=False))
        df.update(tokens)
        folded.update(set(match_tokens(text, folded=True)))
    return TermStats(sections=len(texts), df=df, folded_df=folded)


STATS = _stats()


def _ask(question: str, *doc_ids: str) -> float:
    return ask_coverage(normalize_query(question), _hits(*doc_ids), STATS, DOCS)


def test_words_naming_the_plan_do_not_count_as_evidence():
    # Every word but "tuyên truyền trường học" only names the plan: the passage that holds those
    # covers the question fully, one that does not covers little of it.
    covered = _ask("Kế hoạch năm 2026 của Đồng Tháp tuyên truyền ở trường học thế nào?", "dt")
    assert covered > 0.8
    # words the corpus uses, but in another plan
    absent = _ask("Kế hoạch năm 2026 của Đồng Tháp kéo giảm số vụ về trật tự xã hội?", "dt")
    assert absent < 0.5


def test_half_accented_and_accentless_questions_are_read_like_accented_ones():
    accented = _ask("Kế hoạch năm 2026 của Đồng Tháp tuyên truyền ở trường học thế nào?", "dt")
    typo = _ask("Kế hoach năm 2026 của Đông Tháp tuyen truyền ở truong học thế nào?", "dt")
    assert typo == accented
    assert _ask("tuyen truyen o truong hoc the nao", "dt") > 0.8


def test_a_quantity_question_needs_a_figure_on_its_topic():
    query = normalize_query(
        "Kế hoạch năm 2026 của Đồng Tháp đặt tỷ lệ điều tra khám phá án bao nhiêu?"
    )
    assert figure_coverage(query, _hits("dt"), STATS, DOCS) > 0.9
    # "nạn nhân" is discussed, never counted
    query = normalize_query("Kế hoạch năm 2026 của Đồng Tháp hỗ trợ bao nhiêu nạn nhân?")
    assert figure_coverage(query, _hits("dt"), STATS, DOCS) < 0.25
    assert ask_coverage(query, _hits("dt"), STATS, DOCS) > 0.5


def test_a_comparison_reads_one_passage_per_plan_together():
    query = normalize_query(
        "Kế hoạch của Hải Dương và Đồng Tháp khác nhau thế nào về kéo giảm số vụ phạm tội và "
        "tuyên truyền trong trường học?"
    )
    hd, dt = _hits("hd"), _hits("dt")
    hits = [hd[0], dt[2], hd[1], dt[0]]  # each plan's best passage first
    single = ask_coverage(query, hits, STATS, DOCS)
    assert comparison_coverage(query, hits, STATS, DOCS) > single
    # with one plan in the hits, it is the single-passage reading
    assert comparison_coverage(query, _hits("dt"), STATS, DOCS) == ask_coverage(
        query, _hits("dt"), STATS, DOCS
    )


def test_named_agencies_must_appear_in_the_plans_in_scope():
    assert named_agencies("Sở Ngoại vụ được giao nhiệm vụ gì?") == ["so ngoai vu"]
    assert named_agencies("Bộ Công an và Sở Giáo dục và Đào tạo") == ["bo cong an", "so giao duc"]
    # not proper names: "Bộ đội", "các sở, ban, ngành"
    assert named_agencies("Bộ đội Biên phòng và các sở, ban, ngành") == []
    plans = ["ke hoach ... so lao dong - thuong binh va xa hoi chu tri ..."]
    assert missing_agency("Sở Ngoại vụ làm gì?", plans) == "so ngoai vu"
    assert missing_agency("Sở Lao động - Thương binh và Xã hội làm gì?", plans) == ""
    # a longer name must not match inside another word
    assert missing_agency("Sở Y tế làm gì?", ["so y teo"]) == "so y te"


def test_agencies_typed_in_lower_case_or_without_accents_are_known_from_the_table():
    assert named_agencies("ke hoach giao so cong thuong nhiem vu gi?") == ["so cong thuong"]
    assert named_agencies("so ke hoach va dau tu phoi hop voi ai") == ["so ke hoach dau"]
    # "số kế hoạch", "số lao động", "cơ sở y tế" typed without accents are no agencies
    assert named_agencies("so ke hoach la gi, so lao dong duoc ho tro") == []
    assert named_agencies("co so y te phai bao cao") == []
    plans = ["... so ke hoach va dau tu chu tri ..."]
    assert missing_agency("so ke hoach va dau tu lam gi?", plans) == ""
    assert missing_agency("so ngoai vu lam gi?", plans) == "so ngoai vu"


def test_several_years_name_several_plans():
    docs = list(DOCS.values())
    scope = question_scope(
        normalize_query("Kế hoạch năm 2024 của Hải Dương và năm 2026 của Đồng Tháp khác nhau?"),
        docs,
        [],
    )
    assert scope.ok and scope.doc_ids == {"dt", "hd"}
    assert not question_scope(normalize_query("kế hoạch năm 2024 và năm 2019"), docs, []).ok
    # one year still narrows to that year's plan
    assert question_scope(normalize_query("kế hoạch năm 2024"), docs, []).doc_ids == {"hd"}


def test_a_plan_is_numbered_by_the_decision_that_issues_it():
    decision = DocumentMeta(
        doc_id="qd",
        title="Ban hành Kế hoạch thực hiện Kết luận số 13-KL/TW của Bộ Chính trị",
        doc_type="Quyết định",
        number="2224/QĐ-UBND",
        province="Quảng Ngãi",
        year=2021,
    )
    docs = [decision, *DOCS.values()]
    assert question_scope(normalize_query("kế hoạch 2224 Quảng Ngãi"), docs, []).doc_ids == {"qd"}
    assert question_scope(normalize_query("quyết định 2224"), docs, []).doc_ids == {"qd"}
    # a number no plan or decision carries, nor any title cites
    assert not question_scope(normalize_query("kế hoạch 2225 Quảng Ngãi"), docs, []).ok
    # a document the plan's title cites is in scope
    assert question_scope(normalize_query("thực hiện Kết luận 13-KL/TW"), docs, []).ok


def test_a_plan_is_not_the_plan_of_a_year_before_it_was_issued():
    # A plan "giai đoạn 2025 - 2030" issued in 2026 is not "kế hoạch năm 2025", though its
    # period starts then; a later year of its period still names it.
    period = DocumentMeta(
        doc_id="nq",
        title="Triển khai Nghị quyết về phòng, chống tội phạm giai đoạn 2025 - 2030",
        doc_type="Kế hoạch",
        province="Đồng Tháp",
        year=2026,
    )
    docs = [period]
    assert not question_scope(normalize_query("Kế hoạch năm 2025 của Đồng Tháp"), docs, []).ok
    assert question_scope(normalize_query("Kế hoạch năm 2026 của Đồng Tháp"), docs, []).ok
    assert question_scope(normalize_query("Kế hoạch năm 2027 của Đồng Tháp"), docs, []).ok
    assert question_scope(normalize_query("Kế hoạch giai đoạn 2025 - 2030"), docs, []).ok


def test_the_type_a_question_names_first_picks_the_one_plan_of_that_type():
    programme = DocumentMeta(
        doc_id="ct",
        title="Thực hiện Kết luận số 13-KL/TW của Bộ Chính trị",
        doc_type="Chương trình",
        province="Quảng Ngãi",
    )
    decision = DocumentMeta(
        doc_id="qd",
        title="Ban hành Kế hoạch thực hiện Chương trình thực hiện Kết luận số 13-KL/TW",
        doc_type="Quyết định",
        province="Quảng Ngãi",
        year=2021,
    )
    docs = [programme, decision, *DOCS.values()]

    def scope(question: str) -> set[str]:
        return set(question_scope(normalize_query(question), docs, []).doc_ids)

    assert scope("Chương trình thực hiện Kết luận 13 của Tỉnh ủy đặt chỉ tiêu gì?") == {"ct"}
    # a plan implementing the Chương trình, and a type several plans share, do not narrow
    assert "qd" in scope("Kế hoạch thực hiện Chương trình thực hiện Kết luận 13 của Quảng Ngãi")
    assert scope("Kế hoạch phòng, chống tội phạm") == {"ct", "qd", "dt", "hd"}


def test_crime_kinds_of_question_and_text_must_meet():
    from service.evidence import crime_mismatch

    query = normalize_query("Cao điểm tấn công tội phạm ma túy từ ngày nào?")
    assert crime_mismatch(query, "Mở cao điểm tấn công, trấn áp tội phạm mua bán người")
    assert not crime_mismatch(query, "tấn công tội phạm về ma túy, mua bán người")
    assert not crime_mismatch(query, "tấn công các loại tội phạm")  # no kind named
    assert not crime_mismatch(normalize_query("cao điểm từ ngày nào"), "tội phạm mua bán người")
