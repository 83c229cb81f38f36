"""Reciprocal rank fusion: the arithmetic, weights, and edge cases."""

import pytest

from retriever.fusion import reciprocal_rank_fusion


def test_scores_are_sums_of_reciprocal_ranks():
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)


def test_agreement_beats_a_single_first_place():
    fused = reciprocal_rank_fusion([["x", "y"], ["z", "y"], ["w", "y"]], k=60)
    assert fused[0][0] == "y"


def test_order_is_best_first_and_ties_keep_first_seen_order():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], k=1)
    assert [item for item, _ in fused] == ["a", "b"]
    assert fused[0][1] == pytest.approx(fused[1][1])
    scores = [score for _, score in reciprocal_rank_fusion([["a", "b", "c", "d"]])]
    assert scores == sorted(scores, reverse=True)


def test_weights_scale_each_ranking():
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], k=10, weights=[2.0, 0.5]))
    assert fused["a"] == pytest.approx(2 / 11)
    assert fused["b"] == pytest.approx(0.5 / 11)
    order = [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1, 3])]
    assert order == ["b", "a"]


def test_small_k_favours_the_top_ranks():
    rankings = [["a", "b", "c"], ["c", "b", "a"], ["b", "c", "a"]]
    assert reciprocal_rank_fusion(rankings, k=1)[0][0] == "b"


def test_duplicates_count_once_at_their_best_rank():
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 63)


def test_empty_input_and_bad_arguments():
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)
