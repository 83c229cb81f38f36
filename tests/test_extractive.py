"""The extractive answerer on the real corpus: each intent answered with the plan's own words
and a citation whose quote holds the fact; abstention for what the plans do not hold.

Questions and expected facts were written by reading data/corpus/*.txt."""

import pytest

from ingest.types import DocumentMeta
from ingest.vntext import fold
from retriever.query import normalize_query
from service.citations import trim_quote
from service.evidence import clause_spans, sentence_spans
from service.scope import question_scope
from service.types import ABSTAIN_MESSAGE

# (question, intent, fact that must be in the answer and in a citation quote, document)
ANSWERABLE = [
    (
        "Kế hoạch của các cơ quan, đơn vị, địa phương phải gửi về Ủy ban nhân dân tỉnh Đồng Tháp "
        "chậm nhất ngày nào để tổng hợp?",
        "deadline", "20/5/2026", "000_c6e6a45670724e7f",
    ),
    (
        "Thời gian mở cao điểm tấn công, trấn áp tội phạm mua bán người là khi nào?",
        "deadline", "30/9/2026", "002_eaf36e0f570538e5",
    ),
    (
        "Ban Chỉ đạo 138 cấp tỉnh họp trước ngày nào trong tháng cuối quý?",
        "deadline", "trước ngày 25 tháng cuối quý", "003_b39ee1c3d8cc53e2",
    ),
    (
        "Ai chủ trì tổ chức chiến dịch truyền thông về phòng, chống mua bán người trong học sinh, "
        "sinh viên?",
        "responsibility", "Công an tỉnh", "002_eaf36e0f570538e5",
    ),
    (
        "Đơn vị nào chủ trì lồng ghép tuyên truyền phòng, chống tội phạm vào hoạt động văn hóa, "
        "nghệ thuật, thể dục, thể thao và du lịch?",
        "responsibility", "Sở Văn hóa - Thể thao và Du lịch", "002_eaf36e0f570538e5",
    ),
    (
        "Ai chủ trì tuần tra, kiểm soát trên tuyến biên giới và phòng chống khai thác hải sản "
        "bất hợp pháp IUU?",
        "responsibility", "Bộ Chỉ huy Quân sự tỉnh (Ban Chỉ huy Bộ đội Biên phòng)",
        "002_eaf36e0f570538e5",
    ),
    (
        "Tỷ lệ thu hồi tài sản trong các vụ án tham nhũng của Đồng Tháp giai đoạn 2025-2030 phải "
        "đạt bao nhiêu?",
        "target", "65%", "000_c6e6a45670724e7f",
    ),
    (
        "Kế hoạch năm 2024 của Hải Dương đặt tỷ lệ điều tra, khám phá các loại tội phạm đạt bao nhiêu?",
        "target", "75%", "003_b39ee1c3d8cc53e2",
    ),
    (
        "Chương trình của Ban Thường vụ Tỉnh ủy đặt chỉ tiêu tỉ lệ tái phạm tội dưới bao nhiêu "
        "phần trăm?",
        "target", "15%", "004_836614bf9213366e",
    ),
    ("Ai ký Quyết định 2224/QĐ-UBND?", "metadata", "Đặng Văn Minh", "001_9b6bcd664ed356bd"),
    (
        "Kế hoạch phòng, chống tội phạm năm 2024 của Hải Dương do ai ký?",
        "metadata", "Triệu Thế Hùng", "003_b39ee1c3d8cc53e2",
    ),
    (
        "Phương châm đi từng ngõ, gõ từng nhà, rà từng người được áp dụng trong công tác nào?",
        "general", "đi từng ngõ, gõ từng nhà, rà từng người", "001_9b6bcd664ed356bd",
    ),
]  # fmt: skip

