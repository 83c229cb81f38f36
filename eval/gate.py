"""The regression gate: a committed baseline of the default configuration's key metrics, and
a check that fails when a run falls more than a tolerance below any of them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.configs import PRIMARY_CONFIG

BASELINE_PATH = Path(__file__).resolve().parent / "baseline.json"
TOLERANCE = 0.02
GATED_METRICS = ("answer_accuracy", "hit@5", "citation_precision", "abstention_recall")


@dataclass(frozen=True)
class GateResult:
    ok: bool
    messages: tuple[str, ...]


def baseline_from_report(report: dict[str, Any], config: str = PRIMARY_CONFIG) -> dict[str, Any]:
    """The gated metrics of `config` in a run, with what identifies the question set."""
    if config not in report["metrics"]:
        raise ValueError(f"the run has no '{config}' results; run it with --configs {config}")
    metrics = report["metrics"][config]
    return {
        "config": config,
        "metrics": {name: metrics[name] for name in GATED_METRICS},
        "tolerance": TOLERANCE,
        "dataset_sha256": report["dataset"]["sha256"],
        "questions": report["dataset"]["questions"],
        "limit": report["dataset"]["limit"],
        "recorded": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": report.get("command", ""),
    }


def write_baseline(report: dict[str, Any], path: Path = BASELINE_PATH) -> dict[str, Any]:
    baseline = baseline_from_report(report)
    path.write_text(json.dumps(baseline, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return baseline


def load_baseline(path: Path = BASELINE_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check(report: dict[str, Any], baseline: dict[str, Any]) -> GateResult:
    """Compare a run with the baseline. Fails on a drop beyond tolerance, on a metric the run
    cannot measure, or when the run used a different question set (the baseline is stale)."""
    config = baseline.get("config", PRIMARY_CONFIG)
    tolerance = float(baseline.get("tolerance", TOLERANCE))
    if config not in report["metrics"]:
        return GateResult(
            False, (f"FAIL: the run has no '{config}' results; run with --configs {config}.",)
        )
    messages: list[str] = []
    ok = True
    dataset = report["dataset"]
    if dataset["sha256"] != baseline.get("dataset_sha256"):
        ok = False
        messages.append(
            f"FAIL: the question set differs from the baseline's ({dataset['questions']} "
            f"questions, sha256 {dataset['sha256'][:12]} vs {baseline.get('questions')} "
            f"questions, sha256 {str(baseline.get('dataset_sha256'))[:12]}, limit "
            f"{baseline.get('limit')}). Re-run with the baseline's --limit, or record a new "
            "baseline with --write-baseline."
        )
    measured = report["metrics"][config]
    for name, expected in baseline["metrics"].items():
        value = measured.get(name)
        if expected is None:
            messages.append(f"ok:   {name} has no baseline value (not measured then)")
            continue
        if value is None:
            ok = False
            messages.append(f"FAIL: {name} was not measured in this run (baseline {expected:.3f})")
            continue
        floor = expected - tolerance
        if value < floor:
            ok = False
            messages.append(
                f"FAIL: {name} = {value:.3f} is below the baseline {expected:.3f} "
                f"by {expected - value:.3f} (tolerance {tolerance:.2f})"
            )
        else:
            messages.append(f"ok:   {name} = {value:.3f} (baseline {expected:.3f})")
    return GateResult(ok, tuple(messages))


__all__ = [
    "BASELINE_PATH",
    "GATED_METRICS",
    "GateResult",
    "TOLERANCE",
    "baseline_from_report",
    "check",
    "load_baseline",
    "write_baseline",
]
