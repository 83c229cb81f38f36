"""Abbreviations officers type and plans print (UBND, BCĐ, ANTT, ...), kept as data.

Queries are matched in expanded form because a plan may spell an agency out in one place and
abbreviate it in another. Short codes that collide with ordinary syllables when typed without
accents ("tu" = từ/tự, "cat" = cát) are expanded only when written in capitals or inside a
document code such as `09-NQ/TU`; in lower case only a document type right before a number
("kl 13" of a question typed without accents) or a short form no syllable spells ("ctr",
"kh", "qd").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Abbreviation:
    short: str  # as printed in documents, e.g. "UBND", "BCĐ"
    expansion: str  # index form (lower case, canonical tones)
    needs_capitals: bool = False  # ambiguous in lower case: expand only when capitalised
    # A document type: also expanded in lower case before a number ("kl 13", "qd 2224").
    numbered: bool = False


ABBREVIATIONS: tuple[Abbreviation, ...] = (
    Abbreviation("UBND", "ủy ban nhân dân"),
    Abbreviation("HĐND", "hội đồng nhân dân"),
    Abbreviation("BCĐ", "ban chỉ đạo"),
    Abbreviation("ANTT", "an ninh trật tự"),
    Abbreviation("ANTQ", "an ninh tổ quốc"),
    Abbreviation("CHQS", "chỉ huy quân sự"),
    Abbreviation("BCHQS", "bộ chỉ huy quân sự"),
    Abbreviation("CNTT", "công nghệ thông tin"),
    Abbreviation("PCTP", "phòng chống tội phạm"),
    Abbreviation("TNXH", "tệ nạn xã hội"),
    Abbreviation("TTATXH", "trật tự an toàn xã hội"),
    Abbreviation("ANCT", "an ninh chính trị"),
    Abbreviation("BCA", "bộ công an"),
    Abbreviation("BQP", "bộ quốc phòng"),
    Abbreviation("VKSND", "viện kiểm sát nhân dân"),
    Abbreviation("TAND", "tòa án nhân dân"),
    Abbreviation("MTTQ", "mặt trận tổ quốc"),
    Abbreviation("UBMTTQ", "ủy ban mặt trận tổ quốc"),
    Abbreviation("VPUB", "văn phòng ủy ban"),
    Abbreviation("TTLT", "thông tư liên tịch"),
    Abbreviation("BĐBP", "bộ đội biên phòng"),
    Abbreviation("CAT", "công an tỉnh", needs_capitals=True),
    Abbreviation("KH", "kế hoạch", needs_capitals=True, numbered=True),
    Abbreviation("QĐ", "quyết định", needs_capitals=True, numbered=True),
    Abbreviation("NQ", "nghị quyết", needs_capitals=True, numbered=True),
    Abbreviation("KL", "kết luận", needs_capitals=True, numbered=True),
    Abbreviation("CT", "chỉ thị", needs_capitals=True, numbered=True),
    Abbreviation("CTr", "chương trình", needs_capitals=True, numbered=True),
    Abbreviation("TW", "trung ương", needs_capitals=True),
    Abbreviation("TU", "tỉnh ủy", needs_capitals=True),
    Abbreviation("CP", "chính phủ", needs_capitals=True),
    Abbreviation("NĐ", "nghị định", needs_capitals=True, numbered=True),
    Abbreviation("TTg", "thủ tướng", needs_capitals=True),
)


@cache
def abbreviation_table() -> dict[str, Abbreviation]:
    """Lookup keyed by the lower-case short form and, for the unambiguous ones, its folded
    form too ("hđnd" and "hdnd")."""
    from ingest.vntext import fold

    table: dict[str, Abbreviation] = {}
    for abbr in ABBREVIATIONS:
        table[abbr.short.lower()] = abbr
        table.setdefault(fold(abbr.short), abbr)
    return table


__all__ = ["ABBREVIATIONS", "Abbreviation", "abbreviation_table"]
