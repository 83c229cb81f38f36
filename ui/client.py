"""The UI's only door to PlanQA: a small HTTP client for the API contract in ARCHITECTURE.md.

Every failure becomes an `ApiError` whose message is Vietnamese and fit to show as it is, so
pages never print a traceback. Payloads are returned as the API's JSON (dicts and lists).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx

DEFAULT_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5.0
UPLOAD_TIMEOUT_S = 900.0  # an upload returns only after the new index version is built
FOLLOW_UP_FIELD = "previous_question"

__all__ = ["ApiClient", "ApiError", "StreamEvent", "parse_sse"]


class ApiError(Exception):
    """An API call failed; `message` is for the officer, `status` is the HTTP status (0: down)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class StreamEvent:
    event: str  # status | delta | answer | error | done
    data: Any


def _unreachable(base_url: str) -> ApiError:
    return ApiError(
        f"Không kết nối được máy chủ PlanQA tại {base_url}. "
        "Hãy kiểm tra dịch vụ API đã được khởi động (`planqa serve`)."
    )


_TIMED_OUT = "Máy chủ PlanQA phản hồi quá lâu. Vui lòng thử lại."


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _detail(response: httpx.Response) -> str:
    payload = _json(response)
    detail = payload.get("detail") if isinstance(payload, dict) else None
    if isinstance(detail, list):  # FastAPI's default validation list: keep the readable parts
        detail = "; ".join(str(item.get("msg", item)) for item in detail if item)
    if detail:
        return str(detail)
    if response.status_code >= 500:
        return "Máy chủ PlanQA gặp lỗi nội bộ. Vui lòng thử lại sau."
    return f"Máy chủ trả lời mã lỗi {response.status_code}."


def _refuses_follow_up(response: httpx.Response) -> bool:
    """True when the server's validation rejected only our optional follow-up field."""
    if response.status_code != 422:
        return False
    payload = _json(response)
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list) or not errors:
        return False
    fields = {str(err.get("field", "")).rsplit(".", 1)[-1] for err in errors}
    return fields == {FOLLOW_UP_FIELD}


