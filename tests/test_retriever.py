"""The hybrid retriever on the real index: accentless and accented questions reach the same
section, modes and filters behave, the LangChain adapter returns citable documents."""

import pytest

from ingest.protocols import Filters
from ingest.vntext import fold
from retriever import hybrid
from retriever.hybrid import HybridRetriever, _narrow, _spread_sections
from retriever.langchain_retriever import PlanQARetriever
from retriever.query import normalize_query
from retriever.restore import DiacriticRestorer

pytestmark = pytest.mark.slow

# Questions written from the plans; expected (document, section prefix) read from the text.
SAME_SECTION = [
    (
        "Ai chủ trì tổ chức chiến dịch truyền thông về phòng, chống mua bán người trong học sinh, sinh viên?",
        "002_eaf36e0f570538e5",
        "II.2.a",
    ),
    (
        "Ban Chỉ đạo 138 cấp tỉnh họp trước ngày nào trong tháng cuối quý?",
        "003_b39ee1c3d8cc53e2",
        "III",
    ),
    (
        "Tỷ lệ thu hồi tài sản trong các vụ án tham nhũng của Đồng Tháp phải đạt bao nhiêu?",
        "000_c6e6a45670724e7f",
        "II",
    ),
    (
        "Sở Kế hoạch và Đầu tư tổng hợp nhu cầu đầu tư công trung hạn cho công tác phòng, chống tội phạm",
        "001_9b6bcd664ed356bd",
        "KH.III",
    ),
]


@pytest.fixture(scope="module")
def retriever(built_index):
    from ingest.index import open_index

    return HybridRetriever(open_index(built_index))


@pytest.mark.parametrize(("question", "doc_id", "section"), SAME_SECTION)
def test_accentless_and_accented_questions_find_the_same_section(
    retriever, question, doc_id, section
):
    accented = retriever.search(question, k=3)
    plain = retriever.search(fold(question), k=3)
    assert accented and plain
    for hits in (accented, plain):
        top = hits[0].chunk
        assert top.doc_id == doc_id
        assert top.section_path == section or top.section_path.startswith(section + ".")
    assert accented[0].chunk.chunk_id == plain[0].chunk.chunk_id


def test_a_question_typed_partly_without_accents_is_read_as_accentless(retriever):
    half = "Kế hoạch năm 2024 của Hải Dương đặt tỷ lệ dieu tra kham pha toi pham bao nhieu?"
    assert not retriever.typed_query(half).has_diacritics
    full = "Kế hoạch năm 2024 của Hải Dương đặt tỷ lệ điều tra khám phá tội phạm bao nhiêu?"
    assert retriever.typed_query(full).has_diacritics
    # one bare syllable is a typo, and syllables the plans print bare ("ban", "an") are none
    assert retriever.typed_query(full.replace("khám", "kham")).has_diacritics
    assert retriever.typed_query("Ban chỉ đạo an ninh trật tự họp khi nào?").has_diacritics
    # what is found is what the accentless question finds
    top = retriever.search(half, k=1)[0].chunk
    assert top.chunk_id == retriever.search(fold(half), k=1)[0].chunk.chunk_id
    assert top.doc_id == "003_b39ee1c3d8cc53e2"


def test_every_mode_returns_ranked_hits_with_their_sources(retriever):
    question = "thời gian mở cao điểm tấn công tội phạm mua bán người"
    for mode, names in (
        ("lexical", {"words", "syllables"}),
        ("dense", {"dense"}),
        ("hybrid", {"words", "syllables", "dense"}),
    ):
        hits = HybridRetriever(retriever.index, mode=mode).search(question, k=5)
        assert len(hits) == 5
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)
        assert set().union(*(hit.sources for hit in hits)) & names
        top_docs = [hit.chunk.doc_id for hit in hits]
        # BM25 alone ranks another plan's "cao điểm tấn công" first; fusion with the dense
        # ranking puts the human-trafficking plan on top
        assert "002_eaf36e0f570538e5" in (top_docs[:3] if mode == "lexical" else top_docs[:1])
    with pytest.raises(ValueError):
        HybridRetriever(retriever.index, mode="bm25")


def test_accentless_question_uses_the_folded_field_and_the_restored_question(retriever):
    hits = retriever.search("thoi gian mo cao diem tan cong toi pham mua ban nguoi", k=3)
    sources = set().union(*(hit.sources for hit in hits))
    assert "folded" in sources and "dense" in sources
    restored = retriever.restored_query(normalize_query("thoi gian mo cao diem tan cong"))
    assert restored is not None and restored.has_diacritics
    assert restored.dense_text.startswith("thời gian")
    assert retriever.restored_query(normalize_query("thời gian")) is None


