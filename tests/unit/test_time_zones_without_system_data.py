"""Time zones work on a runtime image without the system's tz database (Lambda's images are
not promised to carry /usr/share/zoneinfo): the `tzdata` package is a dependency."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tzdata_is_a_runtime_dependency() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(dependency.startswith("tzdata") for dependency in dependencies)


def test_zones_resolve_with_no_system_tz_database() -> None:
    probe = (
        "import zoneinfo; zoneinfo.reset_tzpath(to=[]);"
        "from datetime import datetime;"
        "print(datetime(2026, 7, 1, tzinfo=zoneinfo.ZoneInfo('America/New_York')).utcoffset())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "-1 day, 20:00:00"
