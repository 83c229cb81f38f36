"""Liveness plus index readiness: 200 with counts, 503 while no index exists."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ingest.errors import IndexMissing
from service.deps import HolderDep
from service.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=HealthOut,
    responses={503: {"description": "No index yet (`planqa ingest` has not run)"}},
)
def healthz(holder: HolderDep) -> HealthOut | JSONResponse:
    try:
        stats = holder.index().stats()
    except IndexMissing as exc:
        return JSONResponse({"status": "unavailable", "detail": exc.message}, status_code=503)
    return HealthOut(status="ok", documents=stats["documents"], chunks=stats["chunks"])
