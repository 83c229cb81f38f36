"""How another plan cites a document whose own header leaves its number or date blank.

The Chương trình of Ban Thường vụ Tỉnh ủy implementing Kết luận 13-KL/TW prints no number or
date of its own, but the Quảng Ngãi decision rests on it: "Căn cứ Chương trình số 13-CTr/TU,
ngày 12/10/2021 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số 13-KL/TW ...". An officer
asking for the programme's number gets that citation, said to be the other plan's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.header import DOC_CODE
from ingest.types import DocumentMeta, Section
from ingest.vntext import fold
from service.evidence import sentence_spans

# "Chương trình số 13-CTr/TU, ngày 12/10/2021 của Ban Thường vụ Tỉnh ủy về ..."
_CITATION = re.compile(
    r"(?P<kind>\w+(?: \w+)?) số (?P<number>\d{1,5}[-/][\w/-]+),? ngày (?P<date>\d{1,2}/\d{1,2}/\d{4})"
    r" của (?P<issuer>[^,;.()]+?) (?:về|thực hiện) (?P<subject>[^;]{0,160})"
)


@dataclass(frozen=True)
class CitedAs:
    """A sentence of another document citing this one by number and date."""

    doc_id: str  # the citing document
    section_path: str
    sentence: str
    number: str
    date: str


def cited_as(
    meta: DocumentMeta,
    others: dict[str, DocumentMeta],
    sections_of: Callable[[str], dict[str, Section]],
) -> CitedAs | None:
    """The first citation of `meta` in the other documents: same type and issuer, and its
    subject names the document codes of `meta`'s title."""
    # Document codes the cited subject and the document's title must share ("13-KL/TW").
    codes = set(DOC_CODE.findall(meta.title))
    if not codes or not meta.doc_type or not meta.issuer:
        return None
    for doc_id in sorted(others):
        if doc_id == meta.doc_id:
            continue
        for path, section in sections_of(doc_id).items():
            for start, end in sentence_spans(section.text):
                sentence = section.text[start:end]
                for match in _CITATION.finditer(sentence):
                    if _cites(match, meta, codes):
                        return CitedAs(
                            doc_id, path, sentence.strip(), match["number"], match["date"]
                        )
    return None


def _cites(match: re.Match[str], meta: DocumentMeta, codes: set[str]) -> bool:
    same_kind = fold(match["kind"]).endswith(fold(meta.doc_type))
    same_issuer = fold(meta.issuer).startswith(fold(match["issuer"]).strip())
    return same_kind and same_issuer and bool(codes & set(DOC_CODE.findall(match["subject"])))


__all__ = ["CitedAs", "cited_as"]
