"""Print functions/requirements.txt (what `sam build` installs) from pyproject.toml's dependencies.

`make requirements` writes it; a test compares the two so they cannot drift apart.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
HEADER = "# generated from pyproject.toml by `make requirements`; do not edit"


def requirements_text(pyproject: Path = PYPROJECT) -> str:
    """The requirements.txt content for pyproject's [project].dependencies, header first."""
    with pyproject.open("rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    return "\n".join([HEADER, *dependencies]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the requirements to stdout; an optional argument names another pyproject.toml."""
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(requirements_text(Path(args[0]) if args else PYPROJECT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
