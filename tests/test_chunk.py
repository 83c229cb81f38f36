"""ingest.chunk on hand-built section trees, then on the real corpus once the parser exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.chunk import breadcrumb, chunk_document, heading_line, token_count
from ingest.types import DocumentMeta, ParsedDocument, Section
from ingest.vntext import fold, index_form

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

SENTENCES = [
    "Tăng cường công tác tuyên truyền, phổ biến, giáo dục pháp luật về phòng, chống tội phạm.",
    "Công an tỉnh chủ trì, phối hợp với các sở, ban, ngành tỉnh và Ủy ban nhân dân các xã.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về Ban Chỉ đạo 138 tỉnh trước ngày 20.",
    "Rà soát, kiện toàn Ban Chỉ đạo phòng, chống tội phạm các cấp bảo đảm tinh gọn, hiệu quả.",
    "Thực hiện nghiêm Kế hoạch số 4820/KH-BCĐ ngày 15/12/2023 của Ban Chỉ đạo 138 tỉnh.",
]


def _text(n_sentences: int, start: int = 0) -> str:
    return " ".join(
        f"({i + 1}) {SENTENCES[(start + i) % len(SENTENCES)]}" for i in range(n_sentences)
    )


def _section(path: str, label: str, title: str, text: str, order: int, kind: str = "heading"):
    parent = path.rsplit(".", 1)[0] if "." in path else None
    return Section(
        doc_id="kh",
        path=path,
        label=label,
        title=title,
        text=text,
        level=path.count(".") + 1,
        parent_path=parent,
        order=order,
        kind=kind,
    )


def _doc(*sections: Section) -> ParsedDocument:
    meta = DocumentMeta(doc_id="kh", title="Kế hoạch thử", recipients=("Bộ Công an",))
    return ParsedDocument(meta=meta, sections=sections)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;!?])\s+|\n+", text) if s.strip()]


def _covered(section: Section, chunks) -> bool:  # noqa: ANN001
    """Every sentence of the section's own text is in some chunk of that section's subtree."""
    mine = [
        c.text
        for c in chunks
        if _within(section.path, c.section_path) or _within(c.section_path, section.path)
    ]
    return all(any(s in text for text in mine) for s in _sentences(section.text))


def _within(path: str, ancestor: str) -> bool:
    return path == ancestor or path.startswith(ancestor + ".")


def _top(path: str) -> str:
    return path.split(".", 1)[0]


SMALL = _doc(
    _section(
        "preamble",
        "preamble",
        "",
        "Thực hiện Nghị quyết số 09-NQ/TU ngày 16/01/2026.",
        0,
        kind="preamble",
    ),
    _section("I", "I", "MỤC ĐÍCH, YÊU CẦU", "", 1),
    _section("I.1", "1", "", SENTENCES[0], 2),
    _section("I.2", "2", "", SENTENCES[1], 3),
    _section("II", "II", "NHIỆM VỤ, GIẢI PHÁP", "", 4),
    _section("II.2", "2", "Phòng ngừa tội phạm", "", 5),
    _section("II.2.a", "a", "Công tác phòng ngừa xã hội", SENTENCES[2], 6),
    _section("II.2.a.-1", "-1", "", SENTENCES[3], 7, kind="bullet"),
    _section("fn1", "fn1", "", "(1) Phương thức truyền thông.", 8, kind="footnote"),
)


def test_small_top_level_sections_are_one_chunk_each() -> None:
    chunks = chunk_document(SMALL)
    assert [c.section_path for c in chunks] == ["preamble", "I", "II", "fn1"]
    assert [c.chunk_id for c in chunks] == ["kh:preamble:1", "kh:I:1", "kh:II:1", "kh:fn1:1"]
    assert [c.order for c in chunks] == [0, 1, 2, 3]
    first = chunks[1]
    assert first.text == (f"I. MỤC ĐÍCH, YÊU CẦU\n1. {SENTENCES[0]}\n2. {SENTENCES[1]}")
    assert first.section_title == "MỤC ĐÍCH, YÊU CẦU"
    assert first.breadcrumb == "I. MỤC ĐÍCH, YÊU CẦU"
    assert chunks[2].text.splitlines() == [
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "2. Phòng ngừa tội phạm",
        "a) Công tác phòng ngừa xã hội",
        SENTENCES[2],
        f"- {SENTENCES[3]}",
    ]
    assert chunks[0].breadcrumb == "Phần mở đầu"
    assert chunks[3].breadcrumb == "Chú thích 1"


def test_chunk_forms_for_matching() -> None:
    for chunk in chunk_document(SMALL):
        assert chunk.doc_id == "kh"
        assert chunk.index_text == index_form(chunk.text)
        assert chunk.folded == fold(chunk.text)
        assert chunk.segmented  # underthesea form, codes kept whole
    preamble = chunk_document(SMALL)[0]
    assert "09-NQ/TU" in preamble.segmented.split()
    assert "Nghị_quyết" in preamble.segmented.split()


def test_recipients_never_become_chunks() -> None:
    assert not any("Bộ Công an" in c.text for c in chunk_document(SMALL))


def test_breadcrumb_and_heading_lines() -> None:
    by_path = {s.path: s for s in SMALL.sections}
    assert breadcrumb(by_path["II.2.a"], by_path) == (
        "II. NHIỆM VỤ, GIẢI PHÁP › 2. Phòng ngừa tội phạm › a) Công tác phòng ngừa xã hội"
    )
    assert breadcrumb(by_path["II.2.a.-1"], by_path).endswith(
        "a) Công tác phòng ngừa xã hội › - Rà soát, kiện toàn Ban Chỉ đạo phòng, chống tội phạm các …"
    )
    article = _section("Điều1", "Điều1", "Ban hành kèm theo Quyết định này", "", 0)
    assert heading_line(article) == "Điều 1. Ban hành kèm theo Quyết định này"
    assert heading_line(_section("IV.1.1", "1.1", "Mục tiêu", "", 0)) == "1.1. Mục tiêu"


BIG = _doc(
    _section("I", "I", "MỤC TIÊU", _text(3), 0),
    _section("II", "II", "NHIỆM VỤ, PHÂN CÔNG THỰC HIỆN", "Các nhiệm vụ cụ thể như sau:", 1),
    _section("II.1", "1", "Nâng cao hiệu quả lãnh đạo", "", 2),
    _section("II.1.a", "a", "", _text(4, 1), 3),
    _section("II.1.b", "b", "", _text(4, 2), 4),
    _section("II.1.c", "c", "", _text(4, 3), 5),
    _section("II.1.d", "d", "", _text(4, 4), 6),
    _section("II.1.đ", "đ", "", _text(4, 0), 7),
    _section("II.2", "2", "Phòng ngừa tội phạm", _text(40), 8),
    _section("II.3", "3", "Hợp tác quốc tế", _text(2, 3), 9),
    _section("III", "III", "TỔ CHỨC THỰC HIỆN", _text(2, 4), 10),
)


@pytest.mark.parametrize("max_tokens", [150, 250, 400])
def test_large_subtrees_split_within_limit_and_top_level(max_tokens: int) -> None:
    chunks = chunk_document(BIG, max_tokens=max_tokens)
    by_path = {s.path: s for s in BIG.sections}
    assert all(token_count(c.text) <= max_tokens for c in chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    for chunk in chunks:
        # The chunk's section contains everything in it: no heading of another subtree.
        inside = [s for s in BIG.sections if _within(s.path, chunk.section_path)]
        for section in BIG.sections:
            line = heading_line(section)
            if section not in inside and section.title and line in chunk.text.splitlines():
                pytest.fail(f"{chunk.chunk_id} holds heading {line!r} from outside")
        assert chunk.breadcrumb == breadcrumb(by_path[chunk.section_path], by_path)
    for section in BIG.sections:
        assert _covered(section, chunks), section.path
    assert {_top(c.section_path) for c in chunks} == {"I", "II", "III"}


def test_small_siblings_merge_and_long_text_splits_with_overlap() -> None:
    chunks = chunk_document(BIG, max_tokens=400)
    by_id = {c.chunk_id: c for c in chunks}
    # 1. with its letters a)–đ) is too big; the heading and a)–d) pack into one chunk that
    # belongs to 1., the leftover đ) is a chunk of its own section.
    merged = by_id["kh:II.1:1"]
    assert merged.text.startswith("1. Nâng cao hiệu quả lãnh đạo\na) (1) ")
    assert all(f"\n{letter}) (1) " in merged.text for letter in "bcd")
    assert by_id["kh:II.1.đ:1"].text.startswith("đ) (1) ")
    long_parts = [c for c in chunks if c.section_path == "II.2"]
    assert len(long_parts) >= 3
    assert long_parts[0].text.startswith("2. Phòng ngừa tội phạm\n(1) ")
    for previous, current in zip(long_parts, long_parts[1:], strict=False):
        # The next piece starts with the previous piece's last sentence.
        assert current.text.startswith(_sentences(previous.text)[-1])
    assert [c.chunk_id for c in long_parts][:2] == ["kh:II.2:1", "kh:II.2:2"]
    assert [c.order for c in chunks] == list(range(len(chunks)))


def test_window_larger_than_e5_refused() -> None:
    with pytest.raises(ValueError, match="512"):
        chunk_document(SMALL, max_tokens=600)


# --- real corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_docs() -> list[ParsedDocument]:
    structure = pytest.importorskip("ingest.structure", reason="ingest.structure not written yet")
    return [
        structure.parse_document(path.read_text(encoding="utf-8"), path.stem)
        for path in sorted(CORPUS.glob("*.txt"))
    ]


def test_corpus_chunks_fit_stay_in_one_top_level_and_cover_all_text(corpus_docs) -> None:  # noqa: ANN001
    for doc in corpus_docs:
        chunks = chunk_document(doc)
        by_path = {s.path: s for s in doc.sections}
        assert chunks, doc.meta.doc_id
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        joined_by_top: dict[str, str] = {}
        for chunk in chunks:
            assert token_count(chunk.text) <= 400, chunk.chunk_id
            assert chunk.section_path in by_path
            section = by_path[chunk.section_path]
            top = section
            while top.parent_path in by_path:
                top = by_path[top.parent_path]
            joined_by_top[top.path] = joined_by_top.get(top.path, "") + "\n" + chunk.text
            # Nothing from another top-level section: its heading never shows up here.
            for other in doc.sections:
                if other.parent_path is None and other.path != top.path and other.title:
                    assert heading_line(other) not in chunk.text.splitlines(), chunk.chunk_id
        for section in doc.sections:
            top = section
            while top.parent_path in by_path:
                top = by_path[top.parent_path]
            for sentence in _sentences(section.text):
                assert sentence.strip() in joined_by_top[top.path], (section.path, sentence)
        # The distribution list is metadata: its heading never reaches a chunk.
        assert not any("Nơi nhận" in chunk.text for chunk in chunks), doc.meta.doc_id
