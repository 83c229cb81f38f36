"""Query normalisation: one question in, every form the retriever and answerers match on out.

Officers type with or without accents, abbreviate (UBND, BCĐ 138), and name a province, a
year or a document number. Everything here is a pure function of the question string; only the
word segmentation (underthesea, via ingest.tokenize) is loaded on first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.vntext import canonical_tones, fold, has_diacritics, index_form, nfc
from retriever.abbreviations import Abbreviation, abbreviation_table
from retriever.provinces import find_provinces

# Question and function words (index form). Multi-syllable phrases are removed first.
STOP_PHRASES: tuple[str, ...] = (
    "như thế nào", "thế nào", "bao nhiêu", "bao giờ", "khi nào", "lúc nào", "ở đâu",
    "là gì", "những gì", "cái gì", "điều gì", "việc gì", "gì", "cho biết", "cho tôi biết",
    "xin hỏi", "vui lòng", "hãy", "tôi", "chúng tôi", "muốn", "biết", "hỏi", "mấy",
    "ai", "nào", "là", "của", "những", "các", "được", "có", "thì", "mà", "và", "hay",
    "hoặc", "với", "cho", "về", "theo", "trong", "tại", "ở", "bởi", "do", "này", "đó",
    "kia", "ấy", "vậy", "sao", "nhỉ", "ạ", "hả", "nhé", "đâu", "nên", "cần", "phải", "đã",
    "sẽ", "đang", "bị", "thế", "như", "một", "mỗi", "từng", "ra", "vào", "khi", "lúc", "số",
    "đề cập", "nhắc đến", "nhắc tới", "nói đến", "chưa", "với tư cách", "tư cách",
    "cơ quan nào", "đơn vị nào", "đặt ra", "yêu cầu gì", "những yêu cầu nào", "yêu cầu nào",
)  # fmt: skip

# Folded stop syllables that collide with content words when typed without accents:
# "co" = có/cơ (cơ quan), "nhung" = những/nhũng (tham nhũng), "ve" = về/vệ (bảo vệ), ...
FOLDED_UNSAFE: frozenset[str] = frozenset(
    {"co", "nhung", "ve", "do", "thi", "trong", "tai", "the", "dau", "ma", "toi", "bao",
     "vao", "phai", "can", "mot", "chua"}
)  # fmt: skip

# i/y spellings of one syllable ("tỉ lệ" / "tỷ lệ"); the y form is the canonical one.
CANONICAL_SPELLING: dict[str, str] = {"tỉ": "tỷ", "lí": "lý", "kĩ": "kỹ", "kỉ": "kỷ", "mĩ": "mỹ"}

# The same typed without accents ("dinh ki" / "dinh ky"): folded forms compare in the y form.
FOLDED_SPELLING: dict[str, str] = {fold(i): fold(y) for i, y in CANONICAL_SPELLING.items()}


def folded_variants(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """Folded syllables with their other i/y spelling, for a search of the folded text."""
    return tuple(dict.fromkeys([*syllables, *_other_spellings(syllables, FOLDED_SPELLING)]))


def _other_spellings(syllables: Sequence[str], spelling: dict[str, str]) -> list[str]:
    """The other i/y spelling (`spelling` maps i forms to y forms) of each syllable that
    has one, so both are searched."""
    other = {y: i for i, y in spelling.items()} | spelling
    return [other[s] for s in syllables if s in other]


# Document types that may precede a number ("Kế hoạch số 58"), in folded form → display.
DOC_TYPES: dict[str, str] = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "chuong trinh": "Chương trình",
    "nghi quyet": "Nghị quyết",
    "ket luan": "Kết luận",
    "chi thi": "Chỉ thị",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "cong van": "Công văn",
    "to trinh": "Tờ trình",
    "huong dan": "Hướng dẫn",
}

_CODE = re.compile(
    r"(?<![\w/])(\d{1,5})(?:/(\d{4}))?[-/]([A-ZĐ][\wĐđ]*(?:[-/][A-ZĐ][\w()Đđ]*)*)(?![\w/])"
)
_TYPED_NUMBER = re.compile(
    r"\b(" + "|".join(DOC_TYPES) + r")\s*(so\s*)?[:.]?\s*(\d{1,5})(?![\d/.,]*\d)"
)
_YEAR = re.compile(r"(?<![\d/.])((?:19|20)\d{2})(?![\d/])")
_TOKEN = re.compile(r"[\wĐđ]+(?:[-/][\wĐđ]+)*")


@dataclass(frozen=True)
class DocRef:
    """A document named in a question: "2224/QĐ-UBND" or "Kế hoạch số 58"."""

    number: str  # the numeric part, "2224"
    code: str = ""  # the full code when written, as typed ("2224/QĐ-UBND")
    doc_type: str = ""  # "Quyết định", ... when named


@dataclass(frozen=True)
class NormalizedQuery:
    raw: str
    text: str  # NFC, canonical tones, original case
    index_text: str  # lower-case index form
    expanded: str  # index form with abbreviations spelt out
    dense_text: str  # what the dense encoder sees: the question with abbreviations spelt out
    has_diacritics: bool
    folded: str  # fold(expanded)
    words: tuple[str, ...]  # content words (underthesea, "_"-joined, index form)
    syllables: tuple[str, ...]  # content syllables, index form
    folded_syllables: tuple[str, ...]  # content syllables, folded
    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    period_years: tuple[int, ...] = ()  # years named as a period bound or target ("đến năm 2030")
    doc_refs: tuple[DocRef, ...] = ()
    doc_types: tuple[str, ...] = ()  # document types named ("Chương trình")
    abbreviations: tuple[str, ...] = ()  # short forms found, as printed ("UBND")

    @property
    def document_years(self) -> tuple[int, ...]:
        """Years that name the document itself ("kế hoạch năm 2026"), not a target or period."""
        return tuple(y for y in self.years if y not in self.period_years)

    @property
    def match_terms(self) -> tuple[str, ...]:
        """Content syllables in the form that text should be compared in (see `match_form`)."""
        return self.syllables if self.has_diacritics else self.folded_syllables

    def match_form(self, text: str) -> str:
        """A passage in the form comparable to this query: index form, or folded when the
        question was typed without accents."""
        return index_form(text) if self.has_diacritics else fold(text)


@lru_cache(maxsize=1)
def _stop_sets() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], tuple[str, ...]]:
    singles = frozenset(p for p in STOP_PHRASES if " " not in p)
    phrases = tuple(sorted((p for p in STOP_PHRASES if " " in p), key=len, reverse=True))
    folded_singles = frozenset(fold(p) for p in singles) - FOLDED_UNSAFE
    folded_phrases = tuple(sorted({fold(p) for p in phrases}, key=len, reverse=True))
    return singles, phrases, folded_singles, folded_phrases


def is_stop_word(token: str) -> bool:
    """True for a question/function word in index form ("gì", "bao_nhiêu")."""
    singles, phrases, _, _ = _stop_sets()
    parts = token.replace("_", " ")
    return parts in singles or parts in phrases or all(p in singles for p in parts.split())


def _remove_phrases(tokens: list[str], phrases: tuple[str, ...]) -> list[str]:
    out = list(tokens)
    for phrase in phrases:
        parts = phrase.split()
        n = len(parts)
        i = 0
        while i + n <= len(out):
            if out[i : i + n] == parts:
                del out[i : i + n]
            else:
                i += 1
    return out


def content_syllables(syllables: list[str], folded: bool = False) -> list[str]:
    """Drop question and function words, keep everything else (order kept, no duplicates)."""
    singles, phrases, folded_singles, folded_phrases = _stop_sets()
    if folded:
        kept = _remove_phrases(syllables, folded_phrases)
        kept = [s for s in kept if s not in folded_singles]
    else:
        kept = _remove_phrases(syllables, phrases)
        kept = [s for s in kept if s not in singles]
    return list(dict.fromkeys(kept))


_NUMBER_NEXT = re.compile(r"\s*(?:so\s+|số\s+)?\d")
_VOWEL = re.compile(r"[aeiouy]")


def _no_vowel(token: str) -> bool:
    """ "ctr", "kh", "qd" are no Vietnamese syllable, so even in lower case they can only be
    the abbreviation ("tu" may be từ or tự, and stays as typed)."""
    return _VOWEL.search(fold(token).lower()) is None


def expand_abbreviations(text: str) -> tuple[str, tuple[Abbreviation, ...]]:
    """Spell out abbreviations in `text` (surface form in, surface form out); codes such as
    `09-NQ/TU` are left whole. Returns the text and the abbreviations found."""
    table = abbreviation_table()
    found: list[Abbreviation] = []

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        if "/" in token or "-" in token:
            return token
        abbr = table.get(token.lower()) or table.get(fold(token))
        if abbr is None:
            return token
        capitalised = token == abbr.short or token.isupper()
        numbered = abbr.numbered and _NUMBER_NEXT.match(match.string, match.end()) is not None
        if abbr.needs_capitals and not (capitalised or numbered or _no_vowel(token)):
            return token
        found.append(abbr)
        return abbr.expansion

    expanded = _TOKEN.sub(replace, text)
    return expanded, tuple(dict.fromkeys(found))


def _is_year_like(match: re.Match[str]) -> bool:
    """ "Kế hoạch 2024" is a year; "Kế hoạch số 2024" is a number."""
    return not match.group(2) and 1900 <= int(match.group(3)) <= 2099


def find_doc_types(text: str) -> tuple[str, ...]:
    """Document types a question names ("Chương trình", "Quyết định", ...)."""
    folded = fold(nfc(text))
    return tuple(label for key, label in DOC_TYPES.items() if re.search(rf"\b{key}\b", folded))


def find_doc_refs(text: str) -> tuple[DocRef, ...]:
    """Document numbers named in a question: codes ("2224/QĐ-UBND", "09-NQ/TU") and typed
    numbers ("Kế hoạch số 58", "quyet dinh 2224")."""
    refs: list[DocRef] = []
    surface = nfc(text)
    for match in _CODE.finditer(surface):
        refs.append(DocRef(number=str(int(match.group(1))), code=match.group()))
    folded = fold(surface)
    for match in _TYPED_NUMBER.finditer(folded):
        if _is_year_like(match):
            continue
        number = str(int(match.group(3)))
        doc_type = DOC_TYPES[match.group(1)]
        known = next((r for r in refs if r.number == number), None)
        if known is not None:
            if not known.doc_type:
                refs[refs.index(known)] = DocRef(number, known.code, doc_type)
            continue
        refs.append(DocRef(number=number, doc_type=doc_type))
    return tuple(refs)


def _with_expanded_refs(
    refs: tuple[DocRef, ...], expanded: tuple[DocRef, ...]
) -> tuple[DocRef, ...]:
    """Typed numbers named through an abbreviation ("KL 13" is "Kết luận 13") join the refs
    read from the question as typed."""
    known = {ref.number for ref in refs}
    return refs + tuple(ref for ref in expanded if ref.number not in known)


def find_years(text: str) -> tuple[int, ...]:
    """Years a question names ("năm 2026", "2025 - 2030"), not those inside dates or codes."""
    cleaned = fold(_CODE.sub(" ", nfc(text)))
    cleaned = _TYPED_NUMBER.sub(lambda m: m.group() if _is_year_like(m) else " ", cleaned)
    cleaned = re.sub(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}/\d{4}", " ", cleaned)
    years = [int(m.group(1)) for m in _YEAR.finditer(cleaned)]
    return tuple(dict.fromkeys(years))


_PERIOD_PREFIX = re.compile(
    r"(?:den|toi|so voi|truoc|sau|tu|giai doan|dinh huong|tam nhin|nhiem ky)(?: nam)?\s*$"
)
_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")


def find_period_years(text: str) -> tuple[int, ...]:
    """Years named as a period bound or target ("đến năm 2030", "giai đoạn 2025 - 2030",
    "so với năm 2021"), which the answer may mention without being that year's document."""
    folded = fold(nfc(text))
    out: list[int] = []
    for match in _RANGE.finditer(folded):
        out += [int(match.group(1)), int(match.group(2))]
    for match in _YEAR.finditer(folded):
        if _PERIOD_PREFIX.search(folded[: match.start()]):
            out.append(int(match.group(1)))
    return tuple(dict.fromkeys(out))


