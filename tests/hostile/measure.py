"""Running a command as its own process and measuring the most memory it ever held."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["MEMORY_LIMIT_MB", "Measured", "cli_env", "finish", "finish_timed", "launch", "run_cli"]

#: The most memory (peak resident set) a process may use on any hostile input.
MEMORY_LIMIT_MB = 300
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Measured:
    code: int
    out: str
    err: str
    peak_mb: float


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a CLI run against the embedded store in ``data_dir``."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "AIMSGRAPH_STORE": "embedded",
            "AIMSGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200", **extra}


# A small launcher runs the measured command as its own child and reports that child's
# getrusage figures. A process forked straight from the test runner would inherit the
# runner's peak memory (Linux carries it across fork and exec); a child of this launcher
# inherits only the launcher's few MiB. SIGTERM to the launcher is passed on to the child.
# The child's own wall time is reported too, so the launcher's start-up is never counted.
LAUNCHER = """
import json, os, signal, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
while True:
    try:
        _, status, usage = os.wait4(child.pid, 0)
        break
    except InterruptedError:
        continue
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "peak_kb": usage.ru_maxrss,
               "seconds": seconds}, out)
"""


def launch(command: list[str], env: dict[str, str], stdout: IO[bytes] | int,
           stderr: IO[bytes] | int, report: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` under the launcher; :func:`finish` gives its code and peak memory."""
    return subprocess.Popen([sys.executable, "-c", LAUNCHER, str(report), *command],
                            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
                            cwd=ROOT)


def finish(process: subprocess.Popen[bytes], report: Path, timeout: float) -> tuple[int, float]:
    """Wait for a launched command; its exit code and peak resident memory in MiB."""
    code, peak, _ = finish_timed(process, report, timeout)
    return code, peak


def finish_timed(process: subprocess.Popen[bytes], report: Path,
                 timeout: float) -> tuple[int, float, float]:
    """:func:`finish` with the command's own wall seconds (not counting the launcher)."""
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    figures = json.loads(report.read_text())
    return int(figures["code"]), figures["peak_kb"] / 1024, float(figures["seconds"])


def run_cli(args: list[str], env: dict[str, str], timeout: float = 120) -> Measured:
    """``aimsgraph ARGS`` in a new process, with its output and peak memory."""
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        report = Path(folder) / "rusage.json"
        process = launch([sys.executable, "-m", "aimsgraph.api.cli", *args], env, out, err, report)
        code, peak = finish(process, report, timeout)
        out.seek(0)
        err.seek(0)
        return Measured(code, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), peak)