UNANSWERABLE = [
    # a province the corpus does not cover
    "Kế hoạch của tỉnh Cà Mau năm 2026 giao ai chủ trì công tác phòng, chống tội phạm?",
    # a year no plan is about
    "Kế hoạch phòng, chống tội phạm năm 2018 giao Công an tỉnh chủ trì việc gì?",
    "Kế hoạch phòng, chống tội phạm năm 2023 của tỉnh Hải Dương đặt chỉ tiêu gì?",
    # a document the corpus does not hold
    "Quyết định số 1234/QĐ-UBND do ai ký?",
    # facts the plans do not state
    "Lương tối thiểu vùng năm 2026 là bao nhiêu?",
    "Thời hạn nộp hồ sơ xin cấp giấy phép xây dựng là bao lâu?",
    "Kế hoạch quy định gì về phòng cháy chữa cháy rừng?",
]


@pytest.fixture(scope="module")
def answerer(built_index):
    from service.answering import build_answerer

    answerer = build_answerer(built_index)
    assert answerer.name == "extractive"
    return answerer


def _holds(text: str, fact: str) -> bool:
    return fold(fact) in fold(text)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "intent", "fact", "doc_id"), ANSWERABLE)
@pytest.mark.parametrize("accents", [True, False], ids=["accented", "accentless"])
def test_each_intent_is_answered_from_the_right_passage(
    answerer, question, intent, fact, doc_id, accents
):
    answer = answerer.answer(question if accents else fold(question))
    assert not answer.abstained, answer
    assert answer.intent == intent
    assert _holds(answer.answer, fact), answer.answer
    quoting = [c for c in answer.citations if _holds(c.quote, fact)]
    assert quoting, answer.citations
    assert quoting[0].doc_id == doc_id
    assert len(answer.answer) < 600


@pytest.mark.slow
def test_quotes_are_the_documents_own_text(answerer, built_index):
    from ingest.index import open_index

    index = open_index(built_index)
    for question, _, _, _ in ANSWERABLE:
        for citation in answerer.answer(question).citations:
            assert citation.doc_title
            if not citation.section_path:  # header metadata
                continue
            section = index.section(citation.doc_id, citation.section_path)
            subtree = "\n".join(
                f"{s.title}\n{s.text}"
                for s in index.sections(citation.doc_id)
                if s.path == section.path or s.path.startswith(section.path + ".")
            )
            chunk_text = index.chunk(citation.chunk_id).text if citation.chunk_id else ""
            assert citation.quote in subtree or citation.quote in chunk_text, citation


@pytest.mark.slow
@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_on_what_the_plans_do_not_hold(answerer, question):
    for asked in (question, fold(question)):
        answer = answerer.answer(asked)
        assert answer.abstained, answer
        assert answer.answer == ABSTAIN_MESSAGE
        assert answer.citations == ()


@pytest.mark.slow
def test_timings_and_bad_requests(answerer):
    from ingest.errors import BadRequest

    answer = answerer.answer("Ai ký Quyết định 2224/QĐ-UBND?")
    assert {"retrieve", "answer", "total"} <= set(answer.timings_ms)
    assert answer.timings_ms["total"] >= answer.timings_ms["retrieve"]
    with pytest.raises(BadRequest):
        answerer.answer("   ")


# --- pure parts ----------------------------------------------------------------------------


def test_sentences_and_clauses_split_on_the_document_structure():
    text = (
        "+ Đơn vị chủ trì: Công an tỉnh.\n"
        "Định kỳ hằng quý, cấp xã họp trước ngày 18; cấp tỉnh họp trước ngày 25. Tiếp theo là câu"
        " khác. viết tắt là NQ."
    )
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    assert sentences[0] == "+ Đơn vị chủ trì: Công an tỉnh."
    assert sentences[1].startswith("Định kỳ") and sentences[1].endswith("ngày 25.")
    assert sentences[2] == "Tiếp theo là câu khác. viết tắt là NQ."
    clauses = [(text[a:b], text[s:e]) for a, b, s, e in clause_spans(text)]
    assert ("cấp tỉnh họp trước ngày 25.", sentences[1]) in clauses


def test_trim_quote_keeps_the_fact_and_stays_a_substring():
    text = ", ".join(f"mệnh đề số {i}" for i in range(60)) + ", hạn chót ngày 20/5/2026, hết."
    quote = trim_quote(text, (text.index("20/5/2026"), text.index("20/5/2026") + 9), limit=120)
    assert "20/5/2026" in quote
    assert quote in text
    assert len(quote) <= 140
    assert trim_quote("ngắn gọn.") == "ngắn gọn."