def normalize_query(question: str) -> NormalizedQuery:
    """Every form of a question the retriever and the answerers need."""
    from ingest.tokenize import syllables as split_syllables
    from ingest.tokenize import words as split_words

    text = canonical_tones(nfc(question)).strip()
    text = re.sub(r"\s+", " ", text)
    expanded_surface, abbrs = expand_abbreviations(text)
    expanded = index_form(expanded_surface)
    accented = has_diacritics(text)

    syllables = split_syllables(expanded_surface)
    short_forms = [a.short.lower() for a in abbrs]
    content = content_syllables(syllables) + [s for s in short_forms if accented]
    content += _other_spellings(content, CANONICAL_SPELLING)
    folded_all = [fold(s) for s in syllables]
    folded_content = content_syllables(folded_all, folded=True) + [fold(s) for s in short_forms]

    words: list[str] = []
    if accented:
        words = [w for w in split_words(expanded_surface) if not is_stop_word(w)]
        words += short_forms

    return NormalizedQuery(
        raw=question,
        text=text,
        index_text=index_form(text),
        expanded=expanded,
        dense_text=expanded_surface,
        has_diacritics=accented,
        folded=fold(expanded),
        words=tuple(dict.fromkeys(words)),
        syllables=tuple(dict.fromkeys(content)),
        folded_syllables=tuple(dict.fromkeys(folded_content)),
        provinces=find_provinces(text),
        years=find_years(text),
        period_years=find_period_years(text),
        doc_refs=_with_expanded_refs(find_doc_refs(text), find_doc_refs(expanded_surface)),
        doc_types=find_doc_types(expanded_surface),
        abbreviations=tuple(a.short for a in abbrs),
    )


__all__ = [
    "DocRef",
    "NormalizedQuery",
    "content_syllables",
    "expand_abbreviations",
    "find_doc_refs",
    "find_doc_types",
    "find_period_years",
    "find_years",
    "folded_variants",
    "is_stop_word",
    "normalize_query",
]
