"""`planqa serve`: the HTTP API under uvicorn (the app is built per worker by its factory).

`--workers N` starts N worker processes on one port (uvicorn's supervisor; `0` means one per
CPU core). Each worker opens the index and warms up its own embedder; all of them follow
`data/index/CURRENT`, so an ingest or an upload through any worker is seen by every worker.

The query embedding runs on one thread per question (`OMP_NUM_THREADS=1` unless set): the API
answers several questions at once, and one OpenMP team per concurrent question on 2 cores makes
them wait on each other's barriers (docs/BENCH.md, "Serving several questions at once").
"""

from __future__ import annotations

import argparse
import copy
import os
from typing import Any

from ingest.settings import Settings

SERVER_OMP_THREADS = "1"


def cpu_cores() -> int:
    """Cores this process may run on (the affinity mask, which containers narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(requested: int) -> int:
    """`--workers`: a positive count as given; 0 (or less) means one per core."""
    return requested if requested > 0 else cpu_cores()


def log_config() -> dict[str, Any]:
    """uvicorn's logging setup plus the `planqa` loggers; uvicorn applies it in every worker."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["planqa"] = {
        "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
    }
    config["handlers"]["planqa"] = {
        "class": "logging.StreamHandler",
        "formatter": "planqa",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["planqa"] = {"handlers": ["planqa"], "level": "INFO", "propagate": False}
    return config


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    workers = resolve_workers(args.workers)
    # Before any worker imports the embedding engine; worker processes inherit it.
    os.environ.setdefault("OMP_NUM_THREADS", SERVER_OMP_THREADS)
    print(
        f"PlanQA API: {workers} worker process(es), "
        f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}",
        flush=True,
    )
    # Our request log carries the timings; uvicorn's access log would repeat each line.
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
    )
    return 0