def _meta(doc_id, province, year, number="", title="Kế hoạch"):
    return DocumentMeta(doc_id=doc_id, title=title, province=province, year=year, number=number)


def test_scope_of_province_year_and_number():
    docs = [
        _meta("a", "Đồng Tháp", 2026, title="Kế hoạch giai đoạn 2025 - 2030"),
        _meta("b", "Quảng Ngãi", 2021, "2224/QĐ-UBND", "Kế hoạch giai đoạn 2016 - 2025"),
    ]
    assert question_scope(normalize_query("Kế hoạch tỉnh Cà Mau"), docs, []).problem
    assert question_scope(normalize_query("kế hoạch năm 2019"), docs, []).problem  # older period
    ok = question_scope(normalize_query("kế hoạch năm 2027 của Đồng Tháp"), docs, [])
    assert ok.ok and ok.doc_ids == {"a"}
    assert question_scope(normalize_query("Đồng Tháp năm 2021"), docs, []).problem
    assert question_scope(normalize_query("Quyết định 2224/QĐ-UBND"), docs, []).doc_ids == {"b"}
    assert question_scope(normalize_query("Quyết định 1234/QĐ-UBND"), docs, []).problem
    assert question_scope(normalize_query("tỷ lệ điều tra"), docs, []).doc_ids == {"a", "b"}
    # comparing a plan named by number with another named by province and year
    both = question_scope(
        normalize_query("Quyết định 2224 của Quảng Ngãi và kế hoạch năm 2026 của Đồng Tháp"),
        docs,
        [],
    )
    assert both.ok and both.doc_ids == {"a", "b"}


def test_scope_of_the_plan_implementing_the_resolution_named():
    # two plans of one province and year: the one whose title implements the resolution
    docs = [
        _meta("a", "Đồng Tháp", 2026, title="Triển khai thực hiện Nghị quyết số 09-NQ/TU"),
        _meta("c", "Đồng Tháp", 2026, title="Phòng, chống mua bán người năm 2026"),
    ]
    query = normalize_query("Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp")
    assert question_scope(query, docs, []).doc_ids == {"a"}
    # ... unless the question compares it with the other
    assert question_scope(query, docs, [], compares=True).doc_ids == {"a", "c"}


def test_a_duty_the_implementing_plan_does_not_assign_gets_an_abstention(answerer):
    # Sở Y tế has tasks in Đồng Tháp's other plan of 2026, none in the one implementing NQ 09
    answer = answerer.answer(
        "Theo kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp, Sở Y tế phải làm gì?"
    )
    assert answer.abstained


def test_comparison_answers_each_plan_named_even_across_provinces(answerer):
    # One plan named by what it implements (KL 13, Quảng Ngãi), the other by province and year.
    answer = answerer.answer(
        "Chỉ tiêu tỉ lệ tái phạm tội của người chấp hành xong án phạt tù trong Chương trình "
        "thực hiện KL 13 và trong kế hoạch mua bán người năm 2026 của Đồng Tháp khác nhau ra sao?"
    )
    assert answer.intent == "comparison" and not answer.abstained
    lines = answer.answer.splitlines()
    assert len(lines) >= 2 and all(line.startswith("- ") for line in lines)
    assert "15%" in answer.answer and "1,5%" in answer.answer
    cited = {c.doc_id for c in answer.citations}
    assert {"004_836614bf9213366e", "002_eaf36e0f570538e5"} <= cited


def test_general_answer_joins_the_next_clause_that_holds_what_is_asked(answerer):
    # The item's first sentence names the topic; the ban is stated in the sentence after it.
    answer = answerer.answer(
        "Trong kế hoạch thực hiện Kết luận 13 của Quảng Ngãi, khi điều tra vụ án hình sự thì "
        "nghiêm cấm điều gì?"
    )
    assert not answer.abstained
    assert "bức cung" in answer.answer
    assert any("bức cung" in c.quote for c in answer.citations)


