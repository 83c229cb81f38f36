"""`planqa serve --workers N`: several worker processes on one port, each with its own index
reader and embedder, answering like one process does; `0` means one worker per core."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from servers import serving, wait_for

from ingest.settings import Settings
from planqa.bench.servers import process_tree
from planqa.commands.serve import cpu_cores, resolve_workers

QUESTION = "Cơ quan nào chủ trì thực hiện kế hoạch phòng, chống mua bán người?"
WARM_TIMEOUT_S = 180


def test_workers_zero_means_one_per_core() -> None:
    assert resolve_workers(0) == cpu_cores() >= 1
    assert resolve_workers(-1) == cpu_cores()
    assert resolve_workers(3) == 3


@pytest.mark.slow
@pytest.mark.e2e
def test_two_workers_serve_one_index(built_index: Settings) -> None:
    with serving(built_index, workers=2) as server:
        assert httpx.get(server.base_url + "/healthz", timeout=30).status_code == 200
        # Each worker is its own process and warms up its own index reader and embedder.
        assert "PlanQA API: 2 worker process(es)" in server.log()
        assert wait_for(
            lambda: len(re.findall(r"Started server process \[\d+\]", server.log(20000))) == 2,
            WARM_TIMEOUT_S,
            0.2,
        ), server.log()
        assert wait_for(
            lambda: server.log(20000).count("opening index version") == 2, WARM_TIMEOUT_S, 0.2
        ), server.log()
        pids = process_tree(server.pid)
        assert len(pids) >= 3  # the supervisor and two workers

        def ask(_: int) -> dict:
            reply = httpx.post(server.base_url + "/ask", json={"question": QUESTION}, timeout=120)
            assert reply.status_code == 200, reply.text
            return reply.json()

        # Eight at once over separate connections: whichever worker takes one, same answer.
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(ask, range(8)))
        assert not answers[0]["abstained"] and answers[0]["citations"]
        keys = {(a["answer"], tuple(c["chunk_id"] for c in a["citations"])) for a in answers}
        assert len(keys) == 1, keys
        search = httpx.post(server.base_url + "/search", json={"query": QUESTION}, timeout=120)
        assert search.status_code == 200 and search.json()["hits"]
    # Stopping the supervisor stops its workers too: no orphans keep the port or the index.
    assert wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pids), 30, 0.2)
