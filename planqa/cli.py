"""`planqa`: the command-line front door. Parsers are defined here; each command's work
lives in `planqa.commands.<name>` and is imported only when that command runs, so
`planqa --help` answers instantly."""

from __future__ import annotations

import argparse
import importlib
import sys

WORKERS_HELP = "API worker processes (default 1; 0 = one per core)"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planqa",
        description="Hỏi đáp có trích dẫn trên các kế hoạch của cơ quan nhà nước (PlanQA).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="index the corpus (or the given files)")
    p.add_argument("paths", nargs="*", help="files or folders (default: the corpus folder)")
    p.add_argument("--rebuild", action="store_true", help="re-embed everything")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    p = sub.add_parser("docs", help="list documents, or show one document's sections")
    p.add_argument("doc_id", nargs="?")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tasks", help="list task records (assignments and deadlines)")
    p.add_argument("--agency")
    p.add_argument("--doc")
    p.add_argument("--due-before", help="YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--due-after", help="YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("-k", "--top-k", type=int, default=8)
    p.add_argument("--doc", action="append", dest="doc_ids", help="restrict to a document")

    p = sub.add_parser("search", help="hybrid search over the indexed chunks")
    p.add_argument("query")
    p.add_argument("--json", action="store_true")
    p.add_argument("-k", "--top-k", type=int, default=5)
    p.add_argument(
        "--mode", choices=["hybrid", "lexical", "dense"], default="hybrid", help="retrieval mode"
    )

    p = sub.add_parser("serve", help="start the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help=WORKERS_HELP)

    p = sub.add_parser("ui", help="start the Streamlit front end")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8501)

    p = sub.add_parser("run", help="start the API and the UI together")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--api-port", type=int, default=8000)
    p.add_argument("--ui-port", type=int, default=8501)
    p.add_argument("--workers", type=int, default=1, help=WORKERS_HELP)

    p = sub.add_parser("eval", help="run the evaluation harness")
    p.add_argument("--dataset", help="JSONL question set (default: eval/datasets/plans_qa.jsonl)")
    p.add_argument(
        "--configs",
        help="comma-separated configurations (default: all); e.g. hybrid,lexical,dense,naive",
    )
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument(
        "--every", type=int, help="only every K-th question (a fixed subset spread over all plans)"
    )
    p.add_argument(
        "--strip-accents",
        action="store_true",
        help="ask every question again as typed without accents (lower case, no diacritics)",
    )
    p.add_argument(
        "--half-accents",
        action="store_true",
        help="ask the accented questions again with every other word typed without accents",
    )
    p.add_argument("--out", help="report folder (default: eval/reports/<timestamp>)")
    p.add_argument("--check", action="store_true", help="fail when below the committed baseline")
    p.add_argument("--write-baseline", action="store_true", help="store this run as the baseline")
    p.add_argument("--baseline", help="baseline file (default: eval/baseline.json)")
    p.add_argument("--no-progress", action="store_true")

    p = sub.add_parser("bench", help="run a benchmark")
    p.add_argument("what", choices=["ingest", "query", "scale", "all"])
    p.add_argument("--quick", action="store_true", help="a short smoke run (CI)")
    p.add_argument("--out", help="write results (JSON) here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    module = importlib.import_module(f"planqa.commands.{args.command}")
    from ingest.errors import PlanQAError
    from ingest.settings import get_settings

    try:
        return int(module.run(args, get_settings()) or 0)
    except PlanQAError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
