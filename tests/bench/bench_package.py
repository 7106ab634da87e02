"""Figure 6: what `sam build` packs for each function, zipped.

Every function's Metadata sends `sam build` to the Makefile's build-%Function target, so this
figure runs that very target (`make build-FormFunction ARTIFACTS_DIR=...`): the pinned
functions/requirements.txt installed for Lambda's platform (arm64, CPython 3.13, wheels only),
the heard package, and .pyc files for all of it. boto3 (the runtime's) and Powertools with
pydantic (the layer's) are not in it by construction. All functions share one CodeUri and one
target, so one build stands for each of them.

Then two checks that make the number honest: every handler imports from the built package
(with the project's boto3, Powertools and pydantic standing in for the runtime and the layer),
and nothing in the package is compiled from source on the way (Lambda's /var/task is
read-only, so a missing or stale .pyc would be compiled again on every cold start).

Run by bench_run.py as `python tests/bench/bench_package.py RESULT.json`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from bench_support import FUNCTION_ENV, ROOT, Result, mb, result_path

TARGET = 5_000_000
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
BUILD_TIMEOUT_S = 300
HANDLERS = [
    "heard.handlers.form",
    "heard.handlers.admin",
    "heard.handlers.aggregate",
    "heard.handlers.digest_planner",
    "heard.handlers.digest_sender",
    "heard.handlers.ses_feedback",
    "heard.handlers.results",
]

# Imports every handler from the package and lists what had to be compiled from it.
PROBE = """\
import json, sys
from importlib.machinery import SourceFileLoader
package = sys.argv[1]
compiled = []
original = SourceFileLoader.source_to_code
def tracked(loader, data, path, *, _optimize=-1):
    if path.startswith(package):
        compiled.append(path)
    return original(loader, data, path, _optimize=_optimize)
SourceFileLoader.source_to_code = tracked
for name in sys.argv[2:]:
    __import__(name)
loaded = sorted({m.__file__ for m in list(sys.modules.values())
                 if getattr(m, "__file__", None) and m.__file__.startswith(package)})
heard = sys.modules["heard"].__file__ or ""
# Every template of every environment, loaded as a first page or e-mail loads it.
from jinja2 import Environment
templates, compiled_templates = [], []
original_compile = Environment.compile
def compiling(environment, source, name=None, *args, **kwargs):
    compiled_templates.append(name)
    return original_compile(environment, source, name, *args, **kwargs)
Environment.compile = compiling
from heard.digest import render as digest_render
from heard.web import console, render, results_render
for module in (render, console, results_render, digest_render):
    environment = module._environment()
    for name in environment.list_templates():
        environment.get_template(name)
        templates.append(name)
# Comments read as the stream function, the sender and the results pages read them (the
# labelled corpus): every expression they compile is counted. Topics are left out: the stemmer
# in the package is built for arm64 (its expressions are compiled at import, and counted).
import os
from heard.analysis import concerns, language, masking, patterns, routing, sentiment
with open(os.environ["HEARD_PROBE_COMMENTS"], encoding="utf-8") as corpus:
    for line in corpus:
        text = json.loads(line)["text"]
        masked = masking.mask_comment(text, mask_officer_names=True)
        masking.localize_masks(masked, "es")
        routing.classify(text, "en"), concerns.follow_up_terms(text), sentiment.score(text, "es")
        language.written_in(text, "en")
print(json.dumps({"compiled": compiled, "loaded": len(loaded),
                  "heard_from_package": heard.startswith(package),
                  "templates": len(set(templates)), "templates_compiled": compiled_templates,
                  "patterns": len(patterns._stored()),
                  "patterns_compiled": len(patterns.compiled_at_run_time)}))
"""


def build(artifacts: Path) -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "build-FormFunction", f"ARTIFACTS_DIR={artifacts}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"make build-FormFunction failed:\n{done.stderr[-3000:]}")


def zipped(artifacts: Path, zip_path: Path) -> tuple[int, int, Counter[str]]:
    """(unzipped bytes, zipped bytes, zipped bytes per top-level entry), zipped as sam does."""
    shares: Counter[str] = Counter()
    unzipped = 0
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(artifacts.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(artifacts).as_posix())
                unzipped += path.stat().st_size
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            top = info.filename.split("/")[0].split("-")[0]
            shares[top] += info.compress_size + 76 + 2 * len(info.filename.encode())
    return unzipped, zip_path.stat().st_size, shares


def probe(artifacts: Path) -> dict[str, object]:
    env = {
        **os.environ,
        **FUNCTION_ENV,
        # The package first, as /var/task comes before the layer and the runtime on Lambda;
        # the project's site-packages stand in for those two.
        "PYTHONPATH": str(artifacts),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HEARD_PROBE_COMMENTS": str(ROOT / "tests" / "corpus" / "routing.jsonl"),
    }
    env.pop("LAMBDA_TASK_ROOT", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(artifacts), *HANDLERS],
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the built package does not import:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["heard_from_package"]:
        raise RuntimeError("heard was imported from the work tree, not from the package")
    return result


def main() -> None:
    out = Result()
    with tempfile.TemporaryDirectory(prefix="heard-package-") as tmp:
        artifacts = Path(tmp) / "FormFunction"
        build(artifacts)
        unzipped, size, shares = zipped(artifacts, Path(tmp) / "package.zip")
        checked = probe(artifacts)
    compiled = checked["compiled"]
    assert isinstance(compiled, list)
    out.row(
        "6. Package per function (sam build, .pyc included)",
        f"{mb(size)} zipped, {mb(unzipped)} unzipped",
        f"< {mb(TARGET)} zipped",
        f"Lambda's limits {LAMBDA_ZIP_LIMIT // 2**20} MB zipped, "
        f"{LAMBDA_UNZIPPED_LIMIT // 2**20} MB unzipped",
        size < TARGET,
    )
    out.row(
        "6. Modules compiled from source at import",
        f"{len(compiled)} of {checked['loaded']} loaded from the package",
        "0",
        f"all {len(HANDLERS)} handlers imported",
        not compiled,
    )
    templates_compiled = checked["templates_compiled"]
    assert isinstance(templates_compiled, list)
    out.row(
        "6. Templates compiled at run time",
        f"{len(templates_compiled)} of {checked['templates']} loaded from the package",
        "0",
        "every template of the pages', console's and e-mails' environments",
        not templates_compiled,
    )
    patterns_compiled = checked["patterns_compiled"]
    out.row(
        "6. Regular expressions compiled at run time",
        f"{patterns_compiled} of {checked['patterns']} loaded from the package",
        "0",
        "761 labelled comments read by the router, masking, concerns and sentiment",
        patterns_compiled == 0 and checked["patterns"] != 0,
    )
    top = ", ".join(f"{name} {mb(share)}" for name, share in shares.most_common(8))
    out.notes.append(
        "6: built by the Makefile's build-%Function target, the one sam build runs for every "
        "function (one CodeUri, so one package each, all alike): functions/requirements.txt "
        "(exported from uv.lock; no boto3, Powertools or pydantic, which the runtime and the "
        "Powertools layer provide) for manylinux2014_aarch64 / CPython 3.13, plus heard/, "
        "compiled to unchecked-hash .pyc (all but dnspython, requests and charset_normalizer, "
        "packed as dependencies but never imported), every Jinja2 template compiled "
        "(heard.templating) and every analyser's regular expression (heard.analysis.patterns). "
        "Largest zipped: " + top + "."
    )
    out.units |= {"package_zipped": size, "package_unzipped": unzipped}
    out.write(result_path())


if __name__ == "__main__":
    main()
