"""Document metadata from a plan's header block, preamble and signature: number, type, issuer,
province, place and date, title, signer and distribution list ("Nơi nhận").

Drafts leave number and date blank ("Số: /KH-UBND", "ngày   tháng 5 năm 2026"): the blank
parts stay blank and the year still counts. A file that starts in the middle of its title
(004) gets a title rebuilt from the preamble, and `title_note` says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from ingest.normalize import NOI_NHAN, PLACE_DATE, is_caps_line
from ingest.types import DocumentMeta

#: "Số: 2224/QĐ-UBND", "Số: /KH-UBND Đồng Tháp, ngày ..." (number part may be blank).
NUMBER = re.compile(r"Số\s*:?\s*(?P<num>\d*)\s*(?P<code>/\s*[A-ZĐ][\w\-/Đ()]*)")
#: "..., Ủy ban nhân dân tỉnh Đồng Tháp ban hành kế hoạch ..." → the issuing body.
ISSUER_IN_PREAMBLE = re.compile(
    r"(?:^|[,;]\s*)(?P<org>[A-ZĐỦ][^,;:()]*?)\s+(?i:ban hành|xây dựng)\s+"
    r"(?i:kế hoạch|chương trình|quyết định|đề án)"
)
#: "ban hành Chương trình thực hiện Kết luận số 13-KL/TW như sau" → type and object.
ISSUED_OBJECT = re.compile(
    r"(?i:ban hành)\s+(?P<type>Chương trình|Kế hoạch|Quyết định|Đề án)\s+(?P<obj>.+?)\s+"
    r"(?:như sau|với (?:các|những) nội dung|gồm)",
    re.IGNORECASE,
)
#: Document codes: "13-KL/TW", "2224/QĐ-UBND", "18/KH-BCĐ138/CP".
DOC_CODE = re.compile(r"\d{1,5}(?:/\d{4})?[-/][A-ZĐ]\w*(?:[-/][A-ZĐ][\w()]*)*")
#: "tỉnh Đồng Tháp", "thành phố Hải Phòng" → the capitalised name after it.
PROVINCE_AFTER = re.compile(r"\b(?:tỉnh|thành phố|TỈNH|THÀNH PHỐ)\s+((?:[A-ZĐ][\w]*\s?){1,4})")
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})")
_ROLE_PREFIX = re.compile(r"^(?:(?:TM|T/M|KT|TL)\.?\s+)?(?:(?:PHÓ\s+)?CHỦ TỊCH\s+)?")
_ORG_HEADS = (
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("UỶ BAN NHÂN DÂN", "Uỷ ban nhân dân"),
    ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
    ("BAN THƯỜNG VỤ TỈNH ỦY", "Ban Thường vụ Tỉnh ủy"),
    ("BAN CHỈ ĐẠO", "Ban Chỉ đạo"),
    ("TỈNH ỦY", "Tỉnh ủy"),
)
_TYPE_NAMES = {
    "KẾ HOẠCH": "Kế hoạch",
    "QUYẾT ĐỊNH": "Quyết định",
    "CHƯƠNG TRÌNH": "Chương trình",
    "CHỈ THỊ": "Chỉ thị",
    "NGHỊ QUYẾT": "Nghị quyết",
    "ĐỀ ÁN": "Đề án",
    "HƯỚNG DẪN": "Hướng dẫn",
    "THÔNG BÁO": "Thông báo",
    "BÁO CÁO": "Báo cáo",
}
#: Provinces and centrally governed cities (names before the 2025 mergers, which plans cite).
PROVINCES = frozenset(
    (
        "An Giang",
        "Bà Rịa - Vũng Tàu",
        "Bạc Liêu",
        "Bắc Giang",
        "Bắc Kạn",
        "Bắc Ninh",
        "Bến Tre",
        "Bình Dương",
        "Bình Định",
        "Bình Phước",
        "Bình Thuận",
        "Cà Mau",
        "Cao Bằng",
        "Cần Thơ",
        "Đà Nẵng",
        "Đắk Lắk",
        "Đắk Nông",
        "Điện Biên",
        "Đồng Nai",
        "Đồng Tháp",
        "Gia Lai",
        "Hà Giang",
        "Hà Nam",
        "Hà Nội",
        "Hà Tĩnh",
        "Hải Dương",
        "Hải Phòng",
        "Hậu Giang",
        "Hòa Bình",
        "Hồ Chí Minh",
        "Hưng Yên",
        "Khánh Hòa",
        "Kiên Giang",
        "Kon Tum",
        "Lai Châu",
        "Lạng Sơn",
        "Lào Cai",
        "Lâm Đồng",
        "Long An",
        "Nam Định",
        "Nghệ An",
        "Ninh Bình",
        "Ninh Thuận",
        "Phú Thọ",
        "Phú Yên",
        "Quảng Bình",
        "Quảng Nam",
        "Quảng Ngãi",
        "Quảng Ninh",
        "Quảng Trị",
        "Sóc Trăng",
        "Sơn La",
        "Tây Ninh",
        "Thái Bình",
        "Thái Nguyên",
        "Thanh Hóa",
        "Thừa Thiên Huế",
        "Huế",
        "Tiền Giang",
        "Trà Vinh",
        "Tuyên Quang",
        "Vĩnh Long",
        "Vĩnh Phúc",
        "Yên Bái",
    )
)
#: Signers whose office places an unheaded document. 004 names no province anywhere: it is
#: signed "T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ, Đặng Ngọc Huy", who was Phó Bí thư Thường trực Tỉnh
#: ủy Quảng Ngãi in 2021; and 001 (Quảng Ngãi) cites "Chương trình số 13-CTr/TU, ngày
#: 12/10/2021 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số 13-KL/TW", which is what 004
#: is (a Ban Thường vụ Tỉnh ủy programme implementing Kết luận 13-KL/TW). Public record, not
#: text evidence, so it is the last resort after issuer, place and "tỉnh X" mentions.


@dataclass(frozen=True)
class Layout:
    """Where the parts of one document sit in its line list (indices into that list)."""

    type_line: str
    header: list[str]
    title: list[str]
    partial_title: bool
    extras: list[str]  # authority line, "(Ban hành kèm theo ...)"
    front_start: int
    body_start: int
    body_end: int
    trailer: list[str]


def type_name(type_line: str) -> str:
    """ "KẾ HOẠCH" → "Kế hoạch"."""
    return _TYPE_NAMES.get(type_line.strip(), type_line.strip().capitalize())


def is_person_name(text: str) -> bool:
    """ "Phạm Thành Ngại": 2-5 capitalised words, nothing else (the signer line)."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(
        w[:1].isupper() and (w[1:].islower() or not w[1:]) for w in words
    )


