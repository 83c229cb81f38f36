"""What kind of answer a question wants: a deadline, who is responsible, a target figure,
document metadata, a comparison across plans, or general content.

Matched on the folded form so that "thoi han" and "thời hạn" agree. The order of the checks
matters: "ban hành ngày nào" is metadata, not a deadline; "cơ quan nào ban hành" is metadata,
not responsibility.
"""

from __future__ import annotations

import re

from ingest.vntext import fold
from retriever.query import FOLDED_SPELLING

INTENTS = ("deadline", "responsibility", "target", "metadata", "comparison", "general")

# Folded "ky" is also "kỳ" (a period): "sơ kết giữa kỳ vào ngày nào" asks when, not who signed.
_NOT_KY = "".join(
    rf"(?<!\b{word} )" for word in ("giua", "dinh", "cuoi", "dau", "moi", "nhiem", "thoi", "hoc")
)

# Patterns on the folded, lower-case question (word boundaries via \b).
_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "metadata",
        (
            r"\bai ky\b", r"\bnguoi ky\b", r"\bngay ky\b", rf"{_NOT_KY}\bky (?:vao )?ngay\b", r"\bky boi\b", r"\bky ten\b", r"\bchu ky\b",
            r"\bky (?:van ban|ke hoach|quyet dinh|chuong trinh)\b",
            r"\bso hieu\b", r"\bky hieu\b", r"\bso van ban\b",
            r"\bso (?:cua|la) (?:ke hoach|quyet dinh|chuong trinh|van ban)\b",
            r"\bban hanh (?:ngay|nam|thang|luc|khi) ?(?:nao|bao gio|may)?\b",
            r"\bngay ban hanh\b", r"\bban hanh vao\b", r"\bduoc ban hanh\b",
            # "kế hoạch được lập vào tháng nào": when the plan itself was drawn up
            r"(?<!thanh )\blap (?:vao |trong )?(?:ngay|thang|nam) (?:nao|may)\b",
            r"\b(?:co quan|don vi|ai) (?:nao )?ban hanh\b", r"\bco quan ban hanh\b",
            # "do cơ quan nào của tỉnh ban hành": the document's issuer, in the passive
            r"\bdo (?:co quan|don vi|cap) nao\b.{0,30}\bban hanh\b",
            r"\bchuc vu (?:gi|nao)\b",
            # draft or issued: the header's "DỰ THẢO" mark
            r"\bdu thao (?:hay|khong|chua)\b", r"\bchinh thuc hay\b", r"\bban chinh thuc\b",
            r"\bco phai (?:la )?(?:ban )?du thao\b",
            r"\bnoi nhan\b", r"\bgui (?:den|toi) (?:nhung )?(?:ai|co quan nao|don vi nao)\b",
            r"\bten (?:cua )?(?:ke hoach|van ban|quyet dinh|chuong trinh)\b",
            r"\btrich yeu\b", r"\bla (?:loai )?van ban gi\b", r"\bloai van ban\b",
            r"\bdo\b.{1,60}\bky\s*\??$",  # "những kế hoạch nào do ông X ký?"
            r"\bky (?:nhung |cac )?(?:ke hoach|van ban|chuong trinh|quyet dinh) nao\b",
        ),
    ),
    (
        "comparison",
        (
            r"\bso sanh\b", r"\bkhac nhau\b", r"\bkhac biet\b", r"\bgiong nhau\b",
            r"\bdiem (?:chung|khac|giong)\b",
            # several plans as the subject; "kế hoạch của các cơ quan" are sub-plans, not these
            # ("theo những văn bản nào" asks which documents a task follows, not a comparison)
            r"(?<!theo )\b(?:cac|moi|tung|hai|ba|nhung) (?:ke hoach|van ban|chuong trinh)\b(?! cua (?:cac )?(?:co quan|don vi|so|dia phuong|nganh))",
            r"\bca (?:hai|ba|cac|tinh)\b", r"\bgiua (?:cac |hai )?(?:ke hoach|van ban|chuong trinh|tinh)\b",
            r"\bcac tinh\b", r"\bmoi tinh\b",
        ),
    ),
    (
        # asks which task or content, not when or who: "đẩy nhanh tiến độ việc gì", "có
        # nhiệm vụ gì" (a role word or "ai" keeps it a responsibility question)
        "general",
        (
            r"^(?!.*\b(?:ai|(?:don vi|co quan)(?: (?!co so\b)\w+){0,2} nao|chu tri|phoi hop)\b)"
            r".*\b(?:viec|nhiem vu|noi dung|hoat dong|de an|giai phap|bien phap) (?:gi|nao)\b",
            # when a decision takes effect is a clause of its text, not a task's deadline
            r"\b(?:co|phat sinh) hieu luc\b",
            # "phân công nhiệm vụ theo hướng nào", "theo phương châm nào": the manner stated
            r"\btheo (?:huong|phuong cham|nguyen tac|tinh than)\b.*\bnao\b",
            # "hưởng ứng những ngày nào": named days (observances), not a deadline
            r"\b(?:nhung|cac) ngay nao\b",
            # "có đề cập đến Thỏa thuận GCM không? ... của tổ chức nào?": whether and how the
            # plan mentions something, even when it asks whose it is
            r"^(?!.*\b(?:ai|chu tri|phoi hop)\b).*\bco (?:de cap|nhac|noi) (?:den|toi)\b.*\bkhong\b",
            # "Thỏa thuận GCM là thỏa thuận gì, của tổ chức nào?": whose it is, not who acts
            r"^(?!.*\b(?:ai|chu tri|phoi hop)\b).*\bcua to chuc nao\b",
        ),
    ),
    (
        # a rate is a figure even when its name holds a time word: "tỷ lệ truy tố đúng thời hạn"
        "target",
        (r"\b(?:ty le|ti le)\b.*\bbao nhieu\b", r"\bbao nhieu (?:phan tram|%)"),
    ),
    (
        "deadline",
        (
            r"\bkhi nao\b", r"\bthoi han\b", r"\bhan (?:chot|cuoi|nop|gui)\b", r"\bcham nhat\b",
            r"\bngay nao\b", r"\bbao gio\b", r"\btruoc ngay\b", r"\bthoi gian thuc hien\b",
            r"\bthoi gian (?:nao|gi|bao lau)\b", r"\bluc nao\b", r"\bthang nao\b",
            r"\bnam nao\b", r"\bquy nao\b", r"\bthoi diem\b", r"\bden ngay\b",
            r"\bdinh ky\b", r"\bhan\b.*\bnao\b", r"\btien do\b", r"\bmay gio\b",
            r"\bgiai doan nao\b",
            r"\bhang (?:nam|quy|thang)\b.*\b(?:nao|khi|truoc)\b",
            r"\bthoi gian (?:to chuc|tien hanh|hoan thanh|bao cao|gui|trien khai|ket thuc|bat dau)\b",
        ),
    ),
    (
        "responsibility",
        (
            # "cơ quan Trung ương nào", "đơn vị cấp tỉnh nào" ("đơn vị cơ sở nào" is content)
            r"\bchu tri\b", r"\bphoi hop\b", r"\b(?:don vi|co quan)(?: (?!co so\b)\w+){0,2} nao\b",
            r"(?<!\bco )\bso nao\b", r"\bnganh nao\b", r"\bluc luong nao\b",
            # "ngân hàng nào được đề nghị tham gia ...": a kind of agency, asked which one
            r"\b(?:ngan hang|to chuc|cuc|vien|toa an) nao\b", r"(?<!\bdai )(?<!\bxa )\bhoi nao\b",
            r"\bai (?:thuc hien|lam|phu trach|chiu trach nhiem|tham muu|chi dao|theo doi)\b",
            r"\btrach nhiem\b", r"\bgiao (?:cho )?(?:ai|don vi|co quan)\b", r"\bphu trach\b",
            r"\bdon vi thuc hien\b", r"\bco quan (?:chi dao|tham muu)\b", r"\bthuong truc\b",
            r"\bdau moi\b", r"\bphan cong\b", r"\bnhiem vu cua\b", r"\bai\b.*\bgiao\b",
            r"\bla ai\b", r"\bai la\b",
        ),
    ),
    (
        "target",
        (
            r"\bbao nhieu\b", r"\bty le\b", r"\bti le\b", r"\bchi tieu\b", r"%",
            r"\bphan tram\b", r"\bphan dau\b.*\b(?:dat|giam|tang)\b", r"\bkeo giam\b",
            r"\bmuc tieu\b.*\b(?:dat|giam|tang|bao nhieu)\b", r"\bmay (?:phan tram|%)\b",
            r"\bso luong\b", r"\bmuc (?:giam|tang)\b", r"\bit nhat\b", r"\btren \d",
        ),
    ),
)  # fmt: skip

