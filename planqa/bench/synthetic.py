"""A larger corpus made from the real plans, for scale benchmarks: copies of the five plans with
other real provinces, shifted years, rotated agency names and renumbered document codes.

The copies read like plans of other provinces; they are load, not truth (never use them to
measure answer accuracy). `distinct` caps how many differently-worded variants exist: copy `n`
reuses variant `n % distinct`, so its chunks repeat text whose vectors are already in the
embedding cache (keyed by content hash) and a large corpus can be built without re-embedding.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Provinces named in the corpus, in the spellings the files use.
CORPUS_PROVINCES = ("Đồng Tháp", "Quảng Ngãi", "Hải Dương")
# Other real provinces and centrally governed cities used for the copies.
OTHER_PROVINCES = (
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Điện Biên",
    "Gia Lai",
    "Hà Tĩnh",
    "Hưng Yên",
    "Khánh Hòa",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Nghệ An",
    "Ninh Bình",
    "Phú Thọ",
    "Quảng Ninh",
    "Quảng Trị",
    "Sơn La",
    "Tây Ninh",
    "Thái Nguyên",
    "Thanh Hóa",
    "Tuyên Quang",
    "Vĩnh Long",
)
# Agencies that occur in the plans; a copy rotates each name to another one of the ring.
AGENCY_RING = (
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Ngoại vụ",
)
_PROVINCE = re.compile("|".join(re.escape(p) for p in CORPUS_PROVINCES), re.IGNORECASE)
_AGENCY = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in AGENCY_RING) + r")(?!\w)")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# The number of a document code: 2224/QĐ-UBND, 09-NQ/TU, 13-KL/TW, 58-KH/ĐU (not dates).
_CODE_NUMBER = re.compile(r"(?<![\d/.])(\d{1,5})(?=(?:/\d{4})?[-/][A-ZĐ])")


@dataclass(frozen=True)
class Variant:
    """How copy `n` differs from the original text."""

    number: int

    @property
    def year_shift(self) -> int:
        return -(self.number % 6)  # 0..-5: the copies stay in plausible years

    def province_for(self, original: str) -> str:
        index = CORPUS_PROVINCES.index(_canonical_province(original))
        return OTHER_PROVINCES[(self.number * len(CORPUS_PROVINCES) + index) % len(OTHER_PROVINCES)]


def _canonical_province(name: str) -> str:
    lowered = name.lower()
    return next(p for p in CORPUS_PROVINCES if p.lower() == lowered)


def variant_text(text: str, number: int) -> str:
    """The plan `text` as copy `number` (>= 1) of it; variant 0 is the original."""
    if number == 0:
        return text
    variant = Variant(number)

    def province(match: re.Match[str]) -> str:
        replacement = variant.province_for(match.group(0))
        return replacement.upper() if match.group(0).isupper() else replacement

    def agency(match: re.Match[str]) -> str:
        at = AGENCY_RING.index(match.group(1))
        return AGENCY_RING[(at + number) % len(AGENCY_RING)]

    def year(match: re.Match[str]) -> str:
        return str(int(match.group(1)) + variant.year_shift)

    def code(match: re.Match[str]) -> str:
        digits = match.group(1)
        value = (int(digits) + 37 * number) % (10 ** max(len(digits), 2))
        return str(value).zfill(len(digits))

    text = _PROVINCE.sub(province, text)
    text = _AGENCY.sub(agency, text)
    text = _CODE_NUMBER.sub(code, text)
    return _YEAR.sub(year, text)


def make_corpus(
    sources: Sequence[Path], out_dir: Path, factor: int, distinct: int | None = None
) -> list[Path]:
    """`factor` × the source files in `out_dir`: copy 0 is the originals (same names), copy `n`
    is `s{n:03d}_<stem>.txt` written with variant `n % distinct` (all distinct when None)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for copy in range(factor):
        number = copy if distinct is None else copy % distinct
        for source in sources:
            if copy == 0:
                target = out_dir / source.name
                shutil.copyfile(source, target)
            else:
                target = out_dir / f"s{copy:03d}_{source.stem}.txt"
                original = source.read_text(encoding="utf-8")
                target.write_text(variant_text(original, number), encoding="utf-8")
            written.append(target)
    return written


__all__ = ["AGENCY_RING", "OTHER_PROVINCES", "make_corpus", "variant_text"]
