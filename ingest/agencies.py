"""Agency names: one agency, one entry, however a plan spells it.

Plans write the same body long and short ("Bộ Chỉ huy Quân sự tỉnh" / "Bộ CHQS tỉnh"), with
either tone placement ("Ủy"/"Uỷ") and in lists whose own commas are part of names
("các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"). The alias table is data
(`ingest/data/agencies.json`); this module reads it and splits role values into agencies.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from ingest.types import Agency
from ingest.vntext import canonical_tones, fold, index_form, nfc

# Words that open a new agency inside a list; a piece that opens otherwise continues the
# previous one ("các sở" + "ban" + "ngành tỉnh" is one group, "Thể thao và Du lịch" one name).
# Proper heads count only when capitalised ("Đoàn Thanh niên", not "đoàn thể").
_PROPER_HEADS = (
    "Ủy ban", "UBND", "UBMTTQ", "HĐND", "Hội đồng", "Sở", "Bộ", "Ban", "Công an", "Viện",
    "VKSND", "Tòa án", "TAND", "Đảng ủy", "Đảng đoàn", "Hội", "Liên đoàn", "Đoàn", "Tỉnh đoàn",
    "Cục", "Chi cục", "Chi Cục", "Ngân hàng", "Báo", "Đài", "Mặt trận", "Thanh tra", "Văn phòng",
    "Trường", "Trung tâm", "Kho bạc", "Quân đội", "Hải quan", "Kiểm lâm", "Biên phòng",
    "Lực lượng", "Phòng", "Huyện ủy", "Thị ủy", "Thành ủy", "Tỉnh ủy", "BCĐ", "Thành viên",
    "Các", "Cơ quan", "Đề nghị", "Người đứng đầu", "Chính quyền", "Cấp ủy",
)  # fmt: skip
_GENERIC_HEADS = ("các", "cơ quan", "lực lượng", "đề nghị", "biên phòng", "người đứng đầu")
_HEAD_RE = re.compile(
    r"^(?:" + "|".join(re.escape(h) for h in _PROPER_HEADS + _GENERIC_HEADS) + r")(?![^\W\d_])"
)
_INDUSTRY_HEAD = re.compile(r"^ngành\s+[A-ZĐÂĂÊÔƠƯ]")  # "ngành Kiểm sát" (not "ngành tỉnh")
_SEPARATOR = re.compile(r"(\s*[,;]\s*|\s+và\s+)")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_BRACKET = re.compile(r"\s*\([^()]*\)")
_RESTORE = re.compile(r"[\x00\x01](\d+)[\x00\x01]")
# Role words that trail a value: "... thực hiện.", "... phối hợp thực hiện", "liên quan".
_TRAILING_ROLE = re.compile(
    r"(?:\s*(?:cùng\s+)?(?:phối\s+hợp\s+)?(?:triển\s+khai\s+|tổ\s+chức\s+)?thực\s+hiện)+\s*$",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(r"^(?:đề\s+nghị|giao|và|các\s+đồng\s+chí)\s+", re.IGNORECASE)
_SUB_UNIT = re.compile(r"\s+[-–]\s+(?:Cơ quan|Phòng)\b.*$")  # "Công an tỉnh – Phòng Tham mưu"


@cache
def _table() -> dict:
    text = resources.files("ingest").joinpath("data/agencies.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _agencies() -> tuple[Agency, ...]:
    return tuple(
        Agency(canonical=canonical_tones(nfc(a["canonical"])), aliases=tuple(a["aliases"]))
        for a in _table()["agencies"]
    )


def known_agencies() -> list[Agency]:
    """Every agency in the alias table (canonical name plus its spellings)."""
    return list(_agencies())


@cache
def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    """index form → canonical, and folded form → canonical (for accentless input)."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for agency in known_agencies():
        for name in (agency.canonical, *agency.aliases):
            exact.setdefault(index_form(name), agency.canonical)
            folded.setdefault(fold(canonical_tones(nfc(name))), agency.canonical)
    return exact, folded


@cache
def _abbreviations() -> list[tuple[re.Pattern[str], str]]:
    pairs = sorted(_table()["abbreviations"].items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(rf"(?<![\w&-]){re.escape(k)}(?![\w&])"), v) for k, v in pairs]


@cache
def _protected_names() -> re.Pattern[str]:
    """Known spellings that contain a separator (comma or "và"), longest first."""
    names = {
        index_form(n)
        for a in known_agencies()
        for n in (a.canonical, *a.aliases)
        if _SEPARATOR.search(n)
    }
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(
        r"(?<![^\W\d_])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![^\W\d_])"
    )


def _expand(name: str) -> str:
    for pattern, expansion in _abbreviations():
        name = pattern.sub(expansion, name)
    return name


def _clean(name: str) -> str:
    name = nfc(name).replace("*", "").replace("\u00a0", " ")
    name = re.sub(r"\s+", " ", name).strip(" \t\n.,;:")
    name = _LEADING_NOISE.sub("", name)
    name = _TRAILING_ROLE.sub("", name).strip(" .,;:")
    name = re.sub(r"\s+(?:có\s+)?liên\s+quan$", " có liên quan", name)
    return name


