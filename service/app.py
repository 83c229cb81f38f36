"""The FastAPI application: `create_app(settings)` wires settings, the lazily opened index,
routes, error handlers and request logging. Nothing is opened at import or start-up.

Run it with `planqa serve` (uvicorn, `create_app` as a factory, so every worker builds its
own app from the environment).
"""

from __future__ import annotations

import logging
import time

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


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="PlanQA API", version="0.1.0", description=DESCRIPTION)
    app.state.settings = settings
    app.state.index_holder = IndexHolder(settings)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(RequestLog)
    return app
