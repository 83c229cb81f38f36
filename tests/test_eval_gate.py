"""The regression gate CI runs: `planqa eval --check` on a fixed subset (every 3rd question,
spread over all five plans) against the committed eval/baseline_ci.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CI_BASELINE = REPO_ROOT / "eval" / "baseline_ci.json"
GATE_ARGS = ["--configs", "hybrid", "--every", "3", "--no-progress"]


@pytest.mark.slow
def test_eval_gate_passes_against_the_committed_baseline(built_index: Settings, tmp_path):
    env = {**os.environ, "PLANQA_DATA_DIR": str(built_index.data_dir), "OMP_WAIT_POLICY": "PASSIVE"}
    command = [sys.executable, "-m", "planqa", "eval", "--check", *GATE_ARGS]
    command += ["--baseline", str(CI_BASELINE), "--out", str(tmp_path / "run")]
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Gate: passed" in result.stdout
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    baseline = json.loads(CI_BASELINE.read_text(encoding="utf-8"))
    assert report["dataset"]["questions"] == baseline["questions"]