def _number(header: str) -> str:
    m = NUMBER.search(header)
    return (m.group("num") + m.group("code").replace(" ", "")) if m else ""


def _proper_org(caps: str) -> str:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" → "Ủy ban nhân dân tỉnh Quảng Ngãi"."""
    text = _ROLE_PREFIX.sub("", caps.strip())
    for upper, proper in _ORG_HEADS:
        if text.startswith(upper):
            rest = text[len(upper) :].strip()
            m = re.match(r"(TỈNH|THÀNH PHỐ)\s+(.+)$", rest)
            if m:
                return f"{proper} {m.group(1).lower()} {m.group(2).title()}"
            return f"{proper} {rest.title()}".strip()
    return ""


def _province_in(text: str) -> str:
    m = PROVINCE_AFTER.search(text)
    if not m:
        return ""
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).title() if words[0].isupper() else " ".join(words[:n])
        if name in PROVINCES:
            return name
    return ""


_DRAFT = re.compile(r"^\s*DỰ\s+THẢO\b")


def _signer_title(trailer: list[str], signer: str) -> str:
    """The capitalised lines right above the signer's name, e.g. "TM. ỦY BAN NHÂN DÂN / KT.
    CHỦ TỊCH / PHÓ CHỦ TỊCH"; they say in what capacity the plan was signed."""
    if not signer or signer not in trailer:
        return ""
    lines: list[str] = []
    for line in reversed(trailer[: trailer.index(signer)]):
        if not line.strip():
            continue
        if not is_caps_line(line):
            break
        lines.append(line.strip())
    return " / ".join(reversed(lines))


