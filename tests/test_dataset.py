"""The evaluation question set: its size and mix, and every gold answer checked against the
corpus text (quotes and facts), plus — once a parser exists — against the parsed sections."""

from __future__ import annotations

import importlib
import json
import re
from functools import cache
from pathlib import Path

import pytest

from eval.dataset import (
    DEFAULT_DATASET,
    HEADER_PATH,
    KINDS,
    Question,
    count_by,
    load_dataset,
    match_form,
    validate,
)
from ingest.errors import BadRequest
from ingest.vntext import fold, has_diacritics, index_form

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "data" / "corpus"
CORPUS_IDS = sorted(p.stem for p in CORPUS_DIR.glob("*.txt"))


# Fresh held-out sets, each written from the plans without running the system (docs/EVAL.md).
HOLDOUT_DATASETS = {
    "h": REPO_ROOT / "eval" / "datasets" / "holdout_qa.jsonl",
    "g": REPO_ROOT / "eval" / "datasets" / "holdout2_qa.jsonl",
    "k": REPO_ROOT / "eval" / "datasets" / "holdout3_qa.jsonl",
    "m": REPO_ROOT / "eval" / "datasets" / "holdout4_qa.jsonl",
    "n": REPO_ROOT / "eval" / "datasets" / "holdout5_qa.jsonl",
    "p": REPO_ROOT / "eval" / "datasets" / "holdout6_qa.jsonl",
}


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_dataset()


@pytest.fixture(
    scope="module", params=[DEFAULT_DATASET, *HOLDOUT_DATASETS.values()], ids=lambda p: p.stem
)
def any_set(request: pytest.FixtureRequest) -> list[Question]:
    """Every bundled set: the development set and the fresh held-out ones."""
    return load_dataset(request.param)


def _corpus(doc_id: str) -> str:
    return match_form((CORPUS_DIR / f"{doc_id}.txt").read_text(encoding="utf-8"))


# --- the real set ------------------------------------------------------------------------------


def test_default_path_is_the_bundled_set() -> None:
    assert DEFAULT_DATASET == REPO_ROOT / "eval" / "datasets" / "plans_qa.jsonl"
    assert DEFAULT_DATASET.is_file()


def test_set_validates_against_the_corpus(any_set: list[Question]) -> None:
    problems = validate(any_set, CORPUS_DIR)
    assert problems == [], "\n".join(problems)


def test_size_ids_and_kinds(questions: list[Question]) -> None:
    assert len(questions) >= 150
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"q\d{3}", i) for i in ids)
    assert set(count_by(questions, "kind")) == set(KINDS)


def test_unanswerable_share_and_shape(questions: list[Question]) -> None:
    unanswerable = [q for q in questions if not q.answerable]
    assert len(unanswerable) >= 0.10 * len(questions)
    for q in unanswerable:
        assert q.kind == "unanswerable"
        assert not (q.doc_ids or q.section_paths or q.evidence or q.facts), q.id


def test_accentless_share_and_flag(questions: list[Question]) -> None:
    accentless = [q for q in questions if q.no_diacritics]
    assert len(accentless) >= 0.20 * len(questions)
    for q in questions:
        assert q.no_diacritics == (not has_diacritics(q.question)), q.id


def test_gold_documents_are_corpus_files(any_set: list[Question]) -> None:
    assert len(CORPUS_IDS) == 5
    for q in any_set:
        assert set(q.doc_ids) <= set(CORPUS_IDS), q.id


def test_evidence_is_quoted_verbatim(any_set: list[Question]) -> None:
    missing = [
        f"{q.id} {doc_id}: {quote!r}"
        for q in any_set
        for doc_id, _path, quote in q.evidence_items()
        if match_form(quote) not in _corpus(doc_id)
    ]
    assert missing == []
    for q in any_set:
        if q.answerable:
            assert len(q.section_paths) == len(q.evidence) > 0, q.id
            if len(q.doc_ids) > 1:
                assert len(q.evidence) == len(q.doc_ids), q.id


def test_first_fact_variant_is_in_a_gold_document(any_set: list[Question]) -> None:
    missing = [
        f"{q.id}: {variants[0]!r}"
        for q in any_set
        for variants in q.facts
        if not any(match_form(variants[0]) in _corpus(d) for d in q.doc_ids)
    ]
    assert missing == []
    assert all(1 <= len(q.facts) <= 3 for q in any_set if q.answerable)


