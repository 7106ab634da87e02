"""Figure 6: what `sam build` would package. Every function shares one CodeUri (functions/), so
it is one package: functions/requirements.txt installed for Lambda's platform (arm64,
Python 3.13, wheels only) next to the functions/ code, measured unzipped and zipped.

Then the same package without what Lambda would provide: boto3 and its dependencies (the
Python runtime ships them), and Powertools with its Tracer extra (its public layer). Which
installed files belong to which distribution comes from each wheel's RECORD; which
distributions a requirement pulls in comes from their metadata, with markers evaluated for
Lambda's platform.

Run by bench_run.py as `python tests/bench/bench_package.py RESULT.json`.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from importlib.metadata import Distribution, distributions
from pathlib import Path

from bench_support import FUNCTIONS, Result, mb, result_path

TARGET = 5_000_000
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
PIP_TIMEOUT_S = 300
PLATFORM = [
    "--platform",
    "manylinux2014_aarch64",
    "--only-binary=:all:",
    "--python-version",
    "3.13",
    "--implementation",
    "cp",
]
MARKERS = {
    "python_version": "3.13",
    "python_full_version": "3.13.0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "aarch64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
RUNTIME_PROVIDES = "boto3"
LAYER_PROVIDES = "aws-lambda-powertools[tracer]"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install(target: Path) -> str:
    """pip install the requirements for Lambda's platform into target; pip's closing words."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            "--target",
            str(target),
            *PLATFORM,
            "-r",
            str(FUNCTIONS / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install failed:\n{done.stderr[-3000:]}")
    return done.stderr


def files_of(dist: Distribution, target: Path) -> set[Path]:
    record = dist.read_text("RECORD") or ""
    found = set()
    for row in csv.reader(record.splitlines()):
        if row and not row[0].startswith(".."):
            path = (target / row[0]).resolve()
            if path.is_file():
                found.add(path)
    return found


def closure(roots: Iterable[str], installed: dict[str, Distribution]) -> set[str]:
    """Distributions a set of requirements pulls in, for Lambda's platform."""
    from packaging.requirements import Requirement

    wanted: set[str] = set()
    todo = [(Requirement(root), "") for root in roots]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**MARKERS, "extra": extra}):
            continue
        name = canonical(requirement.name)
        dist = installed.get(name)
        if dist is None:
            continue
        extras = sorted(requirement.extras)
        key = f"{name}[{','.join(extras)}]"
        if key in wanted:
            continue
        wanted.add(key)
        for line in dist.requires or []:
            child = Requirement(line)
            for each in extras or [""]:
                todo.append((child, each))
    return {key.split("[")[0] for key in wanted}


def zipped_sizes(files: dict[Path, str], zip_path: Path) -> dict[str, int]:
    """Each archive name's share of a deflated zip (its compressed bytes plus its headers)."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in files.items():
            archive.write(path, name)
    shares = {}
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            # local header (30 B) and central directory entry (46 B), each with the name
            shares[info.filename] = info.compress_size + 76 + 2 * len(info.filename.encode())
    return shares


def main() -> None:
    out = Result()
    with tempfile.TemporaryDirectory(prefix="heard-bench-") as tmp:
        target = Path(tmp) / "deps"
        install(target)
        installed = {canonical(d.metadata["Name"]): d for d in distributions(path=[str(target)])}
        owner: dict[Path, str] = {}
        for name, dist in installed.items():
            for path in files_of(dist, target):
                owner[path] = name
        files: dict[Path, str] = {}
        for path in sorted(target.rglob("*")):
            if path.is_file():
                files[path] = path.relative_to(target).as_posix()
        code = [
            p
            for p in sorted(FUNCTIONS.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
        for path in code:
            files[path] = path.relative_to(FUNCTIONS).as_posix()
            owner[path.resolve()] = "heard (functions/)"
        shares = zipped_sizes(files, Path(tmp) / "package.zip")

        def measure(left_out: set[str]) -> tuple[int, int]:
            unzipped = zipped = 0
            for path, name in files.items():
                if owner.get(path.resolve(), "") in left_out:
                    continue
                unzipped += path.stat().st_size
                zipped += shares[name]
            return unzipped, zipped + 22  # end of central directory

        roots = [
            line.strip()
            for line in (FUNCTIONS / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        ours = closure([r for r in roots if not r.startswith(("boto3", "aws-lambda"))], installed)
        runtime = closure([RUNTIME_PROVIDES], installed) - ours
        layer = closure([LAYER_PROVIDES], installed) - ours - runtime
        full = measure(set())
        lean = measure(runtime)
        leanest = measure(runtime | layer)
        heard_only = measure(set(installed))
        by_dist: dict[str, int] = {}
        for path in files:
            name = owner.get(path.resolve(), "(pip's own files)")
            by_dist[name] = by_dist.get(name, 0) + path.stat().st_size
    out.row(
        "6. Package as sam build makes it (one for all 5 functions)",
        f"{mb(full[1])} zipped, {mb(full[0])} unzipped",
        f"< {mb(TARGET)} zipped",
        f"Lambda's limits {LAMBDA_ZIP_LIMIT // 2**20} MB zipped, "
        f"{LAMBDA_UNZIPPED_LIMIT // 2**20} MB unzipped",
        full[1] < TARGET,
    )
    out.row(
        "6. ... without boto3 (runtime) and Powertools (layer)",
        f"{mb(leanest[1])} zipped, {mb(leanest[0])} unzipped",
        f"< {mb(TARGET)} zipped",
        f"without boto3 only: {mb(lean[1])} zipped",
        leanest[1] < TARGET,
    )
    top = sorted(by_dist.items(), key=lambda kv: -kv[1])[:8]
    out.notes.append(
        "6: Powertools is NOT taken from its public layer today: it is in "
        "functions/requirements.txt, so sam build packs it (and, for its Tracer extra, "
        "aws-xray-sdk, which needs botocore). Left out for the second row: "
        f"{', '.join(sorted(runtime))} (the runtime's) and {', '.join(sorted(layer))} (the "
        f"layer's). Heard's own code is {mb(heard_only[1])} zipped. Largest unzipped: "
        + ", ".join(f"{name} {mb(size)}" for name, size in top)
        + ". Installed with pip --no-compile (no .pyc for the local interpreter); sizes are "
        "zip deflate as sam build writes it."
    )
    out.units |= {
        "package_zipped": full[1],
        "package_unzipped": full[0],
        "package_lean_zipped": leanest[1],
    }
    out.write(result_path())


if __name__ == "__main__":
    main()
