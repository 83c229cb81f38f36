"""`planqa serve`: the HTTP API under uvicorn (the app is built per worker by its factory)."""

from __future__ import annotations

import argparse
import copy
from typing import Any

from ingest.settings import Settings


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

    # Our request log carries the timings; uvicorn's access log would repeat each line.
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=max(1, args.workers),
        access_log=False,
        log_config=log_config(),
    )
    return 0
