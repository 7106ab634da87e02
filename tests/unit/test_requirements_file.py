"""functions/requirements.txt is what `sam build` installs: it must say what pyproject says."""

from pathlib import Path

from heard_local.requirements import requirements_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_lambda_requirements_are_generated_from_pyproject() -> None:
    committed = (ROOT / "functions" / "requirements.txt").read_text()
    assert committed == requirements_text(), "run `make requirements` and commit the result"
