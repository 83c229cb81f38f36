"""The FastAPI application: `create_app(settings)` wires settings, the lazily opened index,
routes, error handlers and request logging. Nothing is opened at import; at start-up a
background thread warms the index and models while the server already answers.

Run it with `planqa serve` (uvicorn, `create_app` as a factory, so every worker builds its
own app from the environment).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.settings import Settings, get_settings
from service.deps import IndexHolder
from service.errors import install_error_handlers
from service.routes import ROUTERS

log = logging.getLogger("planqa.service")

DESCRIPTION = (
    "Hỏi đáp có trích dẫn trên các kế hoạch của cơ quan nhà nước. "
    "Questions in Vietnamese (with or without diacritics); every answer cites document, "
    'section path and quote, or abstains. Errors are JSON `{"detail": ...}` in Vietnamese.'
)


class RequestLog:
    """Logs one English line per request: method, path, status, duration (streams included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info("%s %s -> %d in %.1f ms", scope["method"], scope["path"], status, elapsed_ms)


def _warm_up(holder: IndexHolder) -> None:
    try:
        holder.warm_up()
    except Exception:  # a failed warm-up must not stop the server; requests report the error
        log.exception("warm-up failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    holder = IndexHolder(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Warm up in the background: /healthz answers at once, and the first questions wait
        # on the loaders' locks instead of racing them.
        threading.Thread(target=_warm_up, args=(holder,), name="warm-up", daemon=True).start()
        yield

    app = FastAPI(title="PlanQA API", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.index_holder = holder
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(RequestLog)
    return app
