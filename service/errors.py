"""The one place where errors become HTTP responses.

Every error body is JSON `{"detail": <Vietnamese message>}` with a 4xx status (503 while no index
exists). Any other exception is a bug: it is logged with its traceback and answered with 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.errors import (
    BadDocument,
    BadRequest,
    ConfigError,
    IndexBusy,
    IndexMissing,
    NotFound,
    PlanQAError,
)

log = logging.getLogger("planqa.service")


class Unauthorized(PlanQAError):
    """A write request without an API key."""


class Forbidden(PlanQAError):
    """A write request with a wrong key, or writes disabled because no key is configured."""


class PayloadTooLarge(PlanQAError):
    """An upload above `settings.max_upload_bytes`."""


class Conflict(PlanQAError):
    """A write that clashes with what already exists (e.g. an upload under a known id)."""


# Most specific first: the first class in an error's MRO found here decides its status.
STATUS_BY_ERROR: dict[type[PlanQAError], int] = {
    BadDocument: 422,
    BadRequest: 400,
    NotFound: 404,
    Unauthorized: 401,
    Forbidden: 403,
    PayloadTooLarge: 413,
    Conflict: 409,
    IndexBusy: 409,
    IndexMissing: 503,
    ConfigError: 500,
}

INTERNAL_ERROR_MESSAGE = (
    "Lỗi nội bộ của máy chủ PlanQA. Vui lòng thử lại sau hoặc báo quản trị viên."
)

_HTTP_MESSAGES = {
    404: "Không tìm thấy đường dẫn này.",
    405: "Phương thức HTTP này không được hỗ trợ cho đường dẫn này.",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Định dạng dữ liệu gửi lên không được hỗ trợ.",
}

# Readable Vietnamese for pydantic's error types; anything else keeps pydantic's text.
_VALIDATION_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "string_type": "phải là chuỗi ký tự",
    "string_too_short": "không được để trống",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "string_pattern_mismatch": "chứa ký tự không hợp lệ",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "list_type": "phải là danh sách",
    "too_long": "có quá nhiều phần tử (tối đa {max_length})",
    "too_short": "phải có ít nhất {min_length} phần tử",
    "dict_type": "phải là đối tượng JSON",
    "model_type": "phải là đối tượng JSON",
    "model_attributes_type": "phải là đối tượng JSON",
    "extra_forbidden": "trường không được hỗ trợ",
    "json_invalid": "JSON không hợp lệ",
    "date_from_datetime_parsing": "ngày phải có dạng YYYY-MM-DD",
    "date_parsing": "ngày phải có dạng YYYY-MM-DD",
    "literal_error": "giá trị không hợp lệ (chấp nhận: {expected})",
    "enum": "giá trị không hợp lệ (chấp nhận: {expected})",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
}

_FIELD_NAMES = {
    "question": "câu hỏi",
    "query": "truy vấn",
    "top_k": "số kết quả",
    "doc_ids": "mã văn bản",
    "doc_id": "mã văn bản",
    "province": "tỉnh",
    "year": "năm",
    "due_before": "hạn trước ngày",
    "due_after": "hạn sau ngày",
    "agency": "cơ quan",
    "file": "tệp",
    "mode": "chế độ tìm kiếm",
    "section_path": "mục",
}


def status_for(exc: PlanQAError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return int(getattr(exc, "status_code", 500))


def describe_validation_error(error: dict[str, Any]) -> dict[str, str]:
    """One pydantic error as {"field", "message", "type"} with a Vietnamese message."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    kind = str(error.get("type", ""))
    if kind == "json_invalid":  # its location is a character offset, not a field
        loc = []
    field = ".".join(loc) or "body"
    template = _VALIDATION_MESSAGES.get(kind)
    if template is not None:
        try:
            ctx = {k: str(v).replace(" or ", " hoặc ") for k, v in (error.get("ctx") or {}).items()}
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
    else:
        message = str(error.get("msg", "giá trị không hợp lệ")).removeprefix("Value error, ")
    label = next((_FIELD_NAMES[p] for p in reversed(loc) if p in _FIELD_NAMES), None)
    shown = f"{label} ({field})" if label else field
    return {"field": field, "message": f"{shown}: {message}", "type": kind}


def error_body(message: str, **extra: Any) -> dict[str, Any]:
    return {"detail": message, **extra}


async def _planqa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlanQAError)
    status = status_for(exc)
    if status >= 500 and not isinstance(exc, IndexMissing):
        log.error("%s %s failed: %s", request.method, request.url.path, exc.detail)
    else:
        log.info("%s %s -> %d: %s", request.method, request.url.path, status, exc.detail)
    headers = {"WWW-Authenticate": 'Bearer realm="planqa"'} if status == 401 else None
    return JSONResponse(error_body(exc.message), status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [describe_validation_error(err) for err in exc.errors()]
    summary = "; ".join(err["message"] for err in errors)
    return JSONResponse(
        error_body(f"Yêu cầu không hợp lệ: {summary}", errors=errors), status_code=422
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if exc.status_code in _HTTP_MESSAGES and detail in (
        None,
        "",
        "Not Found",
        "Method Not Allowed",
    ):
        detail = _HTTP_MESSAGES[exc.status_code]
    return JSONResponse(
        error_body(detail), status_code=exc.status_code, headers=getattr(exc, "headers", None)
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body(INTERNAL_ERROR_MESSAGE), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PlanQAError, _planqa_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