def _recipients(trailer: list[str]) -> tuple[str, ...]:
    items: list[str] = []
    inside = False
    for line in trailer:
        if NOI_NHAN.match(line):
            inside = True
            line = NOI_NHAN.sub("", line).strip()
            if not line.startswith(("-", "+")):
                continue
        if not inside:
            continue
        if line.startswith(("-", "+")):
            items.append(line[1:].strip().rstrip(";,.").strip())
        elif line.startswith("(") and items:
            items[-1] = f"{items[-1]} {line}".strip()
        elif is_caps_line(line) or is_person_name(line):
            inside = False
    return tuple(item for item in items if item)


def _rebuild_title(partial: str, preamble: str) -> tuple[str, str, str]:
    """(title, doc_type, note) for a file that starts mid-title, from the preamble's
    "ban hành <Type> <object> như sau" and the words the preamble shares with the fragment."""
    m = ISSUED_OBJECT.search(preamble)
    if not m:
        return f"… {partial}", "", "file starts mid-title; only the fragment is known"
    doc_type = m.group("type").capitalize()
    obj = m.group("obj")
    title = f"{obj[:1].upper()}{obj[1:]} … {partial}"
    code = DOC_CODE.search(obj)
    opening = " ".join(partial.split()[:5])
    if code:
        start = preamble.find(code.group(0))
        overlap = preamble.find(opening, start)
        if start >= 0 and overlap > start:
            between = preamble[start + len(code.group(0)) : overlap].strip()
            title = f"{obj[:1].upper()}{obj[1:]} {between} {partial}".replace("  ", " ")
    note = (
        "file starts mid-title: title rebuilt from the preamble's "
        f"'ban hành {m.group('type')} {obj}', the preamble's words up to the fragment, "
        "and the fragment itself"
    )
    return title.strip(), doc_type, note


def read_meta(
    doc_id: str,
    layout: Layout,
    preamble: str,
    full_text: str,
    source_path: str = "",
    source_format: str = "txt",
) -> DocumentMeta:
    """Metadata of the first document of a file."""
    header = "\n".join(layout.header)
    number = _number(header)
    place, date_text, issued, year = "", "", None, None
    m = PLACE_DATE.search(header)
    if m:
        place, date_text = m.group("place"), m.group("text")
        year = int(m.group("year"))
        if m.group("day") and m.group("month"):
            issued = date(year, int(m.group("month")), int(m.group("day")))
    doc_type = type_name(layout.type_line) if layout.type_line else ""
    title, note = " ".join(layout.title).strip(), ""
    if layout.partial_title:
        title, found_type, note = _rebuild_title(title, preamble)
        doc_type = doc_type or found_type
    if year is None and (ym := _YEAR_IN_TITLE.search(title)):
        year = int(ym.group(1))
    trailer = layout.trailer
    signer = next((x for x in reversed(trailer) if is_person_name(x)), "")
    # The issuing clause closes the preamble ("..., X ban hành kế hoạch như sau:"); earlier
    # matches are cited acts ("Quyết định số 33/QĐ-TTg ... về ban hành Chương trình").
    found = [m.group("org").strip() for m in ISSUER_IN_PREAMBLE.finditer(preamble)]
    found = [org for org in found if " số " not in f" {org} "]
    issuer = found[-1] if found else ""
    if not issuer:
        caps = [x for x in layout.header + layout.extras if is_caps_line(x)]
        issuer = next((org for x in caps if (org := _proper_org(x))), "")
    province = _province_in(issuer) or (place if place in PROVINCES else "")
    if not province:
        mentions = Counter(
            p for x in re.finditer(PROVINCE_AFTER, full_text) if (p := _province_in(x.group(0)))
        )
        province = mentions.most_common(1)[0][0] if mentions else ""
    if not issuer and number.endswith("-UBND") and province:
        issuer = f"Ủy ban nhân dân tỉnh {province}"
    if province and province not in issuer and re.search(r"(?:tỉnh|Tỉnh ủy)$", issuer):
        issuer = f"{issuer} {province}"
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        doc_type=doc_type,
        number=number,
        issuer=issuer,
        province=province,
        place=place,
        issued_date=issued,
        date_text=date_text,
        year=year,
        signer=signer,
        signer_title=_signer_title(trailer, signer),
        status="Dự thảo" if any(_DRAFT.match(x) for x in layout.header + layout.extras) else "",
        recipients=_recipients(trailer),
        title_note=note,
        source_path=source_path,
        source_format=source_format,
    )


__all__ = ["Layout", "is_person_name", "read_meta", "type_name"]
