"""The regression gates CI runs: `planqa eval --check` against committed baselines, on a fixed
subset of the development set (every 3rd question, spread over all five plans) and on the six
held-out sets (questions written without seeing the system, docs/EVAL.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASETS = REPO_ROOT / "eval" / "datasets"
GATES = {
    "development": (REPO_ROOT / "eval" / "baseline_ci.json", ["--every", "3"]),
    **{
        name: (
            REPO_ROOT / "eval" / f"baseline_{name}.json",
            ["--dataset", str(DATASETS / f"{name}_qa.jsonl")],
        )
        for name in ("holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6")
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("gate", sorted(GATES))
def test_eval_gate_passes_against_the_committed_baseline(
    built_index: Settings, tmp_path: Path, gate: str
) -> None:
    baseline_file, selection = GATES[gate]
    env = {**os.environ, "PLANQA_DATA_DIR": str(built_index.data_dir), "OMP_WAIT_POLICY": "PASSIVE"}
    command = [sys.executable, "-m", "planqa", "eval", "--check", "--configs", "hybrid"]
    command += [*selection, "--no-progress", "--baseline", str(baseline_file)]
    command += ["--out", str(tmp_path / "run")]
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Gate: passed" in result.stdout
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    baseline = json.loads(baseline_file.read_text(encoding="utf-8"))
    assert report["dataset"]["questions"] == baseline["questions"]
