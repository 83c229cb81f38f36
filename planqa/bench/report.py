"""Benchmark numbers into docs/BENCH.md: each benchmark owns one marked section, replaced in
place on every full run, headed by the exact command and the machine that produced it. Text
outside the markers (hand-written findings) is kept."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

BENCH_MD = Path(__file__).resolve().parents[2] / "docs" / "BENCH.md"
TITLES = {
    "query": "Query latency and throughput (`planqa bench query`)",
    "scale": "Corpus scale ×1 / ×10 / ×100 (`planqa bench scale`)",
}
_HEADER = "# PlanQA benchmarks\n"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def machine_line() -> str:
    """`nproc`, CPU model and RAM, as read from /proc."""
    cpu, ram = "unknown CPU", "unknown RAM"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        ram = f"{kib / (1024 * 1024):.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"nproc {os.cpu_count()}, {cpu}, {ram}"


def section_text(name: str, body: str, command: str | None = None) -> str:
    start, end = _markers(name)
    command = command or f"planqa bench {name}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            start,
            f"## {TITLES.get(name, name)}",
            "",
            f"Command: `{command}` — run {stamp} on {machine_line()}.",
            "",
            body.rstrip(),
            end,
        ]
    )


def update_section(name: str, body: str, command: str | None = None, path: Path = BENCH_MD) -> Path:
    """Replace (or append) benchmark `name`'s section of `path`; returns the file written."""
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    start, end = _markers(name)
    block = section_text(name, body, command)
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


__all__ = ["BENCH_MD", "machine_line", "section_text", "update_section"]
