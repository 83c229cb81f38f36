"""Evaluation runs for the «Đánh giá» page: find reports on disk, start a run, follow it.

The page runs `planqa eval` as a child process (eval sits beside ui, above service, and needs
the same data folder as the API) and follows the `progress.json` the harness keeps in its
output folder: {"done", "total", "config", "finished"}.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPORTS_DIR = Path(__file__).resolve().parents[1] / "eval" / "reports"
LOG_NAME = "log.txt"
# Columns of the summary table: report.json metric key → label shown.
METRIC_LABELS = {
    "accuracy": "Chính xác (tất cả)",
    "answer_accuracy": "Trả lời đúng",
    "hit@5": "Hit@5",
    "mrr@10": "MRR@10",
    "citation_precision": "Trích dẫn đúng",
    "abstention_recall": "Từ chối đúng",
    "latency_p50_ms": "p50 (ms)",
    "latency_p95_ms": "p95 (ms)",
}
_PERCENT_KEYS = set(METRIC_LABELS) - {"latency_p50_ms", "latency_p95_ms"}

__all__ = [
    "REPORTS_DIR",
    "EvalRun",
    "ReportRun",
    "list_runs",
    "metrics_rows",
    "read_progress",
    "start_run",
]


@dataclass(frozen=True)
class ReportRun:
    """A finished run's folder: report.json, report.md and the PNG plots."""

    name: str
    folder: Path

    @property
    def markdown(self) -> str:
        path = self.folder / "report.md"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    @property
    def plots(self) -> list[Path]:
        return sorted(self.folder.glob("*.png"))

    def summary(self) -> dict[str, Any]:
        try:
            return json.loads((self.folder / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def list_runs(reports_dir: Path | None = None) -> list[ReportRun]:
    """Finished runs (those with a report.json), newest first."""
    reports_dir = reports_dir or REPORTS_DIR
    if not reports_dir.is_dir():
        return []
    runs = [
        ReportRun(folder.name, folder)
        for folder in reports_dir.iterdir()
        if (folder / "report.json").is_file()
    ]
    return sorted(runs, key=lambda run: (run.folder / "report.json").stat().st_mtime, reverse=True)


def metrics_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per configuration of report.json's "metrics", with readable values."""
    rows = []
    for name, metrics in (summary.get("metrics") or {}).items():
        row: dict[str, Any] = {"Cấu hình": name}
        for key, label in METRIC_LABELS.items():
            value = metrics.get(key)
            if value is None:
                row[label] = "—"
            elif key in _PERCENT_KEYS:
                row[label] = f"{value * 100:.0f}%"
            else:
                row[label] = f"{value:.0f}"
        rows.append(row)
    return rows


@dataclass
class EvalRun:
    """A `planqa eval` child started from the page (kept in the session between reruns)."""

    folder: Path
    process: subprocess.Popen

    def progress(self) -> dict[str, Any]:
        return read_progress(self.folder)

    @property
    def exit_code(self) -> int | None:
        return self.process.poll()

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = (self.folder / LOG_NAME).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def start_run(limit: int | None, configs: str, reports_dir: Path | None = None) -> EvalRun:
    """Start `planqa eval` in the background, writing into a new folder under `reports_dir`."""
    out = (reports_dir or REPORTS_DIR) / time.strftime("ui-%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "planqa", "eval", "--out", str(out), "--no-progress"]
    if configs.strip():
        command += ["--configs", configs.strip()]
    if limit:
        command += ["--limit", str(limit)]
    with (out / LOG_NAME).open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return EvalRun(out, process)


def read_progress(out: Path) -> dict[str, Any]:
    """{"done": n, "total": n, "config": name, "finished": bool}, or {} before the first update."""
    try:
        progress = json.loads((out / "progress.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return progress if isinstance(progress, dict) else {}
