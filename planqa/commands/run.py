"""`planqa run`: the API and the UI together, as two child processes.

Waits until the API answers /healthz, prints both addresses, forwards Ctrl-C and SIGTERM to
both children, and stops the other one when either exits.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from types import FrameType

import httpx

from ingest.errors import ConfigError
from ingest.settings import Settings
from planqa.commands.ui import UI_SCRIPT, streamlit_command, ui_environment

HEALTH_TIMEOUT_S = 120.0
POLL_S = 0.3
STOP_GRACE_S = 10.0


def _api_command(host: str, port: int, workers: int = 1) -> list[str]:
    """`planqa serve` as a child process (`workers` as for `planqa serve --workers`)."""
    return [
        sys.executable,
        "-m",
        "planqa",
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def wait_for_api(url: str, api: subprocess.Popen, timeout: float = HEALTH_TIMEOUT_S) -> int:
    """Poll /healthz until it answers; returns its status (200 ready, 503 running without index)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise ConfigError(
                "Máy chủ API dừng ngay khi khởi động; xem nhật ký phía trên.",
                f"API exited with {api.returncode}",
            )
        try:
            status = httpx.get(f"{url}/healthz", timeout=2.0).status_code
        except httpx.HTTPError:
            status = 0
        if status in (200, 503):
            return status
        time.sleep(POLL_S)
    raise ConfigError("Máy chủ API không phản hồi kịp.", f"no answer from {url} in {timeout}s")


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not UI_SCRIPT.exists():
        raise ConfigError(f"Không tìm thấy giao diện {UI_SCRIPT}.", f"missing {UI_SCRIPT}")
    api_url = f"http://{args.host}:{args.api_port}"
    children: list[subprocess.Popen] = []
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        # Own sessions: a terminal Ctrl-C reaches the children once, through `forward`.
        workers = args.workers
        api = subprocess.Popen(
            _api_command(args.host, args.api_port, workers), start_new_session=True
        )
        children.append(api)
        status = wait_for_api(api_url, api)
        ui = subprocess.Popen(
            streamlit_command(args.host, args.ui_port),
            env=ui_environment(api_url),
            start_new_session=True,
        )
        children.append(ui)
        print(f"API: {api_url}/docs", flush=True)
        print(f"UI:  http://{args.host}:{args.ui_port}", flush=True)
        if status == 503:
            print("Chưa có chỉ mục: hãy chạy `planqa ingest` để lập chỉ mục.", flush=True)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(POLL_S)
        exited = next((child for child in children if child.poll() is not None), None)
        return 0 if stopping or exited is None else int(exited.returncode or 0)
    finally:
        _stop(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
