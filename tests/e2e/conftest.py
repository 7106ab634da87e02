"""End-to-end fixtures: the local stack as a subprocess on a free port, and Debian's Chromium.

Nothing here downloads anything. Chromium comes from `make chromium` (apt) and axe-core from
`npm ci`; both are installed by `make test`, and a missing one fails the run (CI must run it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from results_support import CHROMIUM_ARGS

from heard_local.process import StackDidNotStart, start_stack, stop_stack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def stack_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of `python -m heard_local --no-seed`, stopped afterwards."""
    try:
        stack = start_stack(tmp_path_factory.mktemp("local-stack"))
    except StackDidNotStart as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield stack.base_url
    finally:
        stop_stack(stack.process)


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
