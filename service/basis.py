"""What a plan implements: the resolution, conclusion or higher plan it was issued to carry out.

"Kế hoạch ... triển khai nghị quyết số mấy?", "... được ban hành để thực hiện kế hoạch số
mấy của Đảng ủy?" ask for the document the plan names as its basis, and the plan states it in
its title ("Triển khai thực hiện Nghị quyết số 09-NQ/TU ngày 16/01/2026 ...") or its opening
("Thực hiện Kế hoạch số 58-KH/ĐU ngày 28/4/2026 của Đảng ủy ..."), not in a task that cites
other resolutions.
"""

from __future__ import annotations

import re

from ingest.types import DocumentMeta, Section
from ingest.vntext import fold
from service.evidence import sentence_spans

_KINDS = r"nghi quyet|ket luan|chi thi|ke hoach|chuong trinh|quyet dinh"
# "triển khai nghị quyết số mấy", "để thực hiện kế hoạch số mấy", "cụ thể hóa kết luận nào"
IMPLEMENTS = re.compile(
    rf"\b(?:trien khai|thuc hien|cu the hoa)(?: thuc hien)? ({_KINDS}) (?:so )?(?:may|bao nhieu|nao)\b"
)


def implemented_kind(question: str) -> str:
    """The kind of document (folded: "nghi quyet", "ke hoach", ...) the question asks the plan
    implements, or ""."""
    match = IMPLEMENTS.search(fold(question))
    return match.group(1) if match else ""


def basis_statements(
    meta: DocumentMeta, sections: dict[str, Section], kind: str
) -> list[tuple[str, str]]:
    """(section path, text) of the plan's title and opening sentences that cite a numbered
    document of `kind` ("Nghị quyết số 09-NQ/TU"); the title's path is ""."""
    cites = re.compile(rf"\b{kind} so \d")
    out = [("", meta.title)] if cites.search(fold(meta.title)) else []
    for path, section in sections.items():
        if section.kind != "preamble":
            continue
        for start, end in sentence_spans(section.text):
            sentence = section.text[start:end]
            if cites.search(fold(sentence)):
                out.append((path, sentence))
    return out


__all__ = ["IMPLEMENTS", "basis_statements", "implemented_kind"]
