"""Benchmarks run by `planqa bench <name>`; each lives in `planqa.bench.<name>`.

A benchmark module provides `run(settings: Settings, quick: bool) -> dict` (JSON-ready numbers;
`quick` is the short CI smoke run) and may provide `render(result: dict) -> str` for the
terminal. Add a module and its name to `BENCHMARKS` to make `planqa bench all` run it.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from ingest.errors import ConfigError
from ingest.settings import Settings

BENCHMARKS = ("ingest", "query", "scale")


def load(name: str) -> ModuleType | None:
    """The benchmark module, or None when nobody has written it yet."""
    module_name = f"{__name__}.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def run_benchmark(
    name: str, settings: Settings, quick: bool = False, required: bool = True
) -> dict[str, Any]:
    """Run one benchmark. A missing module is an error when asked for by name, a recorded
    skip inside `all`."""
    module = load(name)
    if module is None:
        if required:
            raise ConfigError(
                f"Chưa có bài đo '{name}'.", f"module {__name__}.{name} does not exist"
            )
        return {"skipped": f"module {__name__}.{name} does not exist"}
    return module.run(settings, quick=quick)


def render(name: str, result: dict[str, Any]) -> str:
    module = load(name) if "skipped" not in result else None
    renderer = getattr(module, "render", None)
    body = renderer(result) if renderer else json.dumps(result, ensure_ascii=False, indent=2)
    return f"== {name} ==\n{body}"


def run_record(what: str, quick: bool, results: dict[str, Any]) -> dict[str, Any]:
    """Results plus the command and machine that produced them (numbers mean nothing alone)."""
    command = f"planqa bench {what}" + (" --quick" if quick else "")
    return {
        "command": command,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "results": results,
    }


__all__ = ["BENCHMARKS", "load", "render", "run_benchmark", "run_record"]
