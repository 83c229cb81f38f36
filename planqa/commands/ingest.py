"""`planqa ingest [PATH...] [--rebuild]`: build a new index version of the corpus, or add/replace
the given files on top of the live one. Exits 1 when any file was refused."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import ingest

    paths = [Path(p) for p in args.paths] or None
    corpus = settings.corpus_dir.resolve()
    for path in paths or []:
        if path.is_file() and path.resolve().parent != corpus:
            print(
                f"Lưu ý: '{path}' nằm ngoài thư mục tài liệu ({settings.corpus_dir}); "
                "lần lập chỉ mục toàn bộ sau sẽ không còn tài liệu này.",
                file=sys.stderr,
            )
    report = ingest(settings, paths=paths, rebuild=args.rebuild, progress=not args.no_progress)
    print(
        f"Chỉ mục {report.version}: {report.documents} tài liệu, {report.sections} mục, "
        f"{report.tasks} nhiệm vụ, {report.chunks} đoạn "
        f"(nhúng mới {report.embedded}, dùng lại {report.cached}) trong {report.seconds:.1f} giây."
    )
    if report.removed:
        print("Đã bỏ khỏi chỉ mục: " + ", ".join(report.removed))
    for refusal in report.refused:
        print(f"Từ chối {refusal.path}: {refusal.message}", file=sys.stderr)
    return 1 if report.refused else 0
