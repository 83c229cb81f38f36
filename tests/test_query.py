"""Query normalisation on the phrasings officers type: accentless, abbreviated, both tone
conventions, naming a province, a year or a document."""

import pytest

from retriever.abbreviations import ABBREVIATIONS
from retriever.provinces import PROVINCES, canonical_province, find_provinces
from retriever.query import (
    content_syllables,
    expand_abbreviations,
    find_doc_refs,
    find_period_years,
    find_years,
    normalize_query,
)


def test_accentless_and_accented_question_share_folded_terms():
    plain = normalize_query("thoi han nop bao cao")
    accented = normalize_query("Thời hạn nộp báo cáo là khi nào?")
    assert not plain.has_diacritics
    assert accented.has_diacritics
    assert plain.folded_syllables == accented.folded_syllables == (
        "thoi", "han", "nop", "bao", "cao",
    )  # fmt: skip
    assert accented.syllables == ("thời", "hạn", "nộp", "báo", "cáo")
    assert "thời_hạn" in accented.words and "báo_cáo" in accented.words


def test_accentless_question_is_matched_on_the_folded_form():
    query = normalize_query("thoi han nop bao cao")
    assert query.match_terms == query.folded_syllables
    assert query.match_form("Thời hạn NỘP") == "thoi han nop"


@pytest.mark.parametrize(
    ("new_style", "traditional"), [("hoà giải", "hòa giải"), ("Uỷ ban", "ủy ban")]
)
def test_both_tone_conventions_give_the_same_terms(new_style, traditional):
    assert normalize_query(new_style).syllables == normalize_query(traditional).syllables
    assert normalize_query(new_style).index_text == traditional.lower()


def test_ubnd_tinh_is_expanded_and_kept():
    query = normalize_query("UBND tỉnh giao ai chủ trì?")
    assert query.expanded.startswith("ủy ban nhân dân tỉnh")
    assert query.abbreviations == ("UBND",)
    # both spellings are searched: plans write "Ủy ban nhân dân" and "UBND"
    assert {"ủy", "ban", "nhân", "dân", "ubnd"} <= set(query.syllables)
    assert "ubnd" in query.folded_syllables
    assert "Ủy ban nhân dân" in query.dense_text or "ủy ban nhân dân" in query.dense_text


def test_lower_case_accentless_abbreviation_is_expanded():
    query = normalize_query("ubnd tinh dong thap")
    assert not query.has_diacritics
    assert query.folded_syllables[:4] == ("uy", "ban", "nhan", "dan")


def test_bcd_138_is_ban_chi_dao_138():
    expanded, found = expand_abbreviations("BCĐ 138 tỉnh họp khi nào")
    assert expanded.startswith("ban chỉ đạo 138")
    assert [a.short for a in found] == ["BCĐ"]
    # accentless capitals too
    assert expand_abbreviations("BCD 138")[0] == "ban chỉ đạo 138"


def test_ambiguous_short_forms_need_capitals():
    # "tu" typed in lower case is từ/tự, not Tỉnh ủy; "TU" is
    assert expand_abbreviations("tu nay")[0] == "tu nay"
    assert expand_abbreviations("Nghị quyết của TU")[0] == "Nghị quyết của tỉnh ủy"
    # codes stay whole
    assert expand_abbreviations("Nghị quyết 09-NQ/TU")[0] == "Nghị quyết 09-NQ/TU"
    # a document type before its number is unambiguous in lower case: "kl 13", "qd so 2224"
    assert expand_abbreviations("thuc hien kl 13")[0] == "thuc hien kết luận 13"
    assert expand_abbreviations("qd so 2224")[0] == "quyết định so 2224"
    assert expand_abbreviations("tu 2021 den nay")[0] == "tu 2021 den nay"
    # a short form no Vietnamese syllable spells is the abbreviation even in lower case
    assert expand_abbreviations("ctr thuc hien")[0] == "chương trình thuc hien"
    assert expand_abbreviations("kh cua tinh")[0] == "kế hoạch cua tinh"
    assert expand_abbreviations("cat tinh")[0] == "cat tinh"  # cát, not Công an tỉnh


def test_a_document_type_named_through_an_abbreviation_is_a_type():
    assert normalize_query("ctr thuc hien kl 13 cua tinh uy").doc_types == (
        "Chương trình",
        "Kết luận",
    )
    assert normalize_query("KH của UBND tỉnh").doc_types == ("Kế hoạch",)


def test_abbreviation_list_covers_the_corpus_abbreviations():
    shorts = {a.short for a in ABBREVIATIONS}
    for short in [
        "UBND",
        "HĐND",
        "BCĐ",
        "ANTT",
        "ANTQ",
        "CHQS",
        "BCA",
        "BQP",
        "VKSND",
        "TAND",
        "MTTQ",
        "VPUB",
        "KH",
        "QĐ",
        "NQ",
        "KL",
        "CT",
        "TW",
        "TU",
        "CP",
        "NĐ",
        "TTLT",
    ]:
        assert short in shorts


def test_asking_whether_a_plan_mentions_something_is_no_topic():
    query = normalize_query("Quỹ phòng, chống tội phạm được đề cập thế nào?")
    assert "đề" not in query.syllables and "cập" not in query.syllables
    assert "quỹ" in query.syllables


