"""32 concurrent clients against a real `planqa serve` on loopback for a bounded time: every
request must succeed (the full 60 s soak is `planqa bench query`, reported in docs/BENCH.md)."""

from __future__ import annotations

import pytest
from servers import serving

from ingest.settings import Settings
from planqa.bench.query import load_questions, run_load

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

CLIENTS = 32
SECONDS = 10.0
MAX_REQUESTS = 5_000


def test_32_clients_for_10_seconds_without_errors(built_index: Settings) -> None:
    questions = load_questions()
    with serving(built_index) as server:
        asks = run_load(
            server.base_url,
            "/ask",
            [{"question": q} for q in questions],
            CLIENTS,
            SECONDS,
            MAX_REQUESTS,
        )
        searches = run_load(
            server.base_url,
            "/search",
            [{"query": q, "top_k": 5} for q in questions],
            CLIENTS,
            SECONDS / 2,
            MAX_REQUESTS,
        )
        rss = server.rss()
    for result in (asks, searches):
        assert result.requests >= CLIENTS, result  # every client got at least one turn
        assert result.errors == 0, result.statuses
        assert result.seconds < SECONDS + 130  # bounded: the deadline plus one slow request
    assert rss is not None and rss < 4 * 1024**3  # the API process stays under 4 GiB
