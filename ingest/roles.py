"""Who does what in an assignment phrase: lead (chủ trì), cooperating (phối hợp), executing
(thực hiện, tham mưu), directing (chỉ đạo).

Plans say it in one grammar with small variations: "X chủ trì, phối hợp với Y thực hiện",
"X phối hợp với Y thực hiện", "...; đề nghị Z phối hợp thực hiện", "X thực hiện", and per
agency "Chủ trì, phối hợp với Y tổ chức ...". Values hold canonical agency names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agencies import split_agencies
from ingest.vntext import nfc

# "X chủ trì, phối hợp với Y ..." / "X chủ trì, thực hiện" / "X chủ trì"
LEAD_WITH_PARTNERS = re.compile(
    r"^(?P<x>.*?)\s*\bchủ\s+trì\b\s*,?\s*(?:(?:và\s+)?phối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với\s+)?(?P<y>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
# "X phối hợp (với) Y thực hiện" / "đề nghị Z phối hợp thực hiện"
DOER_WITH_PARTNERS = re.compile(
    r"^(?P<x>.+?)\s+phối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với\s+)?(?P<y>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# "thời hạn trình HĐND tỉnh dự thảo Nghị quyết: tại Kỳ họp ..." inside an assignment bracket
TIME_CLAUSE = re.compile(r"^\s*(?:thời\s+hạn|thời\s+gian)\b[^:]*:?\s*(?P<t>.*)$", re.IGNORECASE)
# Where a partner list stops in running text: the verb of the duty.
DUTY_VERB = re.compile(
    r"(?<!\bcác)(?<!\bCác)(?<!\bnhững)\s+(?:tổ\s+chức|tham\s+mưu|triển\s+khai|tiếp\s+tục|trong|tổng\s+hợp|giải\s+quyết|thực\s+hiện|"
    r"điều\s+tra|đẩy\s+mạnh|để|nhằm|kiểm\s+tra|hướng\s+dẫn|xây\s+dựng|theo\s+dõi|giúp|báo\s+cáo|"
    r"đề\s+xuất|nghiên\s+cứu|quản\s+lý|phát\s+hiện|rà\s+soát|bảo\s+đảm|đảm\s+bảo|khảo\s+sát|"
    r"tuyên\s+truyền|vận\s+động|chỉ\s+đạo|lãnh\s+đạo|giám\s+sát|cụ\s+thể\s+hóa|họp|"
    r"chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm|theo\s+nhiệm\s+vụ|gắn|đôn\s+đốc)\b|\s*[;:.]|$",
)  # case-sensitive: "Ban Chỉ đạo" is a name, "chỉ đạo" a verb
_ONLY_ROLE_WORDS = re.compile(
    r"^\s*(?:triển\s+khai\s+|tổ\s+chức\s+)?thực\s+hiện\s*[.]?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Roles:
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    executing: tuple[str, ...] = ()
    directing: tuple[str, ...] = ()
    time_text: str = ""  # a deadline stated inside the assignment ("thời hạn ...: ...")

    def merge(self, other: Roles) -> Roles:
        def join(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return a + tuple(x for x in b if x not in a)

        return Roles(
            lead=join(self.lead, other.lead),
            cooperating=join(self.cooperating, other.cooperating),
            executing=join(self.executing, other.executing),
            directing=join(self.directing, other.directing),
            time_text=self.time_text or other.time_text,
        )

    def any(self) -> bool:
        return bool(self.lead or self.cooperating or self.executing or self.directing)


def top_level_clauses(text: str) -> list[str]:
    """Split at ";" outside brackets."""
    clauses, depth, current = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == ";" and depth == 0:
            clauses.append("".join(current))
            current = []
        else:
            current.append(ch)
    clauses.append("".join(current))
    return [c.strip() for c in clauses if c.strip()]


def _role(default: str, names: list[str]) -> Roles:
    return Roles(**{default: tuple(names)}) if names else Roles()


def read_roles(value: str, default: str = "executing") -> Roles:
    """Read a role value ("Đơn vị thực hiện: ...", a bracketed assignment) into roles.

    `default` is the role the label gives ("lead" for "Đơn vị chủ trì", "executing" for
    "Đơn vị thực hiện" and "Cơ quan tham mưu, thực hiện", ...); an explicit "X chủ trì,
    phối hợp với Y" inside the value overrides it.
    """
    roles = Roles()
    text = re.sub(r"\s+", " ", nfc(value).replace("*", "")).strip(" .")
    for clause in top_level_clauses(text):
        time = TIME_CLAUSE.match(clause)
        if time:
            roles = roles.merge(Roles(time_text=time.group("t").strip(" .")))
            continue
        lead = LEAD_WITH_PARTNERS.match(clause)
        if lead and lead.group("x").strip():
            partners = lead.group("y") or ""
            roles = roles.merge(
                Roles(
                    lead=tuple(split_agencies(lead.group("x"))),
                    cooperating=tuple(split_agencies(partners))
                    if not _ONLY_ROLE_WORDS.match(partners)
                    else (),
                )
            )
            continue
        doer = DOER_WITH_PARTNERS.match(clause)
        if doer:
            doers = split_agencies(doer.group("x"))
            partners = doer.group("y")
            if _ONLY_ROLE_WORDS.match(partners) or not partners.strip():
                # "đề nghị Z phối hợp thực hiện": Z cooperates.
                roles = roles.merge(_role("cooperating", doers))
            elif default == "cooperating":
                roles = roles.merge(_role("cooperating", doers + split_agencies(partners)))
            else:
                roles = roles.merge(_role(default, doers)).merge(
                    _role("cooperating", split_agencies(partners))
                )
            continue
        roles = roles.merge(_role(default, split_agencies(clause)))
    return roles


def partners_in_duty(text: str) -> list[str]:
    """The partner agencies right after "phối hợp (với)" in a duty sentence, up to its verb."""
    m = re.search(r"phối\s+hợp\s+(?:chặt\s+chẽ\s+)?(?:với\s+)?", text, re.IGNORECASE)
    if not m:
        return []
    rest = text[m.end() :]
    stop = DUTY_VERB.search(rest)
    return split_agencies(rest[: stop.start()] if stop else rest)


def read_duty(agencies: list[str], duty: str) -> Roles:
    """Roles of a duty listed under an agency heading ("1. Công an tỉnh" → "b) Chủ trì, ...").

    The heading agency leads when the duty opens with "Chủ trì", otherwise it executes; the
    agencies after "phối hợp với" at the opening cooperate.
    """
    opening = re.sub(r"\s+", " ", nfc(duty).replace("*", "")).strip()
    if re.match(r"^chủ\s+trì\b", opening, re.IGNORECASE):
        return Roles(lead=tuple(agencies), cooperating=tuple(partners_in_duty(opening)))
    if re.match(r"^phối\s+hợp\s+(?:chặt\s+chẽ\s+)?với\b", opening, re.IGNORECASE):
        return Roles(executing=tuple(agencies), cooperating=tuple(partners_in_duty(opening)))
    return Roles(executing=tuple(agencies))


__all__ = ["Roles", "partners_in_duty", "read_duty", "read_roles", "top_level_clauses"]
