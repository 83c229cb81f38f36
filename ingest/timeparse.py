"""Task times as plans write them, read into dates, ranges and recurrences.

Officers ask "chậm nhất ngày nào?", so a deadline must be a date, not a string; the text as
written is kept next to it because the normalised reading is ours, the words are the plan's.
Two entry points: `parse_time` reads a whole time value ("Thời gian thực hiện: ..."), and
`find_times` finds the deadlines and recurrences inside running text without mistaking the
dates of cited documents ("Nghị quyết số 09-NQ/TU ngày 16/01/2026") for deadlines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ingest.types import TaskTime
from ingest.vntext import canonical_tones, nfc

# --- patterns (each once, named; examples in tests/test_timeparse.py) -----------------------

# "20/5/2026", "15/12", "20 tháng 5 năm 2026", "20 tháng 5"
_DMY = (
    r"(?:(?P<{p}d>\d{{1,2}})\s*/\s*(?P<{p}m>\d{{1,2}})(?:\s*/\s*(?P<{p}y>\d{{4}}))?"
    r"|(?P<{p}dw>\d{{1,2}})\s+tháng\s+(?P<{p}mw>\d{{1,2}})(?:\s*(?:năm|/)\s*(?P<{p}yw>\d{{4}}))?)"
)


def _dmy(prefix: str) -> str:
    """A date pattern with named groups `<prefix>d/m/y` (numeric) or `<prefix>dw/mw/yw`."""
    return r"(?<![\d/])(?:" + _DMY.format(p=prefix) + r")(?![\d/])"


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_EVERY = r"(?:hằng|hàng|mỗi)"

# "trước ngày 25 tháng cuối quý": a quarterly deadline relative to the quarter's last month.
QUARTER_END_DEADLINE = re.compile(
    r"(?:trước|chậm nhất)\s+(?:ngày\s+)?(?P<day>\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:mỗi\s+|của\s+)?quý",
    re.IGNORECASE,
)
# "từ ngày 01/7/2026 đến hết ngày 30/9/2026"
DATE_RANGE = re.compile(
    r"(?:từ\s+)?ngày\s+" + _dmy("a") + r"\s*(?:đến|-|–)\s*(?:hết\s+)?(?:ngày\s+)?" + _dmy("b"),
    re.IGNORECASE,
)
# "Tháng 7 đến tháng 9/2026", "từ tháng 7 - tháng 9 năm 2026"
MONTH_RANGE = re.compile(
    r"(?:từ\s+)?tháng\s+(?P<m1>\d{1,2})\s*(?:đến|-|–)\s*(?:hết\s+)?tháng\s+(?P<m2>\d{1,2})"
    r"(?:\s*(?:/|năm)\s*(?P<y>\d{4}))?",
    re.IGNORECASE,
)
# "hàng năm trước ngày 15/12", "năm (trước ngày 14/12)", "6 tháng (trước ngày 14/6)"
PERIODIC_DEADLINE = re.compile(
    r"(?P<period>(?:" + _EVERY + r"\s+)?(?:quý|năm|tháng|6\s+tháng|sáu\s+tháng|01\s+năm|1\s+năm))"
    r"\s*,?\s*\(?\s*(?:trước|chậm nhất)\s+(?:ngày\s+)?" + _dmy("r") + r"\s*\)?",
    re.IGNORECASE,
)
# "chậm nhất ngày 20/5/2026", "trước ngày 10/3/2026", "hạn chót ngày ..."
DEADLINE = re.compile(
    r"(?:(?:chậm\s+nhất|trước|hạn\s+chót)\s+(?:ngày\s+)?|trong\s+ngày\s+)" + _dmy("x"),
    re.IGNORECASE,
)
# "Quý II/2026", "quý 3 năm 2026"
QUARTER = re.compile(
    r"quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
# "giai đoạn 2026–2030", "giai đoạn 2026 - 2030"
SPAN_YEARS = re.compile(
    r"giai\s+đoạn\s+(?P<y1>\d{4})\s*(?:-|–|—|đến)\s*(?P<y2>\d{4})",
    re.IGNORECASE,
)
# "đến năm 2025", "trong năm 2026", "năm 2026"
UNTIL_YEAR = re.compile(r"(?:đến|tới)\s+(?:hết\s+)?năm\s+(?P<y>\d{4})", re.IGNORECASE)
IN_YEAR = re.compile(r"(?:trong\s+|giữa\s+|cuối\s+|đầu\s+)?năm\s+(?P<y>\d{4})", re.IGNORECASE)
# "Tháng 5/2026"
ONE_MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})", re.IGNORECASE)
# A bare date, accepted only when the whole value is a time ("Thời gian thực hiện: 20/5/2026").
BARE_DATE = re.compile(r"(?:ngày\s+)?" + _dmy("z"), re.IGNORECASE)
# "định kỳ hằng quý, 6 tháng, 01 năm", "hằng tháng, quý, năm", "hằng năm", "định kỳ"
RECURRENCE = re.compile(
    r"(?:định\s+kỳ\s*,?\s*)?"
    r"(?:" + _EVERY + r"\s+(?:tháng|quý|năm)|6\s+tháng|sáu\s+tháng)"
    r"(?:\s*(?:,|và|hoặc)\s*(?:"
    + _EVERY
    + r"\s+)?(?:tháng|quý|6\s+tháng|sáu\s+tháng|0?1\s+năm|năm)(?!\s+\d))*"
    r"|định\s+kỳ",
    re.IGNORECASE,
)
ONGOING = re.compile(
    r"^\s*(?:thường\s+xuyên|liên\s+tục|thường\s+xuyên,\s+liên\s+tục)\b", re.IGNORECASE
)
_UNIT = re.compile(r"tháng|quý|năm", re.IGNORECASE)
_HALF = re.compile(r"(?:6|sáu)\s+tháng", re.IGNORECASE)


@dataclass(frozen=True)
class TimeMention:
    """A time expression found inside running text, with its character span."""

    start: int
    end: int
    time: TaskTime


# --- helpers ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """NFC, canonical tones, no markdown emphasis, single spaces: matching only, never shown."""
    text = canonical_tones(nfc(text)).replace("*", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None
    return date(year, month, day)


def _group_date(m: re.Match[str], p: str, ref_year: int | None) -> tuple[date | None, int, int]:
    """The date captured by `_dmy(p)`; a date without a year takes the plan's year."""
    day = m.group(f"{p}d") or m.group(f"{p}dw")
    month = m.group(f"{p}m") or m.group(f"{p}mw")
    year = m.group(f"{p}y") or m.group(f"{p}yw")
    y = int(year) if year else ref_year
    return _safe_date(y, int(month), int(day)), int(day), int(month)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _recurrences(phrase: str) -> str:
    """ "định kỳ hằng quý, 6 tháng, 01 năm" → "quarterly,half_yearly,yearly" (shortest first)."""
    found: list[str] = []
    rest = _HALF.sub(" HALF ", phrase)
    for token in re.findall(r"HALF|tháng|quý|năm", rest, flags=re.IGNORECASE):
        name = {
            "half": "half_yearly",
            "tháng": "monthly",
            "quý": "quarterly",
            "năm": "yearly",
        }[token.lower()]
        if name not in found:
            found.append(name)
    order = ["monthly", "quarterly", "half_yearly", "yearly"]
    found.sort(key=order.index)
    return ",".join(found) or "periodic"


