"""Print functions/requirements.txt (what `sam build` installs) from uv.lock.

Only the project's own dependencies, exactly as locked, with their hashes: Powertools and
boto3 are in the `lambda-provided` group (the layer and the runtime bring them), which the
export leaves out. `make requirements` writes the file; a test compares the two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = "# exported from uv.lock by `make requirements`; do not edit"
EXPORT = [
    "export",
    "--frozen",  # read the lock as it is; never re-resolve
    "--no-default-groups",  # leaves out lambda-provided (and any dev group)
    "--no-emit-project",
    "--no-header",
    "--format",
    "requirements-txt",
]


def uv_binary() -> str:
    """uv from this interpreter's environment (the project venv), else from PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is not installed: run `make .venv/.test-installed`")
    return found


def requirements_text(project: Path = ROOT) -> str:
    """The requirements.txt content for the project's locked dependencies, header first."""
    done = subprocess.run(  # noqa: S603 - a fixed command line
        [uv_binary(), *EXPORT, "--project", str(project)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_SYNC": "1"},
    )
    return f"{HEADER}\n{done.stdout}"


def main(argv: list[str] | None = None) -> int:
    """Write the requirements to stdout; an optional argument names another project dir."""
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(requirements_text(Path(args[0]) if args else ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