def test_signer_answer_gives_the_office_signed_for(answerer):
    answer = answerer.answer("Ai ký Chương trình thực hiện Kết luận 13-KL/TW của Tỉnh ủy?")
    assert answer.intent == "metadata"
    assert "Đặng Ngọc Huy" in answer.answer and "PHÓ BÍ THƯ" in answer.answer


def test_plans_signed_by_a_named_person_are_listed_in_full(answerer):
    answer = answerer.answer("Ông Phạm Thành Ngại đã ký những kế hoạch nào?")
    assert not answer.abstained
    cited = {c.doc_id for c in answer.citations}
    assert cited == {"000_c6e6a45670724e7f", "002_eaf36e0f570538e5"}
    assert "mua bán người" in answer.answer  # the full title, not its first ten words
    # The citation's fields keep their types (a float in chunk_id was an HTTP 500).
    assert all(isinstance(c.chunk_id, str) and c.score == 1.0 for c in answer.citations)


def test_duties_of_a_named_agency_are_the_tasks_it_leads(answerer):
    answer = answerer.answer(
        "Trong kế hoạch phòng, chống mua bán người năm 2026 của Đồng Tháp, BCHQS tỉnh chủ trì "
        "những nhiệm vụ gì?"
    )
    assert not answer.abstained
    assert answer.answer.startswith("Bộ Chỉ huy Quân sự tỉnh chủ trì:")
    # The plan's tasks whose "Đơn vị chủ trì" line names it: II.3 and II.5.
    assert answer.citations
    for citation in answer.citations:
        assert (citation.doc_id, citation.section_path) in {
            ("002_eaf36e0f570538e5", "II.3"),
            ("002_eaf36e0f570538e5", "II.5"),
        }


def test_an_agency_that_leads_no_task_of_the_plan_gets_an_abstention(answerer):
    plan = "Theo kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp"
    # Sở Y tế is named in no "Đơn vị chủ trì" line of plan 000; Công an tỉnh leads many.
    assert answerer.answer(f"{plan}, Sở Y tế chủ trì nhiệm vụ nào?").abstained
    led = answerer.answer(f"{plan}, Công an tỉnh chủ trì nhiệm vụ nào?")
    assert not led.abstained and led.answer.startswith("Công an tỉnh chủ trì:")


def test_the_directives_a_sentence_lists_are_named_each(answerer):
    # 004 II.2.1.a: "Gắn việc ... thực hiện Kết luận số 13-KL/TW với thực hiện Chỉ thị số
    # 46-CT/TW ...; Kết luận số 32-KL/TW ...; Chỉ thị số 36-CT/TW ..." — every item of the
    # list by number and date, not the one the question names, and the sentence as citation.
    answer = answerer.answer(
        "Theo Chương trình của Ban Thường vụ Tỉnh ủy thực hiện Kết luận 13, việc lãnh đạo thực "
        "hiện Kết luận gắn với những chỉ thị nào của Bộ Chính trị?"
    )
    assert not answer.abstained
    assert answer.answer.startswith("Chỉ thị số 46-CT/TW ngày 22/6/2015; Kết luận số 32-KL/TW")
    assert "Chỉ thị số 36-CT/TW ngày 16/8/2019" in answer.answer
    assert "13-KL/TW" not in answer.answer
    cited = answer.citations[0]
    assert (cited.doc_id, cited.section_path) == ("004_836614bf9213366e", "II.2.1.a")
    assert "46-CT/TW" in cited.quote


def test_the_one_plan_of_the_type_named_is_the_one_answered_from(answerer):
    # "Chương trình thực hiện KL 13" is 004, though 001's title also says "Chương trình".
    answer = answerer.answer(
        "Chương trình thực hiện KL 13 giao những cơ quan nào tham mưu, thực hiện nhiệm vụ gắn "
        "chặt việc chỉ đạo phát triển kinh tế - xã hội với phòng ngừa tội phạm?"
    )
    assert not answer.abstained
    assert "Ban cán sự đảng Ủy ban nhân dân tỉnh" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"004_836614bf9213366e"}


