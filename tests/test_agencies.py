"""Agency names: aliases, splitting role values, matching user filters."""

from __future__ import annotations

import pytest

from ingest.agencies import (
    agency_matches,
    canonical_agency,
    known_agencies,
    looks_like_agency,
    split_agencies,
)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Bộ CHQS", "Bộ Chỉ huy Quân sự tỉnh"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),
        ("Viện kiểm sát nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh"),
        ("VKSND tỉnh", "Viện Kiểm sát nhân dân tỉnh"),
        ("TAND tỉnh", "Tòa án nhân dân tỉnh"),
        ("Toà án nhân dân tỉnh", "Tòa án nhân dân tỉnh"),
        ("BĐBP tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
        ("UBMTTQ VN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tinh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("CA tỉnh", "Công an tỉnh"),
        ("Công an tỉnh – Phòng Tham mưu", "Công an tỉnh"),
        ("Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh", "Công an tỉnh"),
        ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("các sở, ngành tỉnh", "Các sở, ban, ngành tỉnh"),
        ("Công an tỉnh thực hiện.", "Công an tỉnh"),
        ("cong an tinh", "Công an tỉnh"),  # typed without accents
    ],
)
def test_canonical_agency(name: str, canonical: str) -> None:
    assert canonical_agency(name) == canonical


def test_renamed_agency_keeps_its_own_entry() -> None:
    # Sở TT&TT merged into Sở KH&CN in 2025; a 2021 plan assigns the 2021 agency.
    assert canonical_agency("Sở Thông tin và Truyền thông") != canonical_agency(
        "Sở Khoa học và Công nghệ"
    )


def test_unknown_agency_is_cleaned_not_dropped() -> None:
    assert canonical_agency("Ban cán sự đảng UBND tỉnh") == "Ban cán sự đảng Ủy ban nhân dân tỉnh"
    assert canonical_agency("Chi cục Thủy sản tỉnh") == "Chi cục Thủy sản tỉnh"


def test_split_keeps_sở_ban_ngành_and_xã_phường_whole() -> None:
    value = (
        "Bộ Chỉ huy Quân sự tỉnh, các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường và "
        "đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội, các cơ "
        "quan Trung ương đóng trên địa bàn tỉnh thực hiện."
    )  # 000 III.5.-1, Đơn vị phối hợp
    assert split_agencies(value) == [
        "Bộ Chỉ huy Quân sự tỉnh",
        "Các sở, ban, ngành tỉnh",
        "Ủy ban nhân dân các xã, phường",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Các tổ chức chính trị - xã hội tỉnh",
        "Các cơ quan Trung ương đóng trên địa bàn tỉnh",
    ]


def test_split_keeps_names_with_và_and_commas() -> None:
    value = (
        "Sở Văn hóa - Thể thao và Du lịch; Sở Khoa học và Công nghệ; Báo và Phát thanh, truyền "
        "hình Đồng Tháp; Sở Giáo dục và Đào tạo; Công an tỉnh"
    )  # 000 III.2.-2
    assert split_agencies(value) == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
        "Báo và Phát thanh, truyền hình Đồng Tháp",
        "Sở Giáo dục và Đào tạo",
        "Công an tỉnh",
    ]
    assert split_agencies("Sở Khoa học và Công nghệ, Công an tỉnh, Ban Tuyên giáo và Dân vận Tỉnh ủy.") == [
        "Sở Khoa học và Công nghệ",
        "Công an tỉnh",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    ]  # fmt: skip


def test_split_lists_a_bracketed_unit_after_its_parent() -> None:
    value = (
        "Bộ Chỉ huy Quân sự tỉnh (Ban Chỉ huy Bộ đội Biên phòng), Ủy ban nhân dân các xã, phường."
    )
    assert split_agencies(value) == [
        "Bộ Chỉ huy Quân sự tỉnh",
        "Ban Chỉ huy Bộ đội Biên phòng",
        "Ủy ban nhân dân các xã, phường",
    ]


def test_split_elliptic_sở_name() -> None:
    # 003: "Sở Giáo dục và Đào tạo, Lao động, Thương binh và Xã hội, Công an tỉnh thực hiện"
    value = "Sở Giáo dục và Đào tạo, Lao động, Thương binh và Xã hội, Công an tỉnh thực hiện"
    assert split_agencies(value) == [
        "Sở Giáo dục và Đào tạo",
        "Sở Lao động - Thương binh và Xã hội",
        "Công an tỉnh",
    ]


def test_split_generic_groups_stay_one_entry() -> None:
    assert split_agencies("các sở, ngành, đoàn thể, địa phương") == [
        "Các sở, ngành, đoàn thể, địa phương"
    ]
    assert split_agencies("Ban Nội chính Tỉnh ủy, các cơ quan bảo vệ pháp luật và các cơ quan, địa phương có liên quan.") == [
        "Ban Nội chính Tỉnh ủy",
        "Các cơ quan bảo vệ pháp luật",
        "Các cơ quan, địa phương có liên quan",
    ]  # fmt: skip


def test_known_agencies_are_unique_and_canonical() -> None:
    agencies = known_agencies()
    names = [a.canonical for a in agencies]
    assert len(names) == len(set(names))
    for agency in agencies:
        assert canonical_agency(agency.canonical) == agency.canonical
        for alias in agency.aliases:
            assert canonical_agency(alias) == agency.canonical, alias


@pytest.mark.parametrize(
    ("query", "canonical", "expected"),
    [
        ("UBND tinh", "Ủy ban nhân dân tỉnh", True),
        ("uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", True),
        ("Bộ CHQS", "Bộ Chỉ huy Quân sự tỉnh", True),
        ("bo chqs tinh", "Bộ Chỉ huy Quân sự tỉnh", True),
        ("cong an", "Công an tỉnh", True),
        ("cong an", "Đảng ủy Công an tỉnh", True),  # a partial query matches by its words
        ("Công an tỉnh", "Đảng ủy Công an tỉnh", False),  # a known agency matches itself only
        ("Công an tỉnh", "Công an tỉnh", True),
        ("VKSND tỉnh", "Viện Kiểm sát nhân dân tỉnh", True),
        ("Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", False),
        ("an", "Công an tỉnh", False),  # too short to mean anything
        ("", "Công an tỉnh", False),
    ],
)
def test_agency_matches(query: str, canonical: str, expected: bool) -> None:
    assert agency_matches(query, canonical) is expected


def test_looks_like_agency() -> None:
    assert looks_like_agency("Công an tỉnh")
    assert looks_like_agency("Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh")
    assert looks_like_agency("các sở, ban, ngành tỉnh")
    assert not looks_like_agency("Nâng cao hiệu quả lãnh đạo, chỉ đạo")
    assert not looks_like_agency("Mục tiêu cụ thể")
