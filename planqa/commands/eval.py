"""`planqa eval`: run the configurations on the question set, write the reports, and optionally
record or check the regression baseline (exit 1 when a gated metric drops)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ingest.errors import BadRequest
from ingest.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "eval"
REPORTS_DIR = PACKAGE_DIR / "reports"
DOCS_DIR = PACKAGE_DIR.parent / "docs"


def _command_line(args: argparse.Namespace) -> str:
    """The command as a user would retype it (argv is not ours when called from tests)."""
    parts = ["planqa", "eval"]
    for flag, value in (
        ("--dataset", args.dataset),
        ("--configs", args.configs),
        ("--limit", args.limit),
        ("--every", getattr(args, "every", None)),
        ("--out", args.out),
        ("--baseline", getattr(args, "baseline", None)),
    ):
        if value is not None:
            parts += [flag, str(value)]
    for flag, value in (
        ("--strip-accents", getattr(args, "strip_accents", False)),
        ("--half-accents", getattr(args, "half_accents", False)),
        ("--check", args.check),
        ("--write-baseline", args.write_baseline),
        ("--no-progress", args.no_progress),
    ):
        if value:
            parts.append(flag)
    return " ".join(parts)


def _print_summary(report: dict, out_dir: Path) -> None:
    print(f"Questions: {report['dataset']['questions']}  wall time: {report['wall_time_s']:.1f} s")
    header = f"{'config':<11}{'acc(all)':>9}{'answer':>8}{'Hit@5':>7}{'MRR':>6}{'citP':>6}"
    header += f"{'abstR':>7}{'p50ms':>8}{'p95ms':>8}"
    print(header)
    for name, m in report["metrics"].items():

        def pct(key: str, metrics: dict = m) -> str:
            value = metrics[key]
            return "—" if value is None else f"{value * 100:.0f}%"

        def ms(key: str, metrics: dict = m) -> str:
            value = metrics[key]
            return "—" if value is None else f"{value:.0f}"

        print(
            f"{name:<11}{pct('accuracy'):>9}{pct('answer_accuracy'):>8}{pct('hit@5'):>7}"
            f"{pct('mrr@10'):>6}{pct('citation_precision'):>6}{pct('abstention_recall'):>7}"
            f"{ms('latency_p50_ms'):>8}{ms('latency_p95_ms'):>8}"
        )
    for name, why in report["skipped"].items():
        print(f"skipped {name}: {why}")
    ratio = report.get("planqa_vs_naive")
    if ratio and ratio["ratio"] is not None:
        print(f"PlanQA/naive answer accuracy: {ratio['ratio']:.2f}x")
    print(f"Report: {out_dir / 'report.md'}")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from eval.configs import PRIMARY_CONFIG, parse_config_names
    from eval.dataset import load_dataset, typed_half_accented, typed_without_accents
    from eval.gate import BASELINE_PATH, check, load_baseline, write_baseline
    from eval.harness import evaluate
    from eval.report import build_report, write_docs, write_report

    names = parse_config_names(args.configs)
    if (args.check or args.write_baseline) and PRIMARY_CONFIG not in names:
        raise BadRequest(
            f"--check và --write-baseline cần cấu hình '{PRIMARY_CONFIG}' (thêm vào --configs)."
        )
    if args.limit is not None and args.limit < 1:
        raise BadRequest("--limit phải là số nguyên dương.")
    dataset_path = Path(args.dataset) if args.dataset else None
    questions = load_dataset(dataset_path)
    every = getattr(args, "every", None)
    if every is not None and every < 1:
        raise BadRequest("--every phải là số nguyên dương.")
    if every:
        questions = questions[::every]
    if args.limit:
        questions = questions[: args.limit]
    stripped = getattr(args, "strip_accents", False)
    if stripped:
        questions = typed_without_accents(questions)
    if getattr(args, "half_accents", False):
        questions = typed_half_accented(questions)
    if not questions:
        raise BadRequest("Bộ câu hỏi đánh giá rỗng.")

    out_dir = Path(args.out) if args.out else REPORTS_DIR / time.strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    result = evaluate(settings, questions, names, progress=not args.no_progress, out_dir=out_dir)
    report = build_report(
        result,
        command=_command_line(args),
        dataset_path=str(dataset_path or "eval/datasets/plans_qa.jsonl"),
        limit=args.limit,
        run_name=out_dir.name,
    )
    write_report(result, report, out_dir)
    complete = args.limit is None and not every and not stripped and args.configs is None
    if dataset_path is None and complete:
        write_docs(report, out_dir, DOCS_DIR)  # docs describe complete runs on the real set
    _print_summary(report, out_dir)

    baseline_path = Path(getattr(args, "baseline", None) or BASELINE_PATH)
    if args.write_baseline:
        baseline = write_baseline(report, baseline_path)
        print(f"Baseline written to {baseline_path}: {json.dumps(baseline['metrics'])}")
    if args.check:
        if not baseline_path.exists():
            print(
                f"FAIL: no baseline at {baseline_path}; record one with --write-baseline.",
                file=sys.stderr,
            )
            return 1
        gate = check(report, load_baseline(baseline_path))
        for message in gate.messages:
            print(message, file=sys.stdout if message.startswith("ok") else sys.stderr)
        print("Gate: passed" if gate.ok else "Gate: FAILED (metrics fell below the baseline)")
        return 0 if gate.ok else 1
    return 0
