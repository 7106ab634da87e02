"""functions/requirements.txt is what `sam build` installs: it must say what uv.lock says."""

import tomllib
from pathlib import Path

from heard_local.requirements import requirements_text

ROOT = Path(__file__).resolve().parents[2]
# The runtime's boto3, and the Powertools layer with its extras (the X-Ray SDK, pydantic).
PROVIDED_ON_LAMBDA = {
    "boto3",
    "botocore",
    "s3transfer",
    "aws-lambda-powertools",
    "aws-xray-sdk",
    "pydantic",
    "pydantic-core",
}


def _pinned(text: str) -> dict[str, str]:
    return {
        line.split("==")[0]: line.split("==")[1].split()[0].rstrip("\\").strip()
        for line in text.splitlines()
        if "==" in line and not line.startswith(("#", " "))
    }


def test_the_lambda_requirements_are_exported_from_the_lock() -> None:
    committed = (ROOT / "functions" / "requirements.txt").read_text()
    assert committed == requirements_text(), "run `make requirements` and commit the result"


def test_every_requirement_is_pinned_to_the_locked_version_with_hashes() -> None:
    committed = (ROOT / "functions" / "requirements.txt").read_text()
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    pinned = _pinned(committed)
    assert pinned, "no pinned requirement found"
    for name, version in pinned.items():
        assert locked[name] == version, name
    assert committed.count("--hash=sha256:") >= len(pinned)


def test_what_lambda_provides_is_not_packed() -> None:
    """boto3 comes with the runtime, Powertools and pydantic with its layer: packing them again
    would double the package and shadow the layer's compiled copies."""
    pinned = _pinned((ROOT / "functions" / "requirements.txt").read_text())
    assert not PROVIDED_ON_LAMBDA & pinned.keys()
    assert {"jinja2", "segno", "email-validator"} <= pinned.keys()