def test_filters_are_hard_and_a_named_province_is_a_soft_boost(retriever):
    question = "tỷ lệ điều tra khám phá các loại tội phạm"
    only_003 = retriever.search(question, k=5, filters=Filters(doc_ids=("003_b39ee1c3d8cc53e2",)))
    assert only_003 and {hit.chunk.doc_id for hit in only_003} == {"003_b39ee1c3d8cc53e2"}
    boosted = retriever.search(question + " của tỉnh Hải Dương", k=3)
    assert boosted[0].chunk.doc_id == "003_b39ee1c3d8cc53e2"
    # the preference is soft: other documents are still retrieved further down
    assert len({hit.chunk.doc_id for hit in retriever.search(question + " Hải Dương", k=40)}) > 1
    assert retriever.search(question, k=0) == []


def test_langchain_retriever_returns_documents_with_citation_metadata(retriever):
    adapter = PlanQARetriever(retriever=retriever, k=3)
    docs = adapter.invoke("Ngày hội toàn dân bảo vệ an ninh Tổ quốc")
    assert len(docs) == 3
    first = docs[0]
    assert first.page_content
    assert {"doc_id", "section_path", "section_title", "chunk_id", "score"} <= set(first.metadata)
    assert first.metadata["chunk_id"].startswith(first.metadata["doc_id"])


def test_restorer_on_plain_strings():
    restorer = DiacriticRestorer.from_texts(
        ["Thời hạn nộp báo cáo", "thời gian thực hiện", "báo cáo kết quả", "bảo vệ"]
    )
    assert restorer.restore(["thoi", "han", "nop", "bao", "cao"]) == [
        "thời", "hạn", "nộp", "báo", "cáo",
    ]  # fmt: skip
    assert restorer.restore(["bao", "ve"]) == ["bảo", "vệ"]
    assert restorer.restore(["xyz"]) == ["xyz"]
    assert restorer.restore([]) == []
    # a rarer word wins when the next word follows it and never the frequent one
    common = DiacriticRestorer.from_texts(["tổ chức"] * 50 + ["Tờ trình số 5634", "trình bày"])
    assert common.restore_text("to trinh so 5634") == "tờ trình số 5634"
    assert common.restore_text("to chuc") == "tổ chức"
    # question words the plans never print are known too: "vao dau" is not "vào đấu"
    from retriever.restore import QUESTION_PHRASE_WEIGHT, QUESTION_PHRASES

    asked = DiacriticRestorer.from_texts(
        ["đấu tranh phòng chống tội phạm"] * 20
        + ["để cấp giấy phép"] * 5
        + ["đưa vào trường học"]
        + list(QUESTION_PHRASES) * QUESTION_PHRASE_WEIGHT
    )
    assert asked.restore_text("dua vao dau") == "đưa vào đâu"
    assert asked.restore_text("co de cap") == "có đề cập"
    # a document code typed in lower case stays one token, with the capitals plans print
    assert restorer.restore_text("thoi han 13-kl/tw") == "thời hạn 13-KL/TW"
    # ... and as the corpus prints it when the corpus has it
    printed = DiacriticRestorer.from_texts(["Quyết định số 2224/QĐ-UBND ngày 30/12/2021"])
    assert printed.restore_text("quyet dinh 2224/qd-ubnd") == "quyết định 2224/QĐ-UBND"


# A question that names its document at length and asks about one section of it; the words
# naming the document (type, number, province) fill the preamble, not section III.6.
NAMED_DOCUMENT = (
    "Kế hoạch triển khai Nghị quyết 09-NQ/TU của Đồng Tháp nói gì về tăng cường đầu tư kinh"
    " phí, trang thiết bị cho lực lượng chuyên trách?"
)


NAMED_DOCUMENT_ACCENTLESS = (
    "ke hoach trien khai nghi quyet 09-NQ/TU cua Dong Thap noi gi ve tang cuong dau tu kinh"
    " phi, trang thiet bi cho luc luong chuyen trach?"
)


@pytest.mark.parametrize("question", [NAMED_DOCUMENT, NAMED_DOCUMENT_ACCENTLESS])
def test_words_naming_the_document_do_not_pull_the_question_to_its_preamble(retriever, question):
    terms, named = retriever.named_documents(normalize_query(question))
    assert named == ("000_c6e6a45670724e7f",)
    assert {"nghi", "quyet", "dong", "thap"} <= terms and "kinh" not in terms
    hits = retriever.search(question, k=2)
    assert hits[0].chunk.section_path != "preamble"
    assert ("000_c6e6a45670724e7f", "III.6") in [
        (h.chunk.doc_id, h.chunk.section_path) for h in hits
    ]
    assert "topic_syllables" in hits[0].sources


