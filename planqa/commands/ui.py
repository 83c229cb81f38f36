"""`planqa ui`: the Streamlit front end, pointed at the API by PLANQA_API_URL."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ingest.errors import ConfigError
from ingest.settings import Settings

UI_SCRIPT = Path(__file__).resolve().parents[2] / "ui" / "app.py"


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(UI_SCRIPT),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def ui_environment(api_url: str) -> dict[str, str]:
    return {**os.environ, "PLANQA_API_URL": api_url}


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not UI_SCRIPT.exists():
        raise ConfigError(f"Không tìm thấy giao diện {UI_SCRIPT}.", f"missing {UI_SCRIPT}")
    print(f"UI: http://{args.host}:{args.port}  (API: {settings.api_url})", flush=True)
    child = subprocess.Popen(
        streamlit_command(args.host, args.port), env=ui_environment(settings.api_url)
    )
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        return child.wait()
