"""`planqa bench {ingest,query,scale,all} [--quick] [--out FILE]`: run benchmarks from
`planqa.bench.<name>`, print their numbers and optionally write them as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ingest.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from planqa.bench import BENCHMARKS, render, run_benchmark, run_record

    names = list(BENCHMARKS) if args.what == "all" else [args.what]
    results = {}
    for name in names:
        result = run_benchmark(name, settings, quick=args.quick, required=args.what != "all")
        results[name] = result
        print(render(name, result))
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        record = run_record(args.what, args.quick, results)
        out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"Đã ghi kết quả: {out}")
    return 0