def test_every_section_of_a_chunk_is_located_at_its_own_lines(built_index):
    # Items of a branch absent from a chunk may open like the chunk's own ("b) Tiếp tục thực
    # hiện Đề án ..." under both 11. Sở Y tế and 14. Ngân hàng Nhà nước of file 001): every
    # section's opening words must still be cited at that section, never at a look-alike.
    from service.answering import build_answerer
    from service.citations import SectionTitles

    index = build_answerer(built_index)._index_state().index
    titles = SectionTitles(index)
    checked, misplaced = 0, []
    for meta in index.documents():
        sections = index.sections(meta.doc_id)
        chunk_ids = [f"{meta.doc_id}:{s.path}:{n}" for s in sections for n in range(1, 40)]
        for chunk in index.chunks(chunk_ids):
            for section in sections:
                probe = (section.title or section.text).strip()  # whole: look-alikes differ later
                if len(probe) < 30 or chunk.text.count(probe) != 1:
                    continue
                if not (section.path + ".").startswith(chunk.section_path + "."):
                    continue
                at = chunk.text.index(probe)
                if at - (chunk.text.rfind("\n", 0, at) + 1) > 8:
                    continue  # not where the section opens: its words inside another's text
                found = titles.section_at(chunk, at)
                checked += 1
                if found is None or found.path != section.path:
                    misplaced.append((chunk.chunk_id, section.path, found and found.path))
    assert checked > 200
    assert not misplaced, misplaced[:10]


def test_a_question_asking_which_documents_gets_the_sentence_that_lists_them(answerer):
    # The clause matching the question ends before the documents the sentence goes on to list.
    answer = answerer.answer(
        "Kế hoạch năm 2024 của Hải Dương: người nghiện ma túy, người có biểu hiện ngáo đá được"
        " quản lý theo những quy định nào?"
    )
    assert answer.intent == "general" and not answer.abstained
    for cited in ("Luật Phòng, chống ma túy", "105/2021/NĐ-CP", "18/2021/TT-BYT"):
        assert cited in answer.answer
    assert not answer.answer.startswith("- ")  # the list label is not part of the answer
    assert answer.citations[0].section_path == "II.2.b.-8"


def test_words_of_an_agency_name_scattered_in_a_question_do_not_name_it(answerer):
    # "so sánh", "kế hoạch", "trật tự", "và" hold most words of "Sở Kế hoạch và Đầu tư".
    answer = answerer.answer(
        "So sánh mục tiêu chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội"
        " giữa kế hoạch của Quảng Ngãi năm 2021 và Hải Dương năm 2024?"
    )
    assert "Kế hoạch và Đầu tư" not in answer.answer
    assert "KH.III.17" not in [c.section_path for c in answer.citations]


@pytest.mark.parametrize(
    ("question", "status"),
    [
        (
            "Kế hoạch năm 2026 của Đồng Tháp về mua bán người là bản chính thức hay dự thảo?",
            "chính thức",
        ),
        (
            "ke hoach phong chong toi pham nam 2024 cua hai duong co phai ban du thao khong",
            "dự thảo",
        ),
    ],
)
def test_draft_or_issued_is_read_from_the_header(answerer, question, status):
    answer = answerer.answer(question)
    assert answer.intent == "metadata" and not answer.abstained
    assert f"bản {status}" in answer.answer
    assert answer.citations[0].section_path == ""


def test_a_count_is_not_answered_by_a_share_of_it(answerer):
    # The plan sets "30% số đối tượng truy nã hiện có" as a target; it never says how many.
    answer = answerer.answer(
        "Theo Quyết định 2224, toàn tỉnh Quảng Ngãi hiện có bao nhiêu đối tượng truy nã?"
    )
    assert answer.abstained


def test_a_comparison_is_judged_on_what_it_compares_not_on_its_comparing_words(answerer):
    # "có khác nhau không", "kèm theo" ask for the comparison or name a plan; the goal heading
    # ("Mục tiêu cụ thể") is part of what each plan's line states.
    answer = answerer.answer(
        "Kế hoạch kèm theo Quyết định 2224 và Chương trình thực hiện Kết luận 13 đặt mục tiêu"
        " giảm tổng số vụ phạm tội hình sự đến năm 2025 ra sao, có khác nhau không?"
    )
    assert answer.intent == "comparison" and not answer.abstained
    assert {c.doc_id for c in answer.citations} == {"001_9b6bcd664ed356bd", "004_836614bf9213366e"}
    assert answer.answer.count("05%") == 2


