"""Vietnam's provinces, so that a question naming one the corpus does not cover is recognised
as naming a province (and answered "the documents do not say") rather than ignored.

Both the 63 units before the 2025 merger and the 34 after it are listed (the 34 keep old
names, plus "Huế"). Names that are also ordinary phrases ("hòa bình" = peace) count only
after "tỉnh"/"thành phố" or when written with capitals.
"""

from __future__ import annotations

import re
from functools import lru_cache

PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ",
    "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# Other spellings → canonical name above.
ALIASES: dict[str, str] = {
    "Huế": "Thừa Thiên Huế",
    "Thừa Thiên - Huế": "Thừa Thiên Huế",
    "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "TP.HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Nông": "Đắk Nông",
    "Kontum": "Kon Tum",
}

# Names that are also everyday words: need "tỉnh ..." or capitals to count.
COMMON_PHRASES: frozenset[str] = frozenset({"hoa binh", "thai binh", "binh dinh"})

_PREFIX = re.compile(r"(?:tinh|thanh pho|tp\.?)\s+$")


def _key(name: str) -> str:
    from ingest.vntext import fold

    return re.sub(r"[\s\-.]+", " ", fold(name)).strip()


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str, str]]:
    names = {name: name for name in PROVINCES} | ALIASES
    out = []
    for spelling, canonical in sorted(names.items(), key=lambda kv: -len(kv[0])):
        key = _key(spelling)
        pattern = re.compile(
            r"(?<![\w])" + r"[\s\-.]*".join(map(re.escape, key.split())) + r"(?!\w)"
        )
        out.append((pattern, canonical, key))
    return out


def canonical_province(name: str) -> str | None:
    """Canonical name for any spelling ("dong thap", "Đồng Tháp", "Huế"), or None."""
    key = _key(name.replace("tỉnh", "").replace("Tỉnh", ""))
    for _pattern, canonical, pkey in _patterns():
        if key == pkey:
            return canonical
    return None


def province_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of each province mention, in text order. Offsets index the
    NFC form of `text`."""
    from ingest.vntext import fold, nfc

    surface = nfc(text)
    folded = fold(surface)  # fold keeps length for precomposed Vietnamese text
    spans: list[tuple[int, int, str]] = []
    for pattern, canonical, key in _patterns():
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end, _ in spans):
                continue
            if key in COMMON_PHRASES:
                original = surface[start:end] if len(surface) == len(folded) else ""
                capitalised = original[:1].isupper()
                if not capitalised and not _PREFIX.search(folded[:start]):
                    continue
            spans.append((start, end, canonical))
    return sorted(spans)


def find_provinces(text: str) -> tuple[str, ...]:
    """Canonical names of the provinces a text names, in order of first mention."""
    ordered: list[str] = []
    for _, _, canonical in province_spans(text):
        if canonical not in ordered:
            ordered.append(canonical)
    return tuple(ordered)


__all__ = ["PROVINCES", "ALIASES", "canonical_province", "find_provinces", "province_spans"]
