import pytest

from ingest.vntext import canonical_tones, fold, has_diacritics, index_form, nfc


@pytest.mark.parametrize(
    ("new_style", "traditional"),
    [
        ("hoà bình", "hòa bình"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("thuỷ sản", "thủy sản"),
        ("tuỳ theo", "tùy theo"),
        ("hoá", "hóa"),
        ("HOÀ", "HÒA"),
        ("xoè", "xòe"),
    ],
)
def test_canonical_tones_moves_the_tone_to_the_first_vowel_of_open_pairs(new_style, traditional):
    assert canonical_tones(new_style) == traditional
    assert canonical_tones(traditional) == traditional


@pytest.mark.parametrize("word", ["quý", "quỷ", "huỳnh", "hoàn thành", "toán", "quyết", "khuyến"])
def test_canonical_tones_leaves_closed_syllables_and_qu_alone(word):
    assert canonical_tones(word) == word


def test_canonical_tones_outputs_nfc_from_decomposed_input():
    decomposed = "Uy\u0309 ban"
    assert canonical_tones(decomposed) == "Ủy ban"
    assert canonical_tones(decomposed) == nfc("Ủy ban")


def test_fold_strips_marks_and_d_bar():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("Thời hạn nộp báo cáo") == "thoi han nop bao cao"
    assert fold("2224/QĐ-UBND") == "2224/qd-ubnd"


def test_has_diacritics():
    assert has_diacritics("thời hạn")
    assert has_diacritics("Đ")
    assert not has_diacritics("thoi han nop bao cao UBND")


def test_index_form_makes_both_spellings_equal():
    assert index_form("Uỷ ban") == index_form("Ủy ban") == "ủy ban"