def test_which_task_a_topic_comes_up_in_is_named_by_its_sentence_opening(answerer):
    answer = answerer.answer(
        "Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp có nhắc đến “tín dụng đen”"
        " không, trong nhiệm vụ nào?"
    )
    assert not answer.abstained
    assert answer.answer.startswith("Có, trong nhiệm vụ: “Chủ động tấn công, trấn áp")
    assert "tín dụng đen" in answer.answer
    assert len(answer.citations) == 2
    for citation in answer.citations:
        assert (citation.doc_id, citation.section_path) == ("000_c6e6a45670724e7f", "III.3.-2")


@pytest.mark.parametrize(
    ("crime", "answered"), [("mua bán người", True), ("ma túy", False), ("công nghệ cao", False)]
)
def test_a_time_set_for_another_kind_of_crime_does_not_answer(answerer, crime, answered):
    # The 2026 Đồng Tháp plan opens a peak campaign against human trafficking only.
    answer = answerer.answer(
        f"Kế hoạch năm 2026 của Đồng Tháp mở đợt cao điểm tấn công, trấn áp tội phạm {crime}"
        " từ ngày nào đến ngày nào?"
    )
    assert answer.abstained != answered
    if answered:
        assert "01/7/2026" in answer.answer and "30/9/2026" in answer.answer


def test_a_blank_number_is_read_from_a_plan_citing_the_document(answerer):
    # The Chương trình prints no number or date; the Quảng Ngãi decision cites it with both.
    answer = answerer.answer(
        "Chương trình của Ban Thường vụ Tỉnh ủy thực hiện Kết luận 13-KL/TW có số hiệu, ngày"
        " ban hành là gì?"
    )
    assert answer.intent == "metadata" and not answer.abstained
    assert "13-CTr/TU" in answer.answer and "12/10/2021" in answer.answer
    cited = answer.citations[-1]
    assert cited.doc_id == "001_9b6bcd664ed356bd" and "13-CTr/TU" in cited.quote