def canonical_agency(name: str) -> str:
    """The one name for an agency: "Bộ CHQS tỉnh" → "Bộ Chỉ huy Quân sự tỉnh".

    Unknown names come back cleaned (NFC, traditional tone marks, abbreviations expanded,
    first letter capitalised), so two spellings of an unknown agency still meet.
    """
    cleaned = _clean(name)
    if not cleaned:
        return ""
    exact, folded = _lookup()
    for candidate in (cleaned, _SUB_UNIT.sub("", cleaned)):
        for form in (candidate, _expand(candidate)):
            hit = exact.get(index_form(form)) or folded.get(fold(canonical_tones(form)))
            if hit:
                return hit
    expanded = canonical_tones(_expand(cleaned))
    return expanded[:1].upper() + expanded[1:]


def _starts_agency(piece: str) -> bool:
    if _PLACEHOLDER.match(piece):
        return True
    return bool(_HEAD_RE.match(canonical_tones(piece)) or _INDUSTRY_HEAD.match(piece))


def _raw_pieces(text: str) -> list[str]:
    """Split a list of agencies at commas, semicolons and "và", keeping names whole."""
    protected: list[str] = []
    work = canonical_tones(nfc(text)).replace("*", "")
    work = re.sub(r"\s+", " ", work).strip(" .;:")
    lowered = work.lower()
    # Protect on a lower-case copy, then cut the same spans out of the original.
    spans = [(m.start(), m.end()) for m in _protected_names().finditer(lowered)]
    out, last = [], 0
    for s, e in spans:
        out.append(work[last:s])
        out.append(_stash(protected, work[s:e], "\x00"))
        last = e
    out.append(work[last:])
    work = "".join(out)

    # A bracket is one unit attached to the name before it: "X (Y, Z)".
    work = _BRACKET.sub(lambda m: _stash(protected, m.group(0), "\x01"), work)
    parts = _SEPARATOR.split(work)
    pieces: list[str] = []
    for i in range(0, len(parts), 2):
        piece = parts[i].strip()
        if not piece:
            continue
        if pieces and not _starts_agency(piece):
            pieces[-1] = pieces[-1] + parts[i - 1] + piece
        else:
            pieces.append(piece)
    return [_RESTORE.sub(lambda m: protected[int(m.group(1))], p) for p in pieces]


def _stash(store: list[str], text: str, mark: str) -> str:
    store.append(text)
    return f"{mark}{len(store) - 1}{mark}"


def split_agencies(text: str) -> list[str]:
    """Agencies named in a role value, canonical, in order, each once.

    "Bộ Chỉ huy Quân sự tỉnh, các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường và đề
    nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh thực hiện" → four agencies. A unit named in
    brackets ("Bộ Chỉ huy Quân sự tỉnh (Ban Chỉ huy Bộ đội Biên phòng)") is listed after its
    parent.
    """
    result: list[str] = []
    for piece in _raw_pieces(_clean(text)):
        inner = [m.group(1) for m in _PAREN.finditer(piece)]
        names = [_PAREN.sub("", piece)]
        for group in inner:
            names.extend(_raw_pieces(_clean(group)))
        for name in names:
            canonical = canonical_agency(name)
            if canonical and canonical not in result and not _is_noise(canonical):
                result.append(canonical)
    return result


def looks_like_agency(text: str) -> bool:
    """Does this text open with an agency ("Công an tỉnh", "Đề nghị Viện ...", "Các sở, ...")?

    Used to recognise per-agency headings such as "1. Công an tỉnh" in a plan's
    "Phân công trách nhiệm" chapter.
    """
    cleaned = _clean(text)
    if not cleaned or len(cleaned.split()) > 80:
        return False
    known = {a.canonical for a in known_agencies()}
    return canonical_agency(cleaned) in known or bool(_HEAD_RE.match(canonical_tones(cleaned)))


def _is_noise(name: str) -> bool:
    """Fragments that are not agencies: a lone verb or a bare "có liên quan"."""
    return len(name) < 3 or index_form(name) in {"có liên quan", "liên quan", "thực hiện"}


def _words(text: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", fold(canonical_tones(nfc(text)))).strip() + " "


def agency_matches(query: str, canonical: str) -> bool:
    """Does a user's agency filter ("UBND tinh", "Bộ CHQS", "cong an") name this agency?

    A query that is a known agency must name exactly that agency (so "Công an tỉnh" does not
    match "Đảng ủy Công an tỉnh"); any other query matches agencies containing its words,
    accents ignored and abbreviations expanded.
    """
    if not query.strip() or not canonical.strip():
        return False
    wanted = canonical_agency(query)
    target = canonical_agency(canonical)
    exact, folded = _lookup()
    cleaned = _clean(query)
    is_known = any(
        index_form(form) in exact or fold(canonical_tones(form)) in folded
        for form in (cleaned, _expand(cleaned))
    )
    if is_known:
        return wanted == target
    needle = _words(_expand(cleaned)).strip()
    if len(needle) < 3:
        return False
    aliases = next((a.aliases for a in known_agencies() if a.canonical == target), ())
    haystacks = [_words(target), *(_words(_expand(a)) for a in aliases)]
    return any(f" {needle} " in h for h in haystacks)


__all__ = [
    "agency_matches",
    "canonical_agency",
    "known_agencies",
    "looks_like_agency",
    "split_agencies",
]
