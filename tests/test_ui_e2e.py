"""End to end in a real browser: Debian's Chromium (headless, driven by Playwright) against a
real `planqa serve` and a real `planqa ui` started here. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from ingest.settings import Settings
from ui.render import document_label

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
STARTUP_TIMEOUT_S = 90.0
PAGE_TIMEOUT_MS = 30_000
ANSWER_TIMEOUT_MS = 120_000  # the first question loads the embedder in the API
API_KEY = "e2e-test-key"
HAI_DUONG_PLAN = "003_b39ee1c3d8cc53e2"
# 003 II.2.a.-5.+5: "... tuyên truyền phòng, chống mua bán người ... (Sở Tư pháp chủ trì ...)".
QUESTION = "Ai chủ trì tuyên truyền phòng, chống mua bán người trong hoạt động trợ giúp pháp lý?"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"{what} exited early:\n{log.read_text('utf-8', errors='replace')}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer {url} in {STARTUP_TIMEOUT_S:.0f} s")
        time.sleep(0.3)


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A child in its own process group, so stopping it also stops what it started."""
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium fonts-dejavu-core)"
        )
    return path


@pytest.fixture(scope="module")
def servers(
    chromium: str, built_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(API URL, UI URL): `planqa serve` on a copy of the built index (the upload test writes)
    and `planqa ui` pointed at it."""
    logs = tmp_path_factory.mktemp("ui_e2e")
    data_dir, corpus_dir = logs / "data", logs / "corpus"
    shutil.copytree(built_index.data_dir, data_dir)
    shutil.copytree(built_index.corpus_dir, corpus_dir)
    api_port, ui_port = _free_port(), _free_port()
    api_url, ui_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}"
    env = {
        **os.environ,
        "PLANQA_DATA_DIR": str(data_dir),
        "PLANQA_CORPUS_DIR": str(corpus_dir),
        "PLANQA_API_URL": api_url,
        "PLANQA_API_KEY": API_KEY,
    }
    planqa = [sys.executable, "-m", "planqa"]
    api = _start([*planqa, "serve", "--port", str(api_port)], env, logs / "api.log")
    ui = None
    try:
        _wait_until_up(f"{api_url}/healthz", api, logs / "api.log", "planqa serve")
        ui = _start([*planqa, "ui", "--port", str(ui_port)], env, logs / "ui.log")
        _wait_until_up(f"{ui_url}/_stcore/health", ui, logs / "ui.log", "planqa ui")
        yield api_url, ui_url
    finally:
        if ui is not None:
            _stop(ui)
        _stop(api)


@pytest.fixture(scope="module")
def page(chromium: str) -> Iterator:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        tab = context.new_page()
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished its script run: no "Stop" in the toolbar and no stale
    (faded) elements, several polls in a row."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    quiet = 0
    while quiet < 4:
        assert time.monotonic() < deadline, "the page kept running"
        busy = page.get_by_role("button", name="Stop").count()
        busy += page.locator('[data-stale="true"]').count()
        quiet = 0 if busy else quiet + 1
        page.wait_for_timeout(250)


def _shot(page, name: str) -> Path:
    _settle(page)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _wait_metric(page, label: str, expected: int) -> None:
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while _metric(page, label) != str(expected):
        assert time.monotonic() < deadline, f"{label}: {_metric(page, label)} != {expected}"
        page.wait_for_timeout(300)


def test_ask_cite_open_section_and_filter_deadlines(servers: tuple[str, str], page) -> None:
    api_url, ui_url = servers
    page.goto(ui_url)
    page.get_by_role("heading", name="Hỏi đáp về kế hoạch").wait_for()

    chat = page.locator('[data-testid="stChatInputTextArea"]')
    chat.fill(QUESTION)
    chat.press("Enter")
    quote = page.locator("mark.planqa-quote").first
    quote.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.get_by_text("Trích dẫn", exact=True).wait_for()
    body = page.locator("body").inner_text()
    assert "Sở Tư pháp chủ trì" in body
    assert "Thực hiện công tác phòng, chống tội phạm năm 2024" in body  # the cited plan's title
    assert "Mục II.2.a" in body
    _shot(page, "01_hoi_dap_answer.png")

    page.get_by_role("button", name="Xem nguyên văn").first.click()
    dialog = page.get_by_role("dialog")
    dialog.locator(".planqa-section mark").wait_for()
    assert "Sở Tư pháp" in dialog.locator(".planqa-section mark").inner_text()
    assert "Nguyên văn" in dialog.inner_text()
    _shot(page, "02_xem_nguyen_van.png")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")

    tasks = httpx.get(f"{api_url}/tasks", timeout=30).json()["tasks"]
    timed = [t for t in tasks if t["time"]]
    in_plan = [t for t in timed if t["doc_id"] == HAI_DUONG_PLAN]
    assert 0 < len(in_plan) < len(timed)
    page.goto(f"{ui_url}/thoi-han")
    page.get_by_role("heading", name="Thời hạn thực hiện").wait_for()
    _wait_metric(page, "Nhiệm vụ có thời gian", len(timed))
    page.locator('[data-testid="stDataFrame"]').wait_for()

    documents = httpx.get(f"{api_url}/documents", timeout=30).json()["documents"]
    label = document_label(next(d for d in documents if d["doc_id"] == HAI_DUONG_PLAN), 80)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Văn bản").click()
    page.get_by_role("option", name=label, exact=True).click()
    _wait_metric(page, "Nhiệm vụ có thời gian", len(in_plan))

    today = date.today().isoformat()
    overdue = [t for t in in_plan if (t["time"]["due_date"] or "9999") < today]
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Trạng thái").click()
    page.get_by_role("option", name="Quá hạn").click()
    page.keyboard.press("Escape")
    _wait_metric(page, "Nhiệm vụ có thời gian", len(overdue))
    assert _metric(page, "Quá hạn") == str(len(overdue))
    if overdue:
        page.get_by_role("heading", name="Dòng thời gian").wait_for()
    _shot(page, "03_thoi_han_filters.png")
    assert "Cơ quan (chủ trì, phối hợp, thực hiện)" in page.locator("body").inner_text()


@pytest.mark.parametrize(
    ("path", "heading", "expected"),
    [
        ("trach-nhiem", "Trách nhiệm theo cơ quan", "Chủ trì ("),
        ("van-ban", "Văn bản", "Cây mục lục"),
        ("danh-gia", "Đánh giá độ chính xác", "Chạy đánh giá mới"),
    ],
)
def test_other_pages_render_without_errors(
    servers: tuple[str, str], page, path: str, heading: str, expected: str
) -> None:
    _, ui_url = servers
    page.goto(f"{ui_url}/{path}")
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    page.get_by_text(expected).first.wait_for()
    _shot(page, f"04_{path}.png")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.locator("body").inner_text()


NEW_PLAN = """ỦY BAN NHÂN DÂN
TỈNH HẢI DƯƠNG

KẾ HOẠCH
Kiểm tra công tác văn thư năm 2026

I. MỤC ĐÍCH
1. Nâng cao chất lượng công tác văn thư, lưu trữ.
II. NHIỆM VỤ
1. Sở Nội vụ chủ trì kiểm tra, báo cáo kết quả trước ngày 15/12/2026.
"""


def test_upload_a_plan_and_watch_it_ingested(
    servers: tuple[str, str], page, tmp_path: Path
) -> None:
    api_url, ui_url = servers
    plan = tmp_path / "kiem_tra_van_thu.txt"
    plan.write_text(NEW_PLAN, encoding="utf-8")
    page.goto(f"{ui_url}/van-ban")
    page.get_by_role("heading", name="Thêm văn bản mới").wait_for()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(plan))
    key = page.get_by_label("Khóa API")
    upload = page.get_by_role("button", name="Tải lên và lập chỉ mục")

    key.fill("khoa-sai")
    key.press("Enter")
    _settle(page)
    upload.click()
    page.get_by_text("Không có quyền").first.wait_for()
    _shot(page, "05_upload_refused.png")

    key.fill(API_KEY)
    key.press("Enter")
    _settle(page)
    upload.click()
    page.get_by_text("Đang đọc, tách mục").first.wait_for()  # the ingest, while it runs
    notice = page.get_by_text("Đã thêm «Kiểm tra công tác văn thư năm 2026»")
    notice.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "mã kiem_tra_van_thu" in notice.inner_text()
    notice.scroll_into_view_if_needed()
    _shot(page, "06_upload_done.png")
    assert page.locator('[data-testid="stException"]').count() == 0
    ids = [d["doc_id"] for d in httpx.get(f"{api_url}/documents").json()["documents"]]
    assert "kiem_tra_van_thu" in ids
