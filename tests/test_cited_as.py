"""A document with a blank number, read from another plan that cites it."""

from ingest.types import DocumentMeta, Section
from service.cited_as import cited_as

PROGRAMME = DocumentMeta(
    doc_id="ctr",
    title="Thực hiện Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị",
    doc_type="Chương trình",
    issuer="Ban Thường vụ Tỉnh ủy Quảng Ngãi",
)
PLAN = DocumentMeta(doc_id="kh", title="Kế hoạch", doc_type="Kế hoạch", issuer="UBND tỉnh")


def _sections(text: str) -> dict[str, Section]:
    section = Section("kh", "preamble", "preamble", "", text, 1, None, 0, "preamble")
    return {"preamble": section}


def test_the_citing_sentence_gives_number_and_date():
    text = (
        "Căn cứ Chương trình số 13-CTr/TU, ngày 12/10/2021 của Ban Thường vụ Tỉnh ủy về thực"
        " hiện Kết luận số 13-KL/TW, ngày 16/8/2021 của Bộ Chính trị."
    )
    found = cited_as(PROGRAMME, {"ctr": PROGRAMME, "kh": PLAN}, lambda _doc: _sections(text))
    assert found is not None
    assert (found.doc_id, found.section_path) == ("kh", "preamble")
    assert (found.number, found.date) == ("13-CTr/TU", "12/10/2021")


def test_another_document_of_the_same_issuer_is_not_a_citation():
    # same type and issuer, but about another conclusion: not this programme
    text = "Căn cứ Chương trình số 05-CTr/TU, ngày 01/02/2020 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số 44-KL/TW."
    assert cited_as(PROGRAMME, {"ctr": PROGRAMME, "kh": PLAN}, lambda _doc: _sections(text)) is None
