"""The local stack as a child process: what the end-to-end tests and the benchmark both run.

`python -m heard_local --no-seed` on a free 127.0.0.1 port, healthy before it is handed out,
stopped with SIGTERM (its clean stop) and killed only if that does not work.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# A port picked free can be taken by someone else before the stack binds it; try again then.
PORT_ATTEMPTS = 3
_ROOT = Path(__file__).resolve().parents[2]
# The Lambda code and the local stack are two import roots (only the first is deployed).
_IMPORT_ROOTS = [_ROOT / "functions", _ROOT / "local"]


class StackDidNotStart(RuntimeError):
    """The stack exited or stayed unhealthy; the message carries its output."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing holds right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def is_healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_dev/health", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop_stack(process: "subprocess.Popen[bytes]") -> None:
    """SIGTERM (the stack's clean stop), then SIGKILL if it is still there after 10 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def _output(log_path: Path) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"(no output: {error})"


@dataclass(frozen=True)
class RunningStack:
    process: "subprocess.Popen[bytes]"
    base_url: str
    log_path: Path  # everything the stack printed, one line per request among it


def start_stack(log_dir: Path) -> RunningStack:
    """The stack on a free port, healthy; its output goes to a file in log_dir.

    A file, not a pipe: the stack logs every request, and an unread pipe would fill and block it.
    """
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [*map(str, _IMPORT_ROOTS), os.environ.get("PYTHONPATH")])
        ),
    }
    for attempt in range(1, PORT_ATTEMPTS + 1):
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        log_path = log_dir / f"stack-{attempt}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "heard_local", "--no-seed"],
                cwd=_ROOT,
                env={**env, "PORT": str(port)},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while process.poll() is None and time.monotonic() < deadline:
            if is_healthy(base_url):
                return RunningStack(process, base_url, log_path)
            time.sleep(0.1)
        stop_stack(process)
        output = _output(log_path)
        if "already in use" not in output:
            raise StackDidNotStart(
                f"The local stack did not answer {base_url}/_dev/health within "
                f"{STARTUP_TIMEOUT_S:.0f} s (exit code {process.returncode}). Its output:\n{output}"
            )
    raise StackDidNotStart(f"No free port after {PORT_ATTEMPTS} attempts:\n{output}")