ANSWERED_FROM = [
    pytest.param(
        "Theo kế hoạch năm 2024 của Hải Dương, những cơ quan nào thực hiện Hướng dẫn liên ngành"
        " 2472 về quản lý người sử dụng trái phép chất ma túy?",
        ("Sở Y tế", "Công an tỉnh"),
        ("003_b39ee1c3d8cc53e2", "II.2.a.-8"),
        # "... của liên ngành Công an tỉnh và Sở Lao động ..." names the guide's authors; the
        # task's closing parenthesis names who carries it out
        id="roles-in-the-closing-parenthesis-not-the-cited-guide's-authors",
    ),
    pytest.param(
        "Trong Chương trình thực hiện Kết luận 13, cơ quan nào chỉ đạo và cơ quan nào chủ trì"
        " tham mưu việc phối hợp chặt chẽ trong điều tra, truy tố, xét xử, thi hành án?",
        ("Ban Thường vụ Tỉnh ủy", "Đảng ủy Công an tỉnh"),
        ("004_836614bf9213366e", "II.2.8.b"),
        id="a-role-line-brings-its-whole-role-block",
    ),
    pytest.param(
        "Chương trình thực hiện Kết luận 13 yêu cầu tỷ lệ phát hiện vi phạm pháp luật về môi"
        " trường, ma túy như thế nào?",
        ("cao hơn năm trước",),
        ("004_836614bf9213366e", "II.1.2.c"),
        id="a-rate-asked-for-its-requirement-is-answered-in-words",
    ),
    pytest.param(
        "Kế hoạch năm 2026 của Đồng Tháp: cao điểm tấn công, trấn áp tội phạm mua bán người"
        " diễn ra khi nào, đơn vị nào chủ trì?",
        ("30/9/2026", "Đơn vị chủ trì: Công an tỉnh"),
        ("002_eaf36e0f570538e5", "II.3"),
        id="a-deadline-asked-with-who-gets-the-task's-roles-too",
    ),
    pytest.param(
        "Theo Quyết định 2224 của Quảng Ngãi, việc sơ kết, tổng kết, rút kinh nghiệm công tác"
        " phòng, chống tội phạm làm khi nào?",
        ("định kỳ sơ kết",),
        ("001_9b6bcd664ed356bd", "KH.II.1.e"),
        id="asked-when-a-recurrence-answers",
    ),
    pytest.param(
        "Hạn gửi báo cáo sơ kết hằng năm và báo cáo tổng kết thực hiện Nghị quyết 09-NQ/TU của"
        " Đồng Tháp là ngày nào?",
        ("hàng năm trước ngày 15/12", "15/12/2030"),
        ("000_c6e6a45670724e7f", "IV.2"),
        id="two-parallel-times-both-asked-are-both-quoted",
    ),
    pytest.param(
        "Chương trình thực hiện Kết luận 13 đặt chỉ tiêu mỗi năm bao nhiêu cơ quan, doanh"
        " nghiệp, nhà trường đạt tiêu chuẩn An toàn về ANTT?",
        ("80% cơ quan, doanh nghiệp, nhà trường",),
        ("004_836614bf9213366e", "II.1.2.đ"),
        id="a-target-set-as-a-share-answers-how-many",
    ),
    pytest.param(
        "Theo Quyết định 2224, các sở, ngành báo cáo tình hình, kết quả thực hiện gửi qua đâu?",
        ("(qua Công an tỉnh)",),
        ("001_9b6bcd664ed356bd", "KH.V.1"),
        id="sent-through-where-is-the-qua-clause",
    ),
    pytest.param(
        "han gui ke hoach cua cac so, nganh ve UBND tinh theo KH trien khai NQ 09-NQ/TU cua"
        " Dong Thap la ngay nao?",
        ("20/5/2026",),
        ("000_c6e6a45670724e7f", "IV.1"),
        # "Nghị quyết số 09-NQ/TU ngày 16/01/2026" in the opening dates the resolution
        id="a-cited-document's-date-is-no-deadline",
    ),
    pytest.param(
        "quyet dinh 2224 duoc ban hanh theo de nghi cua co quan nao",
        ("Giám đốc Công an tỉnh", "5634/TTr-CAT-PV01(CS)"),
        ("001_9b6bcd664ed356bd", "preamble"),
        id="on-whose-proposal-is-the-theo-de-nghi-clause",
    ),
]


def test_a_comparison_reads_every_plans_turns_of_the_search(answerer):
    # Đồng Tháp has two plans of 2026, so three plans fit: the third is read as well.
    answer = answerer.answer(
        "Kế hoạch phòng, chống tội phạm năm 2024 của Hải Dương và Kế hoạch phòng, chống tội"
        " phạm, mua bán người năm 2026 của Đồng Tháp khác nhau thế nào về tỷ lệ điều tra,"
        " khám phá án?"
    )
    assert "75%" in answer.answer and "80%" in answer.answer
    cited = {(c.doc_id, c.section_path) for c in answer.citations}
    assert {("003_b39ee1c3d8cc53e2", "I.3"), ("002_eaf36e0f570538e5", "I.3")} <= cited


def test_asked_which_day_or_year_a_recurrence_without_one_does_not_answer(answerer):
    # the plan says "định kỳ sơ kết, tổng kết" and names no day
    answer = answerer.answer(
        "Theo Quyết định 2224 của Quảng Ngãi, việc sơ kết, tổng kết, rút kinh nghiệm công tác"
        " phòng, chống tội phạm phải làm vào ngày nào?"
    )
    assert answer.abstained
    # nor one asking which year
    answer = answerer.answer(
        "Theo Quyết định 2224 của Quảng Ngãi, sơ kết, tổng kết, rút kinh nghiệm công tác phòng,"
        " chống tội phạm vào năm nào?"
    )
    assert answer.abstained


@pytest.mark.parametrize(("question", "expected", "cited"), ANSWERED_FROM)
def test_answered_from_the_right_place(answerer, question, expected, cited):
    answer = answerer.answer(question)
    assert not answer.abstained
    assert all(text in answer.answer for text in expected), answer.answer
    assert (answer.citations[0].doc_id, answer.citations[0].section_path) == cited
