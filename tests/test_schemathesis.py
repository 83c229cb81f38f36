"""Property-based requests from the OpenAPI schema (schemathesis CLI) against a real
`planqa serve` on loopback: no generated request may produce a 5xx. Bounded in examples and
time; the server has no API key, so generated writes are refused (403) and the index is read
only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from servers import serving

from ingest.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MAX_EXAMPLES = 5
MAX_TIME_S = 60


def _schemathesis() -> str:
    exe = Path(sys.executable).with_name("st")
    if not exe.exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    return str(exe)


def test_no_server_errors_on_generated_requests(built_index: Settings, tmp_path: Path) -> None:
    st = _schemathesis()
    with serving(built_index) as server:
        done = subprocess.run(
            [
                st,
                "run",
                server.base_url + "/openapi.json",
                "--checks",
                "not_a_server_error",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--max-time",
                str(MAX_TIME_S),
                "--request-timeout",
                "60",
                "--workers",
                "1",
                "--seed",
                "7",
                "--no-color",
                "--generation-database",
                ":memory:",
                "--suppress-health-check",
                "all",
            ],
            capture_output=True,
            text=True,
            timeout=MAX_TIME_S + 180,
            cwd=tmp_path,
        )
        server_log = server.log()
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{output[-6000:]}\n--- server log ---\n{server_log}"
    assert "not_a_server_error" in output or "passed" in output.lower()
