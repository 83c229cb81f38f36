"""One question's searches run side by side and come back by name, errors included."""

from __future__ import annotations

import threading

import pytest

from retriever.concurrent import SEARCH_WORKERS, run_searches


def test_results_come_back_by_name_in_the_order_asked() -> None:
    searches = {name: (lambda n=name: [(n, 1.0)]) for name in ("words", "syllables", "dense")}
    assert list(run_searches(searches)) == ["words", "syllables", "dense"]
    assert run_searches(searches)["dense"] == [("dense", 1.0)]
    assert run_searches({}) == {}


def test_searches_run_at_the_same_time() -> None:
    # each search waits for all the others: run in turn, the barrier would time out
    parties = min(SEARCH_WORKERS, 2) + 1
    barrier = threading.Barrier(parties, timeout=10)

    def meet() -> list[tuple[str, float]]:
        barrier.wait()
        return [("x", 0.0)]

    results = run_searches({f"s{i}": meet for i in range(parties)})
    assert len(results) == parties


def test_an_error_in_any_search_is_raised_to_the_caller() -> None:
    def broken() -> list[tuple[str, float]]:
        raise RuntimeError("index gone")

    with pytest.raises(RuntimeError, match="index gone"):
        run_searches({"words": broken, "dense": lambda: []})
