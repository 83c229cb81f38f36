"""A real `planqa serve` process on a loopback port, asked over HTTP like a client would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import serving

from ingest.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REPO_ROOT = Path(__file__).resolve().parents[1]
TRAFFICKING_PLAN = "002_eaf36e0f570538e5"
# III.1 of file 002: "... gửi về Ủy ban nhân dân tỉnh ... trước ngày 10/3/2026 để tổng hợp."
QUESTION = "Kế hoạch phòng, chống mua bán người: các đơn vị gửi kế hoạch về tỉnh trước ngày nào?"
QUESTION_FOLDED = (
    "ke hoach phong, chong mua ban nguoi: cac don vi gui ke hoach ve tinh truoc ngay nao?"
)


@pytest.fixture(scope="module")
def server(built_index: Settings) -> Iterator[str]:
    """A real `planqa serve` on a free loopback port, writes disabled (no API key)."""
    with serving(built_index) as process:
        yield process.base_url


def test_health_over_http(server: str) -> None:
    body = httpx.get(f"{server}/healthz", timeout=10).json()
    assert body["status"] == "ok" and body["documents"] == 5


@pytest.mark.parametrize("question", [QUESTION, QUESTION_FOLDED])
def test_ask_over_http_with_and_without_diacritics(server: str, question: str) -> None:
    response = httpx.post(f"{server}/ask", json={"question": question}, timeout=120)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["abstained"] is False
    assert TRAFFICKING_PLAN in {c["doc_id"] for c in body["citations"]}


def test_ask_stream_over_http(server: str) -> None:
    events: list[tuple[str, object]] = []
    event = "message"
    with httpx.stream(
        "POST", f"{server}/ask/stream", json={"question": QUESTION}, timeout=120
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                events.append((event, json.loads(line[5:].strip())))
    names = [name for name, _ in events]
    assert names[0] == "status" and names[-1] == "done"
    answer = next(data for name, data in events if name == "answer")
    assert answer["citations"]
    assert "".join(d["text"] for n, d in events if n == "delta") == answer["answer"]


def test_errors_over_http(server: str) -> None:
    response = httpx.post(f"{server}/ask", json={"question": ""}, timeout=10)
    assert response.status_code == 422
    response = httpx.delete(f"{server}/documents/{TRAFFICKING_PLAN}", timeout=10)
    assert response.status_code == 403  # no key configured on this server: writes disabled