def test_every_document_is_well_covered(questions: list[Question]) -> None:
    per_doc = count_by(questions, "doc_ids")
    for doc_id in CORPUS_IDS:
        assert per_doc.get(doc_id, 0) >= 20, (doc_id, per_doc.get(doc_id, 0))
    comparisons = [q for q in questions if q.kind == "comparison"]
    assert all(len(set(q.doc_ids)) >= 2 for q in comparisons)


@pytest.mark.parametrize("prefix", sorted(HOLDOUT_DATASETS))
def test_holdout_is_a_separate_set_of_new_questions(questions: list[Question], prefix: str) -> None:
    """A held-out set shares no id or question with the other sets and covers every kind."""
    holdout = load_dataset(HOLDOUT_DATASETS[prefix])
    assert len(holdout) >= 40
    assert all(re.fullmatch(rf"{prefix}\d{{3}}", q.id) for q in holdout)
    others = list(questions)
    for other in set(HOLDOUT_DATASETS) - {prefix}:
        others += load_dataset(HOLDOUT_DATASETS[other])
    assert not {q.id for q in holdout} & {q.id for q in others}
    known = {index_form(q.question) for q in others}
    assert not [q.id for q in holdout if index_form(q.question) in known]
    assert set(count_by(holdout, "kind")) == set(KINDS)


# --- the checks themselves catch bad data -----------------------------------------------------


def _good() -> Question:
    return Question(
        id="x1",
        question="Kế hoạch phải gửi về UBND tỉnh chậm nhất ngày nào?",
        kind="deadline",
        answerable=True,
        doc_ids=("000_c6e6a45670724e7f",),
        section_paths=("IV.1",),
        evidence=("chậm nhất ngày 20/5/2026",),
        facts=(("20/5/2026",),),
    )


def test_validate_accepts_a_correct_question() -> None:
    assert validate([_good()], CORPUS_DIR) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"evidence": ("chậm nhất ngày 21/5/2026",)}, "evidence not found"),
        ({"facts": (("21/5/2026",),)}, "is not in a gold document"),
        ({"doc_ids": ("999_missing",)}, "not in the corpus"),
        ({"kind": "deadlines"}, "unknown kind"),
        ({"no_diacritics": True}, "disagrees"),
        ({"section_paths": ()}, "differ in length"),
        ({"kind": "unanswerable"}, "answerable must be false"),
        ({"kind": "comparison"}, "at least two documents"),
    ],
)
def test_validate_reports_bad_questions(change: dict, expected: str) -> None:
    bad = Question(**{**_good().__dict__, **change})
    problems = validate([bad], CORPUS_DIR)
    assert any(expected in p for p in problems), problems


def test_validate_reports_duplicate_ids() -> None:
    assert any("duplicate id" in p for p in validate([_good(), _good()], CORPUS_DIR))


def test_evidence_spanning_a_hard_wrap_matches_after_whitespace_collapse() -> None:
    wrapped = Question(
        **{
            **_good().__dict__,
            "doc_ids": ("002_eaf36e0f570538e5",),
            "section_paths": ("II.3",),
            "evidence": ("thời gian từ ngày 01/7/2026 đến hết ngày 30/9/2026.",),
            "facts": (("30/9/2026",),),
        }
    )
    assert validate([wrapped], CORPUS_DIR) == []


def test_load_dataset_accepts_strings_for_lists(tmp_path: Path) -> None:
    record = {
        "id": "a",
        "question": "ai chu tri",
        "kind": "responsibility",
        "answerable": True,
        "doc_ids": "000_c6e6a45670724e7f",
        "section_paths": ["IV.3"],
        "evidence": "Giao Công an tỉnh tham mưu",
        "facts": [["Công an tỉnh"]],
    }
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (q,) = load_dataset(path)
    assert q.doc_ids == ("000_c6e6a45670724e7f",)
    assert q.evidence == ("Giao Công an tỉnh tham mưu",)
    assert q.facts == (("Công an tỉnh",),)
    assert q.no_diacritics is False and q.tags == ()


def test_load_dataset_refuses_broken_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "question": \n', encoding="utf-8")
    with pytest.raises(BadRequest):
        load_dataset(broken)
    incomplete = tmp_path / "incomplete.jsonl"
    incomplete.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(BadRequest):
        load_dataset(incomplete)
    with pytest.raises(BadRequest):
        load_dataset(tmp_path / "absent.jsonl")


# --- gold paths against the parser (skipped until ingest.structure.parse_document exists) -----