def test_folded_i_and_y_spellings_are_searched_both_ways():
    from retriever.query import folded_variants

    syllables = normalize_query("bao cao theo dinh ki nao, ti le bao nhieu").folded_syllables
    variants = folded_variants(syllables)
    assert {"ki", "ky", "ti", "ty"} <= set(variants)
    assert variants[: len(syllables)] == syllables


def test_asking_status_or_capacity_is_no_topic():
    query = normalize_query("Kế hoạch đã ban hành chưa, ai ký với tư cách Trưởng ban?")
    assert not {"chưa", "tư", "cách"} & set(query.syllables)
    # "cơ quan nào" asks who, like "ai"; "cơ quan" naming something stays
    assert "cơ" not in normalize_query("Theo đề nghị của cơ quan nào?").syllables
    assert "cơ" in normalize_query("Cơ quan thường trực là ai?").syllables
    # "đặt ra yêu cầu gì đối với Quỹ": the Quỹ is the topic
    asked = normalize_query("Kế hoạch đặt ra yêu cầu gì đối với Quỹ phòng, chống tội phạm?")
    assert not {"đặt", "yêu", "cầu"} & set(asked.syllables) and "quỹ" in asked.syllables
    assert {"trưởng", "ban"} <= set(query.syllables)
    # typed without accents "chua" may be chữa (sửa chữa): kept
    assert "chua" in normalize_query("sua chua co so vat chat").folded_syllables


def test_question_words_are_dropped_but_content_words_stay():
    query = normalize_query("Đơn vị nào chủ trì công tác tuyên truyền phòng, chống mua bán người?")
    # "đơn vị nào" asks who, like "ai"
    assert not {"nào", "đơn", "vị"} & set(query.syllables)
    for word in ("chủ", "trì", "tuyên", "truyền", "mua", "bán", "người"):
        assert word in query.syllables
    assert content_syllables(["bao", "nhiêu", "phần", "trăm"]) == ["phần", "trăm"]


def test_folded_stop_words_never_eat_content_words():
    # "nhung" is những or nhũng, "co" có or cơ, "ve" về or vệ: kept when typed accentless
    query = normalize_query("co quan phoi hop phong chong tham nhung bao ve")
    assert {"co", "quan", "tham", "nhung", "ve"} <= set(query.folded_syllables)
    assert "nao" not in query.folded_syllables


@pytest.mark.parametrize(
    ("question", "provinces"),
    [
        ("Kế hoạch của tỉnh Đồng Tháp năm 2026", ("Đồng Tháp",)),
        ("ke hoach tinh quang ngai", ("Quảng Ngãi",)),
        ("Hải Dương và Cà Mau", ("Hải Dương", "Cà Mau")),
        ("Kế hoạch của TP.HCM", ("Hồ Chí Minh",)),
        ("thành phố Huế", ("Thừa Thiên Huế",)),
        ("giữ gìn hòa bình", ()),  # an everyday phrase, not the province
        ("tỉnh hòa bình", ("Hòa Bình",)),
    ],
)
def test_provinces_named_in_a_question(question, provinces):
    assert find_provinces(question) == provinces


def test_the_province_list_is_complete():
    assert len(PROVINCES) == 63
    assert canonical_province("dong thap") == "Đồng Tháp"
    assert canonical_province("Tỉnh Cà Mau") == "Cà Mau"
    assert canonical_province("Atlantis") is None


def test_years_and_periods():
    assert find_years("Kế hoạch năm 2026 của tỉnh") == (2026,)
    assert find_years("chậm nhất ngày 20/5/2026, theo 49/2020/NĐ-CP") == ()
    assert find_years("giai đoạn 2025 - 2030") == (2025, 2030)
    assert find_period_years("mục tiêu đến năm 2030 so với năm 2021") == (2030, 2021)
    query = normalize_query("Kế hoạch năm 2024 phấn đấu đến năm 2030 đạt gì?")
    assert query.document_years == (2024,)
    assert query.period_years == (2030,)


def test_document_numbers():
    refs = find_doc_refs("Quyết định số 2224/QĐ-UBND do ai ký?")
    assert len(refs) == 1
    assert refs[0].number == "2224" and refs[0].code == "2224/QĐ-UBND"
    assert refs[0].doc_type == "Quyết định"
    ref = find_doc_refs("Kế hoạch số 58 của Đảng ủy")[0]
    assert (ref.number, ref.code, ref.doc_type) == ("58", "", "Kế hoạch")
    assert find_doc_refs("ke hoach so 58")[0].number == "58"
    # a year after a document type is a year, not a number
    assert find_doc_refs("Kế hoạch 2024") == ()
    assert normalize_query("Kế hoạch 2024").years == (2024,)
    assert find_doc_refs("Nghị quyết số 09-NQ/TU")[0].number == "9"


def test_a_document_named_through_an_abbreviation_is_a_reference():
    from retriever.query import DocRef

    refs = normalize_query("Chương trình thực hiện KL 13 của Tỉnh ủy").doc_refs
    assert DocRef(number="13", doc_type="Kết luận") in refs
    # A code keeps its own reading, not a second one from its expanded letters.
    assert normalize_query("NQ 09-NQ/TU").doc_refs == (DocRef(number="9", code="09-NQ/TU"),)
