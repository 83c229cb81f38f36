"""Index versions on disk: `data/index/v-<timestamp>-<shortid>/`, a `CURRENT` file naming the
live one, an ingest lock, and garbage collection of superseded versions.

A version is built in a `.building-<version>` folder and renamed when complete, so a reader
never sees half a version and a killed ingest leaves only a folder the next ingest removes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.errors import IndexBusy

CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
SQLITE_FILE = "planqa.sqlite"
CHROMA_DIR = "chroma"
VERSION_PREFIX = "v-"
BUILDING_PREFIX = ".building-"


def new_version_id() -> str:
    """Sortable and unique: `v-20260101T120000Z-3fa2c1`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{VERSION_PREFIX}{stamp}-{uuid.uuid4().hex[:6]}"


def building_dir(root: Path, version: str) -> Path:
    return root / f"{BUILDING_PREFIX}{version}"


def current_version(root: Path) -> str | None:
    """The live version named by CURRENT, if it names a complete folder."""
    try:
        version = (root / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not version or not (root / version / MANIFEST_FILE).is_file():
        return None
    return version


def read_manifest(version_dir: Path) -> dict[str, Any]:
    return json.loads((version_dir / MANIFEST_FILE).read_text(encoding="utf-8"))


def write_json_atomic(path: Path, data: Any) -> None:
    """Write to a sibling temp file, fsync, then os.replace: readers see old or new, never half."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def switch_current(root: Path, version: str) -> None:
    """Atomically make `version` the live index."""
    tmp = root / f".{CURRENT_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT_FILE)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def complete_versions(root: Path) -> list[str]:
    """Complete version folders, oldest first."""
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and p.name.startswith(VERSION_PREFIX) and (p / MANIFEST_FILE).is_file()
    )


def collect_garbage(root: Path, keep: int = 2) -> list[str]:
    """Remove versions other than CURRENT and the newest `keep - 1` before it, plus leftovers of
    killed builds. Call with the ingest lock held. Returns the removed folder names."""
    live = current_version(root)
    versions = complete_versions(root)
    kept: set[str] = set()
    if live is not None:
        older = [v for v in versions if v < live]
        kept = {live, *older[-(keep - 1) :]} if keep > 1 else {live}
    removed = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if not path.is_dir():
            continue
        stale_build = path.name.startswith(BUILDING_PREFIX)
        old_version = path.name.startswith(VERSION_PREFIX) and path.name not in kept
        if live is not None and (stale_build or old_version):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


@contextmanager
def ingest_lock(root: Path) -> Iterator[None]:
    """Exclusive, non-blocking: a second ingest fails fast with IndexBusy.

    The kernel drops an flock when its process dies, so a killed ingest never leaves it held.
    """
    root.mkdir(parents=True, exist_ok=True)
    fh = open(root / LOCK_FILE, "a+")  # noqa: SIM115 - held for the duration of the block
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusy(
                "Một lần lập chỉ mục khác đang chạy. Hãy thử lại sau.",
                f"lock {root / LOCK_FILE} is held by another process",
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()


__all__ = [
    "CHROMA_DIR",
    "CURRENT_FILE",
    "MANIFEST_FILE",
    "SQLITE_FILE",
    "building_dir",
    "collect_garbage",
    "complete_versions",
    "current_version",
    "ingest_lock",
    "new_version_id",
    "read_manifest",
    "switch_current",
    "write_json_atomic",
]
