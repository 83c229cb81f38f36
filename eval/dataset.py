"""The evaluation question set: loading, and checking each gold answer against the corpus.

Questions were written by reading the plans, never from a parser's output, so `validate` checks
them against the raw corpus text only (quotes and facts), independent of any parsing code.
The format is described in `eval/datasets/SCHEMA.md`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ingest.errors import BadRequest
from ingest.vntext import fold, has_diacritics, nfc

KINDS: tuple[str, ...] = (
    "deadline",
    "responsibility",
    "target",
    "content",
    "metadata",
    "comparison",
    "unanswerable",
)
DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "plans_qa.jsonl"
HEADER_PATH = ""  # section path of evidence in the header or signature block (metadata)

_WHITESPACE = re.compile(r"\s+")
_PATH_FORBIDDEN = re.compile(r"\s")


@dataclass(frozen=True)
class Question:
    """One evaluation question with its gold answer.

    `evidence[i]` is quoted from `doc_ids[i]` when there are several documents, otherwise from
    `doc_ids[0]`; `section_paths[i]` is the section holding `evidence[i]` ("" = header block).
    Each fact is a tuple of accepted variants; an answer must contain one variant of every fact.
    """

    id: str
    question: str
    kind: str
    answerable: bool
    doc_ids: tuple[str, ...] = ()
    section_paths: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    no_diacritics: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""

    def evidence_doc(self, index: int) -> str:
        """The document that `evidence[index]` is quoted from."""
        return self.doc_ids[index] if len(self.doc_ids) > 1 else self.doc_ids[0]

    def evidence_items(self) -> list[tuple[str, str, str]]:
        """(doc_id, section_path, quote) for every evidence quote, in order."""
        return [
            (self.evidence_doc(i), self.section_paths[i], quote)
            for i, quote in enumerate(self.evidence)
            if i < len(self.section_paths)
        ]


def match_form(text: str) -> str:
    """Form used to compare quotes with documents: NFC, whitespace runs (and newlines) → one space."""
    return _WHITESPACE.sub(" ", nfc(text)).strip()


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value)


def _facts(value: Any) -> tuple[tuple[str, ...], ...]:
    if not value:
        return ()
    return tuple(_strings(variants) for variants in value)


def question_from_record(record: dict[str, Any]) -> Question:
    """Build a Question from one JSON object; strings are accepted where lists are expected."""
    try:
        return Question(
            id=str(record["id"]),
            question=str(record["question"]),
            kind=str(record["kind"]),
            answerable=bool(record["answerable"]),
            doc_ids=_strings(record.get("doc_ids")),
            section_paths=_strings(record.get("section_paths")),
            evidence=_strings(record.get("evidence")),
            facts=_facts(record.get("facts")),
            no_diacritics=bool(record.get("no_diacritics", False)),
            tags=_strings(record.get("tags")),
            note=str(record.get("note", "")),
        )
    except KeyError as exc:
        raise BadRequest(
            "Câu hỏi trong bộ đánh giá thiếu trường bắt buộc.", f"missing field {exc}"
        ) from exc


def typed_without_accents(questions: list[Question]) -> list[Question]:
    """The same questions as officers often type them: lower case, no diacritics. The gap to
    the accented run is what the accentless target (within 5 points) is measured on."""
    return [replace(q, question=fold(q.question), no_diacritics=True) for q in questions]


def typed_half_accented(questions: list[Question]) -> list[Question]:
    """The accented questions typed in a hurry: every other word without its marks ("Kế
    hoach năm 2024 cua Hải Dương ..."). Questions already typed without accents are left
    out, so the run measures the mixed form only."""
    out = []
    for q in questions:
        if not has_diacritics(q.question):
            continue
        words = q.question.split()
        half = " ".join(_unmarked(w) if i % 2 else w for i, w in enumerate(words))
        out.append(replace(q, question=half))
    return out


def _unmarked(word: str) -> str:
    """The word without its marks, case kept ("Dương" → "Duong")."""
    return "".join(fold(c).upper() if c.isupper() else fold(c) for c in nfc(word))


def load_dataset(path: Path | None = None) -> list[Question]:
    """Read a JSONL question set (default: the bundled `plans_qa.jsonl`)."""
    path = Path(path) if path is not None else DEFAULT_DATASET
    if not path.is_file():
        raise BadRequest("Không tìm thấy tệp bộ câu hỏi đánh giá.", f"no dataset at {path}")
    questions: list[Question] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRequest(
                "Tệp bộ câu hỏi đánh giá không đúng định dạng JSONL.",
                f"{path}:{number}: {exc}",
            ) from exc
        if not isinstance(record, dict):
            raise BadRequest(
                "Tệp bộ câu hỏi đánh giá không đúng định dạng JSONL.",
                f"{path}:{number}: not a JSON object",
            )
        questions.append(question_from_record(record))
    return questions


def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """Document id (file stem) → text in `match_form`, for the plain-text corpus files."""
    texts: dict[str, str] = {}
    for path in sorted(Path(corpus_dir).iterdir()):
        if path.is_file() and path.suffix.lower() in (".txt", ".md"):
            texts[path.stem] = match_form(path.read_text(encoding="utf-8"))
    return texts


def _shape_problems(q: Question) -> list[str]:
    problems: list[str] = []
    if q.kind not in KINDS:
        problems.append(f"unknown kind {q.kind!r}")
    if not q.question.strip():
        problems.append("empty question")
    if q.answerable != (q.kind != "unanswerable"):
        problems.append("answerable must be false exactly when kind is 'unanswerable'")
    if q.no_diacritics == has_diacritics(q.question):
        problems.append(f"no_diacritics={q.no_diacritics} disagrees with the question text")
    if not q.answerable:
        if q.doc_ids or q.section_paths or q.evidence or q.facts:
            problems.append(
                "an unanswerable question has no gold documents, paths, evidence or facts"
            )
        return problems
    if not q.doc_ids:
        problems.append("no gold document")
    if not q.evidence:
        problems.append("no evidence")
    if not q.facts:
        problems.append("no facts")
    if len(q.section_paths) != len(q.evidence):
        problems.append("section_paths and evidence differ in length")
    if len(q.doc_ids) > 1 and len(q.evidence) != len(q.doc_ids):
        problems.append("with several documents, evidence[i] must belong to doc_ids[i]")
    if q.kind == "comparison" and len(set(q.doc_ids)) < 2:
        problems.append("a comparison needs at least two documents")
    for path in q.section_paths:
        if _PATH_FORBIDDEN.search(path):
            problems.append(f"section path {path!r} contains whitespace")
    for variants in q.facts:
        if not variants or not all(v.strip() for v in variants):
            problems.append("a fact has an empty variant list or an empty variant")
    return problems


def validate(questions: Sequence[Question], corpus_dir: Path) -> list[str]:
    """Every problem found, as "id: what"; an empty list means the set is consistent."""
    texts = corpus_texts(corpus_dir)
    problems: list[str] = []
    seen: set[str] = set()
    for q in questions:
        found = _shape_problems(q)
        if q.id in seen:
            found.append("duplicate id")
        seen.add(q.id)
        missing = [d for d in q.doc_ids if d not in texts]
        found += [f"document {d!r} is not in the corpus" for d in missing]
        if q.answerable and q.doc_ids and not missing:
            for doc_id, _path, quote in q.evidence_items():
                if match_form(quote) not in texts[doc_id]:
                    found.append(f"evidence not found in {doc_id}: {quote[:60]!r}")
            for variants in q.facts:
                if variants and not any(match_form(variants[0]) in texts[d] for d in q.doc_ids):
                    found.append(f"fact {variants[0]!r} is not in a gold document")
        problems += [f"{q.id}: {p}" for p in found]
    return problems


def count_by(questions: Iterable[Question], key: str) -> dict[str, int]:
    """How many questions per value of a field (kind) or per gold document (doc_ids)."""
    counts: dict[str, int] = {}
    for q in questions:
        values = set(getattr(q, key)) if key in ("doc_ids", "tags") else {str(getattr(q, key))}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    return counts


__all__ = [
    "DEFAULT_DATASET",
    "HEADER_PATH",
    "KINDS",
    "Question",
    "corpus_texts",
    "count_by",
    "load_dataset",
    "match_form",
    "question_from_record",
    "validate",
]