# --- the readers, most specific first --------------------------------------------------------


def _read_quarter_end(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    day = int(m.group("day"))
    return TaskTime(
        text=text,
        kind="recurrence",
        due_date=_safe_date(ref_year, 3, day),
        recurrence="quarterly",
        recurrence_detail=f"before day {day} of the quarter's last month",
    )


def _read_date_range(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    end, _, _ = _group_date(m, "b", ref_year)
    start, _, _ = _group_date(m, "a", end.year if end else ref_year)
    return TaskTime(text=text, kind="range", due_date=end, start_date=start)


def _read_month_range(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    year = int(m.group("y")) if m.group("y") else ref_year
    m1, m2 = int(m.group("m1")), int(m.group("m2"))
    if year is None or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return TaskTime(text=text, kind="range", recurrence_detail=f"months {m1}-{m2}")
    return TaskTime(
        text=text, kind="range", start_date=date(year, m1, 1), due_date=_month_end(year, m2)
    )


def _read_periodic_deadline(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    due, day, month = _group_date(m, "r", ref_year)
    period = m.group("period")
    recurrence = _recurrences(period)
    if recurrence == "monthly" and not re.search(_EVERY, period, re.IGNORECASE):
        recurrence = "periodic"
    if m.group("ry") or m.group("ryw"):
        # "năm 2026 (trước ngày ...)" would be a one-off; with a year this is a date.
        return TaskTime(text=text, kind="date", due_date=due)
    return TaskTime(
        text=text,
        kind="recurrence",
        due_date=due,
        recurrence=recurrence,
        recurrence_detail=f"before {day}/{month}",
    )


def _read_deadline(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    due, _, _ = _group_date(m, "x", ref_year)
    return TaskTime(text=text, kind="date", due_date=due)


def _read_quarter(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    q = _ROMAN[m.group("q").lower()]
    year = int(m.group("y"))
    start = date(year, 3 * q - 2, 1)
    return TaskTime(text=text, kind="period", start_date=start, due_date=_month_end(year, 3 * q))


def _read_span_years(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    return TaskTime(text=text, kind="period", start_date=date(y1, 1, 1), due_date=date(y2, 12, 31))


def _read_until_year(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    y = int(m.group("y"))
    return TaskTime(text=text, kind="period", due_date=date(y, 12, 31))


def _read_in_year(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    y = int(m.group("y"))
    return TaskTime(text=text, kind="period", start_date=date(y, 1, 1), due_date=date(y, 12, 31))


def _read_one_month(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    y, mo = int(m.group("y")), int(m.group("m"))
    if not 1 <= mo <= 12:
        return TaskTime(text=text, kind="unknown")
    return TaskTime(text=text, kind="period", start_date=date(y, mo, 1), due_date=_month_end(y, mo))


def _read_recurrence(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    return TaskTime(text=text, kind="recurrence", recurrence=_recurrences(m.group(0)))


def _read_bare_date(m: re.Match[str], text: str, ref_year: int | None) -> TaskTime:
    due, _, _ = _group_date(m, "z", ref_year)
    return TaskTime(text=text, kind="date", due_date=due)


# Readers used inside running text: only expressions that state a task's time.
_IN_TEXT = (
    (QUARTER_END_DEADLINE, _read_quarter_end),
    (DATE_RANGE, _read_date_range),
    (MONTH_RANGE, _read_month_range),
    (PERIODIC_DEADLINE, _read_periodic_deadline),
    (DEADLINE, _read_deadline),
    (QUARTER, _read_quarter),
    (RECURRENCE, _read_recurrence),
)
# Extra readers for a whole time value, where a year or a bare date can only be a time.
_WHOLE_VALUE = (
    *_IN_TEXT[:6],
    (SPAN_YEARS, _read_span_years),
    (UNTIL_YEAR, _read_until_year),
    (BARE_DATE, _read_bare_date),
    (ONE_MONTH, _read_one_month),
    (IN_YEAR, _read_in_year),
    (RECURRENCE, _read_recurrence),
)


def parse_time(text: str, ref_year: int | None = None) -> TaskTime:
    """Read a time value ("Thường xuyên.", "Chậm nhất ngày 20/5/2026", "Quý II/2026", ...).

    A day and month without a year take `ref_year` (the plan's year). The first expression
    read wins; `find_times` lists them all when a value holds several.
    """
    shown = re.sub(r"\s+", " ", nfc(text).replace("*", "")).strip()
    clean = _clean(text)
    if ONGOING.search(clean):
        every = RECURRENCE.search(clean)
        return TaskTime(
            text=shown,
            kind="ongoing",
            recurrence=_recurrences(every.group(0)) if every else "",
        )
    for pattern, reader in _WHOLE_VALUE:
        m = pattern.search(clean)
        if m:
            return reader(m, shown, ref_year)
    return TaskTime(text=shown, kind="unknown")


def find_times(text: str, ref_year: int | None = None) -> list[TimeMention]:
    """Every task time stated in running text, in reading order, non-overlapping.

    Dates of cited documents, bare years and "giai đoạn" spans are not task times here.
    Spans index into the cleaned text (NFC, canonical tones, no `*`, single spaces).
    """
    clean = _clean(text)
    taken: list[tuple[int, int]] = []
    found: list[TimeMention] = []
    for pattern, reader in _IN_TEXT:
        for m in pattern.finditer(clean):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(TimeMention(m.start(), m.end(), reader(m, m.group(0), ref_year)))
    found.sort(key=lambda t: t.start)
    return found


__all__ = ["TimeMention", "find_times", "parse_time"]
