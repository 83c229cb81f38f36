"""Metric functions on hand-made cases whose values were worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    BAD_CITATION,
    FALSE_ABSTENTION,
    MISSED_ABSTENTION,
    RETRIEVAL_MISS,
    WRONG_EXTRACTION,
    CitedPassage,
    GoldAnswer,
    Prediction,
    abstention_scores,
    citation_precision,
    citation_recall,
    contains_phrase,
    fact_present,
    facts_present,
    first_relevant_rank,
    hit_at_k,
    ndcg_at_k,
    normalize_for_match,
    paths_related,
    percentile,
    reciprocal_rank,
    relevance_flags,
    score_question,
    summarize,
    text_overlap,
)

GOLD = [("d", "II.2"), ("d", "III")]
RETRIEVED = [("d", "I"), ("d", "II.2.a"), ("x", "II.2"), ("d", "III.1"), ("d", "II.2")]


# --- section relevance and ranking -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "gold", "expected"),
    [
        ("II.2", "II.2", True),
        ("II.2.a.-3", "II.2", True),  # descendant
        ("II", "II.2", True),  # ancestor
        ("II.20", "II.2", False),  # prefix but not on a "." boundary
        ("II.2", "II.20", False),
        ("I", "II", False),
        ("KH.II.1", "KH.II", True),
        ("II.1", "KH.II.1", False),  # another document inside the same file
        ("", "II", False),  # an unplaced chunk never matches a section
        ("anything", "", True),  # a document-level gold accepts any section
    ],
)
def test_paths_related(path: str, gold: str, expected: bool) -> None:
    assert paths_related(path, gold) is expected


def test_relevance_flags_need_the_gold_document() -> None:
    assert relevance_flags(RETRIEVED, GOLD) == [False, True, False, True, True]


def test_ranks_and_hits() -> None:
    flags = relevance_flags(RETRIEVED, GOLD)
    assert first_relevant_rank(flags) == 2
    assert hit_at_k(flags, 1) == 0.0
    assert hit_at_k(flags, 3) == 1.0
    assert reciprocal_rank(flags) == 0.5
    assert reciprocal_rank([False] * 10 + [True]) == 0.0  # rank 11 is outside MRR@10
    assert first_relevant_rank([False, False], 10) is None


def test_ndcg_by_hand() -> None:
    # rank 2 covers II.2 (gain 1/log2 3), rank 4 covers III (1/log2 5), rank 5 repeats II.2 (0).
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k(RETRIEVED, GOLD, 10) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(RETRIEVED, GOLD, 10) == pytest.approx(0.6509, abs=1e-4)


def test_ndcg_perfect_and_bounded() -> None:
    perfect = [("d", "II.2.b"), ("d", "III"), ("d", "II.2")]
    assert ndcg_at_k(perfect, GOLD, 10) == pytest.approx(1.0)
    # many chunks of one gold section do not push the score above 1
    assert ndcg_at_k([("d", "II.2")] * 5, [("d", "II.2")], 10) == pytest.approx(1.0)
    assert ndcg_at_k([("d", "I")], GOLD, 10) == 0.0
    # only the top k count: the relevant item at rank 3 is cut off at k=2
    assert ndcg_at_k([("d", "I"), ("d", "I"), ("d", "III")], GOLD, 2) == 0.0


# --- fact matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "variants", "expected"),
    [
        ("gửi về chậm nhất ngày 20/5/2026 để tổng hợp", ["20/05/2026"], True),
        ("chậm nhất **ngày 20/05/2026**", ["ngày 20/5/2026"], True),
        ("ngày 20 tháng 5 năm 2026", ["ngày 20/05/2026"], True),
        ("trước ngày 10/3/2026", ["10-03-2026"], True),
        ("120/5/2026", ["20/5/2026"], False),  # no match inside a longer number
        ("trước ngày 14/6/2026", ["14/6"], False),  # a day/month is not a prefix of a date
        ("định kỳ 6 tháng (trước ngày 14/06)", ["14/6"], True),
        ("Uỷ ban nhân dân tỉnh", ["Ủy ban nhân dân tỉnh"], True),  # tone placement
        ("UBND  tỉnh\nĐồng Tháp", ["ubnd tỉnh đồng tháp"], True),  # case and whitespace
        ("giai đoạn 2025 – 2030", ["2025-2030"], True),  # dashes
        ("Công an tỉnh chủ trì", ["Sở Tư pháp", "Công an tỉnh"], True),  # any variant
        ("Công an tỉnh chủ trì", ["Sở Tư pháp"], False),
        ("Cong an tinh", ["Công an tỉnh"], False),  # diacritics are not folded away
    ],
)
def test_fact_present(text: str, variants: list[str], expected: bool) -> None:
    assert fact_present(text, variants) is expected


def test_facts_present_needs_every_fact() -> None:
    answer = "Công an tỉnh chủ trì, phối hợp Sở Tư pháp; thời gian: Thường xuyên."
    assert facts_present(answer, [["Công an tỉnh"], ["thường xuyên"]])
    assert not facts_present(answer, [["Công an tỉnh"], ["hằng quý", "hàng quý"]])
    assert not facts_present(answer, [])  # nothing to check is not a correct answer


def test_normalize_for_match_dates() -> None:
    assert normalize_for_match("Ngày 05 tháng 02 năm 2026") == "ngày 5/2/2026"
    assert normalize_for_match("tháng 05/2026") == "tháng 5/2026"
    assert normalize_for_match("20.05.2026") == "20/5/2026"
    assert contains_phrase("số 09-nq/tu", "09-nq/tu")


def test_text_overlap() -> None:
    evidence = "Kế hoạch gửi về Ủy ban nhân dân tỉnh chậm nhất ngày 20/5/2026 để tổng hợp"
    chunk = "1. Căn cứ kế hoạch này ... Kế hoạch gửi về Uỷ ban nhân dân tỉnh chậm nhất ngày 20/05/2026 để tổng hợp."
    assert text_overlap(chunk, evidence) == pytest.approx(1.0)
    assert text_overlap("một đoạn không liên quan gì cả", evidence) == 0.0


# --- citations -----------------------------------------------------------------------------


def test_citation_precision_and_recall() -> None:
    gold = [("d", "IV.1"), ("d", "IV.2")]
    facts = [["20/5/2026"]]
    evidence = ["gửi về Ủy ban nhân dân tỉnh chậm nhất ngày 20/5/2026 để tổng hợp"]
    citations = [
        CitedPassage("d", "IV.1.-2", ""),  # good: descendant of a gold section
        CitedPassage("d", "I.3", "chậm nhất ngày 20/05/2026"),  # good: quote holds the fact
        CitedPassage("d", "II", "mục tiêu cụ thể"),  # bad: other section, no evidence
        CitedPassage("e", "IV.1", "chậm nhất ngày 20/5/2026"),  # bad: not a gold document
    ]
    assert citation_precision(citations, gold, facts, evidence) == 0.5
    assert citation_recall(citations, gold) == 0.5  # IV.1 covered, IV.2 not
    assert citation_precision([], gold, facts, evidence) is None
    assert citation_recall([], gold) == 0.0


# --- abstention, latency -------------------------------------------------------------------


def test_abstention_scores() -> None:
    should = [True, True, True, False, False, False, False]
    did = [True, True, False, True, False, False, False]
    scores = abstention_scores(should, did)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.false_abstention_rate == pytest.approx(1 / 4)
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (2, 1, 1)
    never = abstention_scores([True, False], [False, False])
    assert never.precision is None and never.recall == 0.0
    with pytest.raises(ValueError):
        abstention_scores([True], [])


def test_percentile() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == pytest.approx(9.55)
    assert percentile([7], 95) == 7
    assert percentile([], 50) is None


# --- one question and a group ----------------------------------------------------------------


def _gold(answerable: bool = True) -> GoldAnswer:
    return GoldAnswer(
        answerable=answerable,
        pairs=(("d", "IV.1"),) if answerable else (),
        facts=(("20/5/2026",),) if answerable else (),
        evidence=("chậm nhất ngày 20/5/2026",) if answerable else (),
    )


def test_score_question_reasons() -> None:
    good_cite = (CitedPassage("d", "IV.1", "chậm nhất ngày 20/5/2026"),)
    right = Prediction("Chậm nhất ngày 20/05/2026.", False, good_cite, (("d", "IV.1"),), 5.0)
    score = score_question(_gold(), right)
    assert score.correct and score.failure is None and score.rank == 1
    assert score.hits == {1: 1.0, 3: 1.0, 5: 1.0, 10: 1.0}

    wrong_found = Prediction("Thường xuyên.", False, good_cite, (("d", "I"), ("d", "IV.1")))
    assert score_question(_gold(), wrong_found).failure == WRONG_EXTRACTION
    assert score_question(_gold(), wrong_found).rank == 2

    wrong_missed = Prediction("Thường xuyên.", False, (), (("d", "I"),) * 10 + (("d", "IV.1"),))
    assert score_question(_gold(), wrong_missed).failure == RETRIEVAL_MISS

    abstained = Prediction("Các văn bản không nêu.", True, (), (("d", "IV.1"),))
    assert score_question(_gold(), abstained).failure == FALSE_ABSTENTION
    assert not score_question(_gold(), abstained).correct

    bad_cite = Prediction("ngày 20/5/2026", False, (CitedPassage("d", "II", "khác"),))
    assert score_question(_gold(), bad_cite).failure == BAD_CITATION
    assert score_question(_gold(), bad_cite).correct  # the answer itself is right

    answered = Prediction("ngày 1/1/2020", False, good_cite)
    assert score_question(_gold(False), answered).failure == MISSED_ABSTENTION
    assert score_question(_gold(False), Prediction("", True)).correct


def test_summarize_group() -> None:
    golds = [_gold(), _gold(), _gold(False), _gold(False)]
    cite = (CitedPassage("d", "IV.1", ""),)
    preds = [
        Prediction("ngày 20/5/2026", False, cite, (("d", "IV.1"),), 10.0),
        Prediction("không rõ", False, (), (("d", "I"), ("d", "IV.1")), 30.0),
        Prediction("", True, (), (), 20.0),
        Prediction("ngày 20/5/2026", False, cite, (), 40.0),
    ]
    scores = [score_question(g, p) for g, p in zip(golds, preds, strict=True)]
    summary = summarize(golds, preds, scores)
    assert summary["questions"] == 4 and summary["answerable"] == 2
    assert summary["accuracy"] == 0.5  # q1 right, q3 abstained correctly
    assert summary["answer_accuracy"] == 0.5
    assert summary["grounded_accuracy"] == 0.5
    assert summary["hit@1"] == 0.5 and summary["hit@3"] == 1.0
    assert summary["mrr@10"] == pytest.approx(0.75)
    assert summary["citation_precision"] == 1.0  # q2 has no citations: not counted
    assert summary["citation_recall"] == 0.5  # q2 covers nothing
    assert summary["abstention_precision"] == 1.0
    assert summary["abstention_recall"] == 0.5
    assert summary["false_abstention_rate"] == 0.0
    assert summary["latency_p50_ms"] == 25.0


def test_grounded_accuracy_needs_a_supporting_citation() -> None:
    golds = [_gold(), _gold()]
    preds = [
        Prediction("ngày 20/5/2026", False, (CitedPassage("d", "IV.1.-1", ""),)),
        # the right date, quoted from another plan
        Prediction("ngày 20/5/2026", False, (CitedPassage("e", "IV.1", "ngày 20/5/2026"),)),
    ]
    scores = [score_question(g, p) for g, p in zip(golds, preds, strict=True)]
    summary = summarize(golds, preds, scores)
    assert summary["answer_accuracy"] == 1.0
    assert summary["grounded_accuracy"] == 0.5
    assert scores[1].failure == BAD_CITATION
