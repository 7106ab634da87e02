"""End-to-end fixtures: the local stack as a subprocess on a free port, and Debian's Chromium.

Nothing here downloads anything. Chromium comes from `make chromium` (apt) and axe-core from
`npm ci`; both are installed by `make test`, and a missing one fails the run (CI must run it).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# A port picked free can be taken by someone else before the stack binds it; try again then.
PORT_ATTEMPTS = 3

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing holds right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _output(log_path: Path) -> str:
    try:
        return log_path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"(no output: {error})"


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_dev/health", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the stack's clean stop), then SIGKILL if it is still there after 10 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def _start(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "functions"), os.environ.get("PYTHONPATH")])
        ),
    }
    # A file, not a pipe: the stack logs every request, and an unread pipe would fill and block it.
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "heard.local", "--no-seed"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> bool:
    """True once /_dev/health answers 200; False if the process exits first; fails on timeout."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not _healthy(base_url):
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            pytest.fail(
                f"The local stack did not answer {base_url}/_dev/health within "
                f"{STARTUP_TIMEOUT_S:.0f} s. Its output:\n{_output(log_path)}"
            )
        time.sleep(0.1)
    return True


@pytest.fixture(scope="session")
def stack_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of `python -m heard.local --no-seed`, stopped afterwards."""
    log_dir = tmp_path_factory.mktemp("local-stack")
    attempt = 0
    while True:
        attempt += 1
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        log_path = log_dir / f"stack-{attempt}.log"
        process = _start(port, log_path)
        try:
            if _wait_healthy(process, base_url, log_path):
                break
        except BaseException:
            _stop(process)
            raise
        output = _output(log_path)
        if "already in use" not in output or attempt >= PORT_ATTEMPTS:
            pytest.fail(
                f"The local stack exited with code {process.returncode} before it was healthy. "
                f"Its output:\n{output}"
            )
    try:
        yield base_url
    finally:
        _stop(process)


def _missing(what: str, where: str) -> str:
    return (
        f"{what} is not installed ({where}). Run `make test` once: it installs Debian's chromium "
        "and npm's axe-core. This test is never skipped: CI must run it."
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (from `make chromium`); a failure, never a skip, when it is missing."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(_missing("chromium", "no `chromium` on PATH"), pytrace=False)
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    """npm's axe-core, to inject into pages for the accessibility check."""
    if not AXE_JS.is_file():
        pytest.fail(_missing("axe-core", f"no {AXE_JS.relative_to(ROOT)}"), pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """Headless Chromium driven by Playwright, never a browser build Playwright downloaded."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/ (gitignored): screenshots for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