_COMPILED = tuple(
    (intent, tuple(re.compile(p) for p in patterns)) for intent, patterns in _PATTERNS
)


_RESPONSIBILITY = next(patterns for intent, patterns in _COMPILED if intent == "responsibility")


def _folded(question: str) -> str:
    """The question folded, one space apart, "ki"/"ti" in the y form the patterns use."""
    folded = " ".join(fold(question).split())
    return _I_FORM.sub(lambda match: FOLDED_SPELLING[match.group()], folded)


_I_FORM = re.compile(r"\b(?:" + "|".join(FOLDED_SPELLING) + r")\b")


def detect_intent(question: str) -> str:
    """One of INTENTS; "general" when no rule applies. Naming two provinces is a comparison."""
    from retriever.provinces import find_provinces

    folded = _folded(question)
    if len(find_provinces(question)) >= 2 and not _COMPILED[0][1][0].search(folded):
        return "comparison"
    for intent, patterns in _COMPILED:
        if any(pattern.search(folded) for pattern in patterns):
            return intent
    return "general"


# A target question asking for a figure, not for what is required of a rate ("tỷ lệ phát hiện
# phải đạt yêu cầu gì?" is answered by "năm sau cao hơn năm trước").
_ASKS_FIGURE = re.compile(
    r"\bbao nhieu\b|\bmay\b|%|\bphan tram\b|\bchi tieu\b|\bso luong\b|\bit nhat\b|"
    r"\bmuc (?:giam|tang)\b|\bkeo giam\b|\btren \d|\bcon so\b|\bla gi\b"
)


def asks_figure(question: str) -> bool:
    """A target question that wants a figure ("bao nhiêu", "mấy %", "chỉ tiêu ... là gì")."""
    return _ASKS_FIGURE.search(_folded(question)) is not None


def also_asks_who(question: str) -> bool:
    """A deadline question that asks who as well ("phải trình khi nào và do sở nào chủ
    trì?"): the deadline rules come first, so the second part is read here."""
    folded = _folded(question)
    return any(pattern.search(folded) for pattern in _RESPONSIBILITY)


def secondary_intent(question: str) -> str:
    """For a comparison: what is compared (deadline, responsibility, target) or "general"."""
    folded = _folded(question)
    for intent, patterns in _COMPILED:
        if intent in ("deadline", "responsibility", "target") and any(
            pattern.search(folded) for pattern in patterns
        ):
            return intent
    return "general"


__all__ = ["INTENTS", "also_asks_who", "asks_figure", "detect_intent", "secondary_intent"]
