"""Run one question's searches side by side.

A question is searched several ways (lexical forms, topic, dense); each waits in SQLite, Chroma
or the embedding engine, all of which release the GIL. Run one after another, a single
question's latency is their sum; run together, the embedding (most of an answer's CPU) overlaps
the lexical searches, whose cost grows with the corpus. Under load the pool is shared, so the
total work, and the throughput of many clients, stays the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

Ranking = list[tuple[str, float]]
Search = Callable[[], Ranking]

# A worker per core (at least two), beside the calling thread, which runs a search itself.
SEARCH_WORKERS = max(2, os.cpu_count() or 2)
_pool = ThreadPoolExecutor(max_workers=SEARCH_WORKERS, thread_name_prefix="planqa-search")


def run_searches(searches: dict[str, Search]) -> dict[str, Ranking]:
    """Every search's ranking, by name. The last search runs in the calling thread (callers put
    the slowest last), the others in the shared pool; an exception in any search is raised
    here, as it would be when run in turn."""
    if not searches:
        return {}
    *others, (last_name, last) = searches.items()
    futures: dict[str, Future[Ranking]] = {name: _pool.submit(run) for name, run in others}
    results = {last_name: last()}
    results.update((name, future.result()) for name, future in futures.items())
    return {name: results[name] for name in searches}


__all__ = ["SEARCH_WORKERS", "Ranking", "Search", "run_searches"]