def test_the_named_province_and_year_decide_which_plan_is_named(retriever):
    # Another province's plan has a long title sharing more of these words; the question
    # says whose plan it is.
    question = (
        "Chương trình phối hợp giữa Ủy ban MTTQ các cấp với lực lượng Công an về phong trào"
        " toàn dân bảo vệ an ninh Tổ quốc nêu trong kế hoạch năm 2024 của Hải Dương áp dụng"
        " cho giai đoạn nào?"
    )
    _terms, named = retriever.named_documents(normalize_query(question))
    assert named == ("003_b39ee1c3d8cc53e2",)
    hits = retriever.search(question, k=3)
    assert hits[0].chunk.doc_id == "003_b39ee1c3d8cc53e2"


def test_a_document_cited_inside_a_plan_names_no_plan(retriever):
    # 29-NQ/TU is no plan of the corpus, only cited by the Hải Dương plan: its words "Nghị
    # quyết" must not name the plans whose titles implement other resolutions.
    question = (
        "Xây dựng Công an xã điển hình, kiểu mẫu theo Nghị quyết 29-NQ/TU phấn đấu đạt bao nhiêu?"
    )
    assert retriever.named_documents(normalize_query(question)) == (frozenset(), ())
    hits = retriever.search(question, k=3)
    assert "29-NQ/TU" in hits[0].chunk.text


def test_a_question_naming_no_document_keeps_every_document(retriever):
    _terms, named = retriever.named_documents(normalize_query("bảo đảm an ninh trật tự"))
    assert len(named) != 1 or not _terms


def test_single_syllable_collisions_do_not_name_a_document(retriever):
    # "hải" of "hải sản" is not Hải Dương, "khai" of "khai thác" is not "triển khai"
    question = "Ai chủ trì phòng chống khai thác hải sản bất hợp pháp trên tuyến biên giới?"
    assert retriever.named_documents(normalize_query(question)) == (frozenset(), ())
    _terms, named = retriever.named_documents(
        normalize_query("Kế hoạch năm 2024 của Hải Dương giao ai chủ trì tuyên truyền?")
    )
    assert named == ("003_b39ee1c3d8cc53e2",)


def test_a_plan_title_used_as_a_topic_does_not_name_the_plan(retriever):
    # "phòng, chống mua bán người" is 002's title and a subject 003 assigns too; the question
    # refers to no plan (no type, number, province or year), so no plan is singled out
    question = (
        "Ai chủ trì tuyên truyền phòng, chống mua bán người trong hoạt động trợ giúp pháp lý?"
    )
    assert retriever.named_documents(normalize_query(question)) == (frozenset(), ())
    hits = retriever.search(question, k=5)
    assert "003_b39ee1c3d8cc53e2" in {hit.chunk.doc_id for hit in hits}


def test_a_question_fitting_too_many_plans_equally_names_none(retriever, monkeypatch):
    # Đồng Tháp has two 2026 plans; with room for one named plan, the question that tells
    # them apart by topic keeps the one it fits best, the one that does not names neither
    monkeypatch.setattr(hybrid, "MAX_NAMED_DOCUMENTS", 1)
    both = "Kế hoạch của Đồng Tháp giao ai chủ trì?"
    assert retriever.named_documents(normalize_query(both)) == (frozenset(), ())
    one = "Kế hoạch phòng, chống tội phạm, mua bán người của Đồng Tháp năm 2026 giao ai chủ trì?"
    _terms, named = retriever.named_documents(normalize_query(one))
    assert named == ("002_eaf36e0f570538e5",)
    assert retriever.search(both, k=3)  # still answered from every plan


def test_repeated_chunks_of_one_section_are_spread_out():
    ranked = [("d:II.1:0", 1.0), ("d:II.1:1", 0.99), ("d:II.1:2", 0.98), ("d:III:0", 0.9)]
    spread = _spread_sections(ranked, HybridRetriever._section_of)
    assert [cid for cid, _ in spread][:2] == ["d:II.1:0", "d:III:0"]
    assert spread[0][1] == 1.0 and len(spread) == 4


def test_narrowing_to_named_documents_respects_the_callers_filters():
    assert _narrow(None, ("a", "b"), total=2) == (True, None)
    assert _narrow(None, ("a",), total=3) == (True, Filters(doc_ids=("a",)))
    caller = Filters(doc_ids=("b",), year=2024)
    assert _narrow(caller, ("a", "b"), total=3) == (True, Filters(doc_ids=("b",), year=2024))
    assert _narrow(Filters(doc_ids=("c",)), ("a",), total=3) == (False, None)
