"""ingest.tokenize: underthesea words with protected codes, dates and numbering."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.tokenize import folded_syllables, protected_spans, segment_words, syllables, words

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def test_segment_words_joins_compounds() -> None:
    assert segment_words("phòng chống tội phạm") == "phòng_chống tội_phạm"


@pytest.mark.parametrize(
    "token",
    [
        "2224/QĐ-UBND",
        "09-NQ/TU",
        "13-KL/TW",
        "BCĐ138/CP",
        "18/KH-BCĐ138/CP",
        "03/2019/NĐ-CP",
        "58-KH/ĐU",
        "20/5/2026",
        "16/01/2026",
        "5/2026",
    ],
)
def test_codes_and_dates_stay_single_tokens(token: str) -> None:
    text = f"Thực hiện văn bản {token} của Ủy ban nhân dân tỉnh."
    assert token in segment_words(text).split()
    assert token.lower() in syllables(text)


def test_numbering_stays_single_token_at_line_start() -> None:
    text = "1.1. Nâng cao hiệu quả\na) Công tác phòng ngừa xã hội\nII. MỤC TIÊU"
    lines = segment_words(text).split("\n")
    assert [line.split()[0] for line in lines] == ["1.1.", "a)", "II."]
    assert syllables(text)[:2] == ["1.1", "nâng"]
    assert "a" in syllables(text)


def test_protected_spans_examples() -> None:
    text = "a) Nghị quyết số 09-NQ/TU ngày 16/01/2026, tỷ lệ 80%/năm"
    found = [text[start:end] for start, end in protected_spans(text)]
    assert found == ["a)", "09-NQ/TU", "16/01/2026"]


def test_code_is_not_glued_to_neighbouring_words() -> None:
    segmented = segment_words("Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy")
    assert "58-KH/ĐU" in segmented.split()
    assert "28/4/2026" in segmented.split()
    assert "Kế_hoạch" in segmented.split()


def test_lines_are_kept() -> None:
    assert segment_words("tội phạm\n\nphòng chống") == "tội_phạm\n\nphòng_chống"


def test_syllables_lower_canonical_tones_no_punctuation() -> None:
    assert syllables("Uỷ ban, hoà giải (khoẻ)!") == ["ủy", "ban", "hòa", "giải", "khỏe"]


def test_folded_syllables() -> None:
    assert folded_syllables("Đồng Tháp: 2224/QĐ-UBND") == ["dong", "thap", "2224/qd-ubnd"]


def test_words_segmented_lower_canonical() -> None:
    assert words("Phòng chống tội phạm, hoà giải ở cơ sở.") == [
        "phòng_chống",
        "tội_phạm",
        "hòa_giải",
        "ở",
        "cơ_sở",
    ]
    assert words("Uỷ ban nhân dân tỉnh") == words("Ủy ban nhân dân tỉnh")


def test_every_code_in_corpus_survives_segmentation() -> None:
    """Golden: each code found in a corpus paragraph comes out of segmentation whole."""
    text = (CORPUS / "003_b39ee1c3d8cc53e2.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if "/" in p][:40]
    checked = 0
    for paragraph in paragraphs:
        tokens = segment_words(paragraph).split()
        for start, end in protected_spans(paragraph):
            assert paragraph[start:end] in tokens
            checked += 1
    assert checked > 20