def _parse_document():  # noqa: ANN202 - the parser's own signature
    try:
        module = importlib.import_module("ingest.structure")
    except ImportError:
        pytest.skip("ingest.structure is not written yet")
    function = getattr(module, "parse_document", None)
    if function is None:
        pytest.skip("ingest.structure.parse_document is not written yet")
    return function


_PUNCTUATION = re.compile(r"[^\w\s]")


def _comparable(text: str) -> str:
    """Parsed text drops markdown, may canonicalise tone marks and splits a heading's first
    sentence (without its full stop) from its body: compare words only."""
    return match_form(_PUNCTUATION.sub(" ", index_form(text)))


@cache
def _parsed(doc_id: str):  # noqa: ANN202 - ParsedDocument
    text = (CORPUS_DIR / f"{doc_id}.txt").read_text(encoding="utf-8")
    return _parse_document()(text, doc_id)


def _subtree_text(doc, path: str) -> str | None:  # noqa: ANN001 - ParsedDocument
    sections = [s for s in doc.sections if s.path == path]
    if not sections:
        return None
    inside = [s for s in doc.sections if s.path == path or s.path.startswith(path + ".")]
    return " ".join(f"{s.title} {s.text}" for s in sorted(inside, key=lambda s: s.order))


def _meta_text(doc) -> str:  # noqa: ANN001 - ParsedDocument
    meta = doc.meta
    parts = [meta.title, meta.doc_type, meta.number, meta.issuer, meta.province, meta.place]
    parts += [meta.date_text, meta.signer, meta.signer_title, meta.status, meta.title_note]
    # not recipients: other people
    if meta.issued_date is not None:
        day = meta.issued_date
        parts += [f"{day.day}/{day.month}/{day.year}", day.strftime("%d/%m/%Y")]
    return " ".join(p for p in parts if p)


def test_gold_paths_exist_in_the_parsed_documents(any_set: list[Question]) -> None:
    """Each quote lies in the subtree of its gold section in the parsed document."""
    _parse_document()
    mismatches: list[str] = []
    for q in any_set:
        for doc_id, path, quote in q.evidence_items():
            if path == HEADER_PATH:
                continue
            subtree = _subtree_text(_parsed(doc_id), path)
            if subtree is None:
                mismatches.append(f"{q.id} {doc_id} {path}: no such section")
            elif _comparable(quote) not in _comparable(subtree):
                mismatches.append(f"{q.id} {doc_id} {path}: quote not in subtree: {quote[:50]!r}")
    assert mismatches == [], "\n".join(mismatches)


def test_header_facts_are_in_the_parsed_metadata(any_set: list[Question]) -> None:
    """Evidence in the header or signature block ("" path) must be held by DocumentMeta."""
    _parse_document()
    mismatches: list[str] = []
    for q in any_set:
        for doc_id, path, quote in q.evidence_items():
            if path != HEADER_PATH:
                continue
            meta = _comparable(_meta_text(_parsed(doc_id)))
            if _comparable(quote) in meta:
                continue
            own = [f for f in q.facts if match_form(f[0]) in _corpus(doc_id)]
            mismatches += [
                f"{q.id} {doc_id}: {variants[0]!r} not in the document's metadata"
                for variants in own
                if not any(_comparable(v) in meta for v in variants)
            ]
    assert mismatches == [], "\n".join(mismatches)


def test_questions_typed_again_without_accents(questions: list[Question]) -> None:
    from eval.dataset import typed_without_accents

    stripped = typed_without_accents(questions[:20])
    assert [q.id for q in stripped] == [q.id for q in questions[:20]]
    assert all(not has_diacritics(q.question) and q.no_diacritics for q in stripped)
    assert all(s.facts == q.facts for s, q in zip(stripped, questions[:20], strict=True))


def test_questions_typed_again_half_accented(questions: list[Question]) -> None:
    from eval.dataset import typed_half_accented

    accented = [q for q in questions if has_diacritics(q.question)][:20]
    half = typed_half_accented(questions[:40])
    assert [q.id for q in half][:5] == [q.id for q in accented][:5]
    for mixed, original in zip(half, accented, strict=False):
        words, typed = mixed.question.split(), original.question.split()
        assert len(words) == len(typed) and words[0] == typed[0]
        assert all(not has_diacritics(w) for w in words[1::2])
        assert [w.lower() for w in words[1::2]] == [fold(w) for w in typed[1::2]]
