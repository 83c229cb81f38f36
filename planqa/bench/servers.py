"""Real server subprocesses on free loopback ports, for benchmarks and integration tests:
`planqa serve` and a Chroma server (`chroma run`). Traffic stays on 127.0.0.1; every wait is
bounded in time, and `stop()` always reaps the process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 120.0


def free_port() -> int:
    """A port the kernel just handed out on loopback (free at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def rss_bytes(pid: int) -> int | None:
    """Resident memory of a process from /proc (Linux), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def process_tree(pid: int) -> list[int]:
    """`pid` and its living descendants (uvicorn's worker processes), from /proc (Linux)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
    return out


def tree_rss_bytes(pid: int) -> int | None:
    """Resident memory of a process and its descendants (a server with several workers)."""
    sizes = [rss_bytes(p) for p in process_tree(pid)]
    total = sum(size for size in sizes if size)
    return total or None


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            # Fields after the ")" that ends the command name: utime and stime are 12 and 13.
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def planqa_env(
    data_dir: Path,
    corpus_dir: Path | None = None,
    api_key: str | None = None,
    chroma_url: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a PlanQA subprocess: this one's, with the PlanQA settings replaced
    (so a developer's `.env` or exported variables never leak into a measurement)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANQA_")}
    env["PLANQA_DATA_DIR"] = str(data_dir)
    if corpus_dir is not None:
        env["PLANQA_CORPUS_DIR"] = str(corpus_dir)
    if api_key:
        env["PLANQA_API_KEY"] = api_key
    if chroma_url:
        env["PLANQA_CHROMA_URL"] = chroma_url
    env.update(extra or {})
    return env


def planqa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "planqa", *args]


@dataclass
class ServerProcess:
    """One started server: its process, base URL and how long it took to answer `health_path`."""

    command: list[str]
    port: int
    health_path: str
    env: dict[str, str]
    cwd: Path = REPO_ROOT
    process: subprocess.Popen[bytes] | None = None
    startup_seconds: float | None = None
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout_s: float = START_TIMEOUT_S) -> ServerProcess:
        """Start and wait until `health_path` answers 200; raises RuntimeError with the log."""
        started = time.perf_counter()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=5.0) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.command[:4]} exited early:\n{self.log()}")
                try:
                    if client.get(self.base_url + self.health_path).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"not healthy after {timeout_s:.0f} s:\n{self.log()}")
                time.sleep(0.1)
        self.startup_seconds = time.perf_counter() - started
        return self

    def rss(self) -> int | None:
        """Resident memory of the server and its worker processes together."""
        return tree_rss_bytes(self.pid) if self.process is not None else None

    def cpu_seconds(self) -> float:
        """CPU time the server and its worker processes have used so far."""
        return tree_cpu_seconds(self.pid) if self.process is not None else 0.0

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except FileNotFoundError:
            return ""

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM, then SIGKILL after `timeout_s`; only this server's own process."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout_s)

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=15)

    def cleanup(self) -> None:
        self.log_path.unlink(missing_ok=True)


def planqa_server(
    data_dir: Path,
    corpus_dir: Path | None = None,
    api_key: str | None = None,
    chroma_url: str | None = None,
    port: int | None = None,
    extra_env: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> ServerProcess:
    """An unstarted `planqa serve` on loopback over `data_dir` (call `.start()`); `workers`
    is passed as `--workers` (None: the command's default)."""
    port = port or free_port()
    args = ["serve", "--host", LOOPBACK, "--port", str(port)]
    if workers is not None:
        args += ["--workers", str(workers)]
    return ServerProcess(
        command=planqa_command(*args),
        port=port,
        health_path="/healthz",
        env=planqa_env(data_dir, corpus_dir, api_key, chroma_url, extra_env),
    )


def chroma_executable() -> str:
    """`chroma` beside this interpreter (the venv's), else on PATH."""
    local = Path(sys.executable).with_name("chroma")
    if local.exists():
        return str(local)
    found = shutil.which("chroma")
    if found is None:
        raise RuntimeError("the `chroma` command (from the chromadb package) is not installed")
    return found


def chroma_server(path: Path, port: int | None = None) -> ServerProcess:
    """An unstarted Chroma server persisting to `path`, on loopback (call `.start()`)."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANQA_")}
    env["ANONYMIZED_TELEMETRY"] = "False"
    return ServerProcess(
        command=[
            chroma_executable(),
            "run",
            "--path",
            str(path),
            "--host",
            LOOPBACK,
            "--port",
            str(port),
        ],
        port=port,
        health_path="/api/v2/heartbeat",
        env=env,
    )


@contextmanager
def running(server: ServerProcess, timeout_s: float = START_TIMEOUT_S) -> Iterator[ServerProcess]:
    """Start, yield, always stop and remove the log."""
    try:
        yield server.start(timeout_s)
    finally:
        server.stop()
        server.cleanup()


__all__ = [
    "LOOPBACK",
    "ServerProcess",
    "chroma_server",
    "free_port",
    "planqa_command",
    "planqa_env",
    "planqa_server",
    "process_tree",
    "rss_bytes",
    "running",
    "tree_cpu_seconds",
    "tree_rss_bytes",
]