class ApiClient:
    """One instance per UI session (it keeps a connection pool and what the server accepts)."""

    def __init__(self, base_url: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT_S)
        )
        # None: not known yet; False once the server refused `previous_question`.
        self.follow_up_supported: bool | None = None

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if response.status_code >= 400:
            raise ApiError(_detail(response), response.status_code)
        payload = _json(response)
        if payload is None:
            raise ApiError("Máy chủ PlanQA trả về dữ liệu không đọc được.", response.status_code)
        return payload

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError(_TIMED_OUT) from exc
        except httpx.HTTPError as exc:
            raise _unreachable(self.base_url) from exc

    # --- reading ---------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/healthz")

    def documents(self) -> list[dict[str, Any]]:
        return self._request("GET", "/documents")["documents"]

    def document(self, doc_id: str) -> dict[str, Any]:
        """Metadata plus `sections`: a tree of {path, label, title, kind, level, children}."""
        return self._request("GET", f"/documents/{quote(doc_id, safe='')}")

    def section(self, doc_id: str, section_path: str) -> dict[str, Any]:
        """One section: `text` is its own body, `subtree_text` the whole section as read."""
        return self._request(
            "GET", f"/documents/{quote(doc_id, safe='')}/sections/{quote(section_path, safe='')}"
        )

    def tasks(
        self,
        agency: str | None = None,
        doc_id: str | None = None,
        due_before: date | None = None,
        due_after: date | None = None,
    ) -> list[dict[str, Any]]:
        params = {
            "agency": agency,
            "doc_id": doc_id,
            "due_before": due_before.isoformat() if due_before else None,
            "due_after": due_after.isoformat() if due_after else None,
        }
        query = {key: value for key, value in params.items() if value}
        return self._request("GET", "/tasks", params=query)["tasks"]

    def search(self, query: str, top_k: int = 5) -> list[dict[str, Any]]:
        return self._request("POST", "/search", json={"query": query, "top_k": top_k})["hits"]

    # --- answering ---------------------------------------------------------------------------

    def _ask_bodies(
        self,
        question: str,
        top_k: int,
        filters: dict[str, Any] | None,
        previous_question: str | None,
    ) -> Iterator[dict[str, Any]]:
        """The request body, then (once) the same body without the follow-up field."""
        body = ask_body(question, top_k, filters)
        if previous_question and self.follow_up_supported is not False:
            yield {**body, FOLLOW_UP_FIELD: previous_question}
        yield body

    def ask(
        self,
        question: str,
        top_k: int = 8,
        filters: dict[str, Any] | None = None,
        previous_question: str | None = None,
    ) -> dict[str, Any]:
        for body in self._ask_bodies(question, top_k, filters, previous_question):
            response = self._send("POST", "/ask", json=body)
            if FOLLOW_UP_FIELD in body and _refuses_follow_up(response):
                self.follow_up_supported = False
                continue
            if FOLLOW_UP_FIELD in body and response.status_code < 400:
                self.follow_up_supported = True
            if response.status_code >= 400:
                raise ApiError(_detail(response), response.status_code)
            payload = _json(response)
            if payload is None:
                raise ApiError("Máy chủ PlanQA trả về dữ liệu không đọc được.")
            return payload
        raise ApiError("Không gửi được câu hỏi.")  # unreachable: the last body is always sent

    def ask_stream(
        self,
        question: str,
        top_k: int = 8,
        filters: dict[str, Any] | None = None,
        previous_question: str | None = None,
    ) -> Iterator[StreamEvent]:
        """Server-sent events of /ask/stream: status*, delta*, answer, done (or error, done)."""
        for body in self._ask_bodies(question, top_k, filters, previous_question):
            try:
                with self._http.stream("POST", "/ask/stream", json=body) as response:
                    if response.status_code >= 400:
                        response.read()
                        if FOLLOW_UP_FIELD in body and _refuses_follow_up(response):
                            self.follow_up_supported = False
                            continue
                        raise ApiError(_detail(response), response.status_code)
                    if FOLLOW_UP_FIELD in body:
                        self.follow_up_supported = True
                    yield from parse_sse(response.iter_lines())
                    return
            except httpx.TimeoutException as exc:
                raise ApiError(_TIMED_OUT) from exc
            except httpx.HTTPError as exc:
                raise _unreachable(self.base_url) from exc

    # --- writing (API key) -----------------------------------------------------------------

    def upload(
        self,
        filename: str,
        content: bytes,
        api_key: str,
        doc_id: str | None = None,
        replace: bool = False,
    ) -> dict[str, Any]:
        """Blocks until the document is ingested; returns its metadata and counts."""
        data = {"replace": "true"} if replace else {}
        if doc_id:
            data["doc_id"] = doc_id
        return self._request(
            "POST",
            "/documents",
            files={"file": (filename, content)},
            data=data,
            headers={"X-API-Key": api_key},
            timeout=UPLOAD_TIMEOUT_S,
        )

    def delete(self, doc_id: str, api_key: str) -> dict[str, Any]:
        return self._request(
            "DELETE", f"/documents/{quote(doc_id, safe='')}", headers={"X-API-Key": api_key}
        )


def ask_body(question: str, top_k: int, filters: dict[str, Any] | None) -> dict[str, Any]:
    """The /ask JSON body; empty filter values are left out rather than sent as null."""
    body: dict[str, Any] = {"question": question, "top_k": top_k}
    cleaned = {key: value for key, value in (filters or {}).items() if value not in (None, "", [])}
    if cleaned:
        body["filters"] = cleaned
    return body


def _event(name: str, data_lines: list[str]) -> StreamEvent:
    raw = "\n".join(data_lines)
    try:
        return StreamEvent(name, json.loads(raw))
    except ValueError:
        return StreamEvent(name, raw)


def parse_sse(lines: Iterable[str]) -> Iterator[StreamEvent]:
    """Server-sent event lines to events; comments (": ping") and unknown fields are skipped."""
    name, data_lines = "message", []
    for line in lines:
        line = line.rstrip("\r")
        if line == "":
            if data_lines:
                yield _event(name, data_lines)
            name, data_lines = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data_lines.append(line[5:].removeprefix(" "))
    if data_lines:
        yield _event(name, data_lines)
