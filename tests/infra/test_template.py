"""template.yaml: linters clean, and the design decisions it encodes pinned down.

cfn-lint (with AWS's serverless rules) runs as a subprocess of this interpreter, so it is the
version uv.lock installs; checkov runs from its own environment (.venv-checkov, locked by
infra/checkov/uv.lock), because it pins an old boto3 that would hold the project back. Checkov
runs offline: its update check and platform download are switched off, and every proxy points
at a local trap that answers nothing, so a call that slips through fails at once (and fails a
test) instead of hanging.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"

# The same code as the tools' console scripts, run by this interpreter.
CFN_LINT = [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())"]
CHECKOV_PYTHON = ROOT / ".venv-checkov" / "bin" / "python"
CHECKOV = [
    str(CHECKOV_PYTHON),
    "-c",
    "import sys; from checkov.main import Checkov; sys.exit(Checkov().run())",
]
SERVERLESS_RULES = "cfn_lint_serverless.rules"

# The form function also takes the API's $default route: whatever no other route matches gets
# its small bilingual page (or API Gateway's own JSON 404 for API clients).
DEFAULT_ROUTE = ("ANY", "$default")
FORM_ROUTES = {
    ("GET", "/"),
    DEFAULT_ROUTE,
    ("GET", "/f/{token}"),
    ("POST", "/f/{token}"),
    ("GET", "/f/{token}/poster"),
    ("GET", "/f/{token}/qr.svg"),
    ("GET", "/f/{token}/qr.png"),
    # A resident taking their own answer back: the page that asks, and the erasure.
    ("GET", "/f/{token}/erase"),
    ("POST", "/f/{token}/erase"),
    ("GET", "/u/{token}"),
    ("POST", "/u/{token}"),
    # Links in staff e-mails: leave the urgent list; confirm a subscription.
    ("GET", "/u/{token}/urgent"),
    ("POST", "/u/{token}/urgent"),
    ("GET", "/confirm/{token}"),
    ("POST", "/confirm/{token}"),
}
# Public, read-only: published results (issue 12).
RESULTS_ROUTES = {
    ("GET", "/r/{token}"),
    ("GET", "/r/{token}/poster"),
    ("GET", "/r/d/{token}"),
    # Link checkers and chat previews ask HEAD first; the form's own pages take it on $default.
    ("HEAD", "/r/{token}"),
    ("HEAD", "/r/{token}/poster"),
    ("HEAD", "/r/d/{token}"),
}
ADMIN_ROUTES = {
    ("POST", "/events"),
    ("GET", "/events"),
    ("GET", "/events/{event_id}"),
    ("PATCH", "/events/{event_id}"),
    ("DELETE", "/events/{event_id}"),
    ("POST", "/events/{event_id}/close"),
    ("POST", "/events/{event_id}/reopen"),
    ("GET", "/events/{event_id}/responses"),
    ("DELETE", "/events/{event_id}/responses/{response_id}"),
    ("GET", "/events/{event_id}/export"),
    ("GET", "/responses/export"),
    ("POST", "/subscriptions"),
    ("GET", "/subscriptions"),
    ("GET", "/subscriptions/{subscription_id}"),
    ("PATCH", "/subscriptions/{subscription_id}"),
    ("DELETE", "/subscriptions/{subscription_id}"),
    ("GET", "/events/{event_id}/results"),
    ("PUT", "/events/{event_id}/results"),
    ("POST", "/events/{event_id}/results/publish"),
    ("POST", "/events/{event_id}/results/unpublish"),
}
# The staff console authenticates with its own session cookie (see heard.handlers.console):
# public to API Gateway, checked by the function on every route.
CONSOLE_ROUTES = {
    ("GET", "/console"),
    ("GET", "/console/{proxy+}"),
    ("GET", "/console/signin"),
    ("GET", "/console/auth/callback"),
    ("GET", "/console/signout"),
    ("POST", "/console/signout"),
    ("GET", "/console/events/new"),
    ("POST", "/console/events/new"),
    ("GET", "/console/events/{event_id}"),
    ("GET", "/console/events/{event_id}/live"),
    ("GET", "/console/events/{event_id}/edit"),
    ("POST", "/console/events/{event_id}/edit"),
    ("POST", "/console/events/{event_id}/close"),
    ("POST", "/console/events/{event_id}/reopen"),
    ("GET", "/console/events/{event_id}/results"),
    ("POST", "/console/events/{event_id}/results"),
    ("GET", "/console/events/{event_id}/results/preview"),
    ("GET", "/console/events/{event_id}/results/publish"),
    ("POST", "/console/events/{event_id}/results/publish"),
    ("POST", "/console/events/{event_id}/results/unpublish"),
    ("GET", "/console/events/{event_id}/responses"),
    ("GET", "/console/events/{event_id}/export"),
    ("GET", "/console/events/{event_id}/responses/{response_id}/erase"),
    ("POST", "/console/events/{event_id}/responses/{response_id}/erase"),
    ("GET", "/console/digest"),
    ("POST", "/console/digest/test"),
    ("GET", "/console/subscriptions"),
    ("POST", "/console/subscriptions"),
    ("POST", "/console/subscriptions/{subscription_id}/remove"),
    ("GET", "/console/audit"),
}
FUNCTION_TYPES = {"AWS::Serverless::Function", "AWS::Lambda::Function"}


# --------------------------------------------------------------------------------------------
# Reading the template
# --------------------------------------------------------------------------------------------
class CfnLoader(yaml.SafeLoader):
    """A SafeLoader that reads CloudFormation short tags (!Ref, !Sub, !GetAtt, ...)."""


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if suffix == "Condition":
        name = "Condition"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - YAML has no other node kind
        raise yaml.constructor.ConstructorError(None, None, f"unexpected {node!r}")
    return {name: value}


CfnLoader.add_multi_constructor("!", _construct_intrinsic)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        data = yaml.load(f, Loader=CfnLoader)  # noqa: S506 - a SafeLoader subclass
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def resources_of_type(template: dict[str, Any], *types: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] in types}


def http_api_events(function: dict[str, Any]) -> list[dict[str, Any]]:
    """Each HttpApi event's properties; one without Path and Method is the $default route."""
    events = function["Properties"].get("Events", {})
    return [
        {"Method": "ANY", "Path": "$default", **e["Properties"]}
        for e in events.values()
        if e["Type"] == "HttpApi"
    ]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------------
# cfn-lint with the serverless rules
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cfn_lint_matches(
    template: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """Lint template.yaml and, in the same run, a copy that breaks two serverless rules.

    The broken copy proves the serverless rules are really loaded: a clean result on
    template.yaml alone would also be what a silently missing rule set looks like.
    """
    broken = json.loads(json.dumps(template))
    del broken["Resources"]["HttpApi"]["Properties"]["DefaultRouteSettings"]  # ES2003
    del broken["Resources"]["FormFunctionLogGroup"]["Properties"]["RetentionInDays"]  # WS1004
    broken_path = tmp_path_factory.mktemp("cfn") / "broken.json"
    broken_path.write_text(json.dumps(broken), encoding="utf-8")

    proc = subprocess.run(
        [*CFN_LINT, "--format", "json", str(TEMPLATE), str(broken_path), "-a", SERVERLESS_RULES],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert proc.stdout.strip(), f"cfn-lint printed nothing (exit {proc.returncode}):\n{proc.stderr}"
    matches: dict[str, list[dict[str, Any]]] = {"template": [], "broken": []}
    for match in json.loads(proc.stdout):
        key = "broken" if Path(match["Filename"]).name == broken_path.name else "template"
        matches[key].append(match)
    return matches


def test_cfn_lint_with_serverless_rules_is_clean(
    cfn_lint_matches: dict[str, list[dict[str, Any]]],
) -> None:
    problems = [
        f"{m['Rule']['Id']} line {m['Location']['Start']['LineNumber']}: {m['Message']}"
        for m in cfn_lint_matches["template"]
    ]
    assert not problems, "cfn-lint found:\n" + "\n".join(problems)


def test_cfn_lint_serverless_rules_are_active(
    cfn_lint_matches: dict[str, list[dict[str, Any]]],
) -> None:
    rule_ids = {m["Rule"]["Id"] for m in cfn_lint_matches["broken"]}
    assert {"ES2003", "WS1004"} <= rule_ids, f"serverless rules did not fire: {rule_ids}"


# --------------------------------------------------------------------------------------------
# checkov, offline
# --------------------------------------------------------------------------------------------
class NetworkTrap:
    """A local HTTP proxy that answers nothing and records who tried to use it."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.attempts: list[str] = []
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:  # includes the accept timeout
                continue
            with conn:
                conn.settimeout(1)
                try:
                    first_line = conn.recv(512).split(b"\r\n", 1)[0]
                except OSError:
                    first_line = b"?"
                # e.g. "CONNECT pypi.org:443 HTTP/1.0"; closing unanswered fails the caller
                self.attempts.append(first_line.decode(errors="replace"))

    def __enter__(self) -> NetworkTrap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()


@pytest.fixture(scope="module")
def checkov_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run checkov once; return its report and any network attempts it made."""
    if not CHECKOV_PYTHON.is_file():
        pytest.fail("checkov's environment is missing: run `make .venv/.test-installed`")
    env = {
        k: v
        for k, v in os.environ.items()
        # No platform credentials or settings from the caller's shell: scan locally only.
        if not k.startswith(("BC_", "PRISMA_", "CKV_", "CHECKOV_")) and k.lower() != "no_proxy"
    }
    scratch = tmp_path_factory.mktemp("checkov")
    env.update(
        {
            # checkov >= 3.2 asks PyPI for a newer version on every run unless told not to.
            "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
            "BC_SKIP_MAPPING": "TRUE",
            # Its update checker caches under the temp dir (3.2) or XDG cache (3.1).
            "TMPDIR": str(scratch),
            "XDG_CACHE_HOME": str(scratch),
        }
    )
    with NetworkTrap() as trap:
        # requests and urllib send every call out through these, so a call that slips past
        # the switches above is caught here and fails at once instead of hanging offline.
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[var] = env[var.lower()] = trap.url
        try:
            proc = subprocess.run(
                [
                    *CHECKOV,
                    "--file",
                    str(TEMPLATE),
                    "--framework",
                    "cloudformation",
                    "--skip-download",
                    "--output",
                    "json",
                ],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:  # pragma: no cover - only when something goes wrong
            pytest.fail(f"checkov did not finish in 300 s; network attempts: {trap.attempts}")
    assert proc.stdout.strip(), f"checkov printed nothing (exit {proc.returncode}):\n{proc.stderr}"
    report = json.loads(proc.stdout)
    # One framework gives one report; several would give a list.
    if isinstance(report, list):
        (report,) = [r for r in report if r.get("check_type") == "cloudformation"]
    assert isinstance(report, dict)
    return {"report": report, "network_attempts": trap.attempts}


@pytest.fixture(scope="module")
def checkov_report(checkov_run: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = checkov_run["report"]
    return report


def test_checkov_stays_offline(checkov_run: dict[str, Any]) -> None:
    assert checkov_run["network_attempts"] == []


def test_checkov_reports_no_failed_check(checkov_report: dict[str, Any]) -> None:
    summary = checkov_report["summary"]
    failed = [
        f"{c['check_id']} {c['resource']}: {c['check_name']}"
        for c in checkov_report["results"]["failed_checks"]
    ]
    assert summary["failed"] == 0, "checkov failed:\n" + "\n".join(failed)
    assert summary["parsing_errors"] == 0, summary
    # Checkov really read the SAM resources (an unparsed template also "fails" nothing).
    results = checkov_report["results"]
    checked = {
        c["resource"].split(".", 1)[1] for c in results["passed_checks"] + results["skipped_checks"]
    }
    assert {"Table", "HttpApi", "FormFunction", "AdminFunction"} <= checked, checked


def declared_checkov_skips(template: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(resource, check id, comment) for every inline checkov skip."""
    skips = []
    for name, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            skips.append((name, skip["id"], skip.get("comment", "")))
    return skips


def test_every_checkov_skip_is_justified(template: dict[str, Any]) -> None:
    unjustified = [
        f"{name}: {check_id}"
        for name, check_id, comment in declared_checkov_skips(template)
        if len(comment.split()) < 8
    ]
    assert not unjustified, "skips need a real justification in `comment`: " + ", ".join(
        unjustified
    )


def test_every_checkov_skip_matches_a_check_that_ran(
    template: dict[str, Any], checkov_report: dict[str, Any]
) -> None:
    """A skip that checkov never applied is a typo or dead weight."""
    applied = {
        (c["resource"].split(".", 1)[1], c["check_id"])
        for c in checkov_report["results"]["skipped_checks"]
    }
    stale = [
        f"{name}: {check_id}"
        for name, check_id, _ in declared_checkov_skips(template)
        if (name, check_id) not in applied
    ]
    assert not stale, "checkov never applied these skips: " + ", ".join(stale)


# --------------------------------------------------------------------------------------------
# Design decisions
# --------------------------------------------------------------------------------------------
def test_table_is_durable_and_feeds_the_stream(template: dict[str, Any]) -> None:
    table = template["Resources"]["Table"]
    assert table["Type"] == "AWS::DynamoDB::Table"  # not SimpleTable: checkov can't see that
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    # Backups, for as long as the form and the erase page say (35 days when not set).
    assert props.get("PointInTimeRecoverySpecification") == {
        "PointInTimeRecoveryEnabled": True,
        "RecoveryPeriodInDays": {"Ref": "BackupDays"},
    }
    backups = template["Parameters"]["BackupDays"]
    assert (backups["MinValue"], backups["MaxValue"]) == (1, 35)  # DynamoDB's range
    assert props.get("SSESpecification", {}).get("SSEEnabled") is True
    assert props.get("TimeToLiveSpecification") == {"AttributeName": "ttl", "Enabled": True}
    assert props.get("StreamSpecification", {}).get("StreamViewType") == "NEW_AND_OLD_IMAGES"
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    (gsi1,) = [g for g in props["GlobalSecondaryIndexes"] if g["IndexName"] == "gsi1"]
    assert [k["AttributeName"] for k in gsi1["KeySchema"]] == ["gsi1pk", "gsi1sk"]


def test_form_routes_are_public_and_nothing_else_is(template: dict[str, Any]) -> None:
    api = template["Resources"]["HttpApi"]["Properties"]
    # "Not NONE" only means "protected" because every other route gets the JWT authorizer.
    assert api["Auth"].get("DefaultAuthorizer") in api["Auth"]["Authorizers"], (
        "no default authorizer"
    )

    public: set[tuple[str, str]] = set()
    protected: set[tuple[str, str]] = set()
    for function in resources_of_type(template, "AWS::Serverless::Function").values():
        for event in http_api_events(function):
            route = (event["Method"].upper(), event["Path"])
            authorizer = event.get("Auth", {}).get("Authorizer")
            (public if authorizer == "NONE" else protected).add(route)

    assert public == FORM_ROUTES | RESULTS_ROUTES | CONSOLE_ROUTES
    assert protected >= ADMIN_ROUTES
    routes = {
        (e["Method"].upper(), e["Path"])
        for e in http_api_events(template["Resources"]["FormFunction"])
    }
    assert routes == FORM_ROUTES
    admin_routes = {
        (e["Method"].upper(), e["Path"])
        for e in http_api_events(template["Resources"]["AdminFunction"])
    }
    assert admin_routes == ADMIN_ROUTES
    console_routes = {
        (e["Method"].upper(), e["Path"])
        for e in http_api_events(template["Resources"]["ConsoleFunction"])
    }
    assert console_routes == CONSOLE_ROUTES
    results_routes = {
        (e["Method"].upper(), e["Path"])
        for e in http_api_events(template["Resources"]["ResultsFunction"])
    }
    assert results_routes == RESULTS_ROUTES


def test_the_results_pages_can_change_nothing(template: dict[str, Any]) -> None:
    statements = template["Resources"]["ResultsFunction"]["Properties"]["Policies"][0]["Statement"]
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert actions == {"dynamodb:GetItem", "dynamodb:Query", "secretsmanager:GetSecretValue"}


def test_handlers(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    assert (
        resources["FormFunction"]["Properties"]["Handler"] == "heard.handlers.form.lambda_handler"
    )
    assert (
        resources["AdminFunction"]["Properties"]["Handler"] == "heard.handlers.admin.lambda_handler"
    )
    assert (
        resources["ConsoleFunction"]["Properties"]["Handler"]
        == "heard.handlers.console.lambda_handler"
    )


def test_iam_is_explicit_and_scoped(template: dict[str, Any]) -> None:
    """Hand-written statements only; no wildcard resource or action for data or secrets."""
    problems = []
    for name, function in resources_of_type(template, *FUNCTION_TYPES).items():
        for policy in as_list(function["Properties"].get("Policies", [])):
            if not (isinstance(policy, dict) and "Statement" in policy):
                problems.append(f"{name}: {policy!r} is not an explicit policy document")
                continue
            for statement in as_list(policy["Statement"]):
                actions = [a.lower() for a in as_list(statement.get("Action", []))]
                data = [a for a in actions if a.startswith(("dynamodb:", "secretsmanager:"))]
                if not data:
                    continue
                if "NotResource" in statement or "NotAction" in statement:
                    problems.append(f"{name}: NotResource/NotAction in {statement}")
                if any(a.endswith("*") for a in data):
                    problems.append(f"{name}: wildcard action in {data}")
                if any(r == "*" for r in as_list(statement.get("Resource", []))):
                    problems.append(f"{name}: Resource '*' for {data}")
    assert not problems, "\n".join(problems)


def test_form_function_cannot_list_or_delete_in_bulk(template: dict[str, Any]) -> None:
    """Point reads and writes, and one item deleted at a time (a resident's own answer); its
    one Query is held to the published-results partitions (the form's "last time" link), so
    it can never list responses, nor Scan, nor delete in batches."""
    actions = set()
    for policy in template["Resources"]["FormFunction"]["Properties"]["Policies"]:
        for statement in as_list(policy["Statement"]):
            actions.update(as_list(statement["Action"]))
            if "dynamodb:Query" in as_list(statement["Action"]):
                assert as_list(statement["Action"]) == ["dynamodb:Query"]
                assert statement["Condition"] == {
                    "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["RESULTSOF#*"]}
                }
    assert actions == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "secretsmanager:GetSecretValue",
    }


def test_admin_function_deletes_for_real_but_never_scans(template: dict[str, Any]) -> None:
    """Erasure needs DeleteItem/BatchWriteItem (REMOVE records keep the aggregates right);
    indexes are only queried; nothing scans the table."""
    grants: dict[str, set[str]] = {}
    for policy in template["Resources"]["AdminFunction"]["Properties"]["Policies"]:
        for statement in as_list(policy["Statement"]):
            for resource in as_list(statement["Resource"]):
                key = json.dumps(resource, sort_keys=True)
                grants.setdefault(key, set()).update(as_list(statement["Action"]))
    table = json.dumps({"Fn::GetAtt": ["Table", "Arn"]}, sort_keys=True)
    indexes = json.dumps({"Fn::Sub": "${Table.Arn}/index/*"}, sort_keys=True)
    assert grants[table] == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Query",
    }
    assert grants[indexes] == {"dynamodb:Query"}
    everything = set().union(*grants.values())
    assert not {"dynamodb:Scan", "dynamodb:DeleteTable"} & everything


def test_every_function_has_a_log_group_with_retention(template: dict[str, Any]) -> None:
    log_groups = resources_of_type(template, "AWS::Logs::LogGroup")
    named = {
        json.dumps(g["Properties"].get("LogGroupName"), sort_keys=True): g
        for g in log_groups.values()
    }
    for name in resources_of_type(template, *FUNCTION_TYPES):
        expected = json.dumps({"Fn::Sub": f"/aws/lambda/${{{name}}}"}, sort_keys=True)
        assert expected in named, f"{name} has no log group /aws/lambda/${{{name}}}"
        assert named[expected]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    for name, group in log_groups.items():
        assert "RetentionInDays" in group["Properties"], f"{name} keeps logs forever"


def test_access_log_is_json_and_anonymous(template: dict[str, Any]) -> None:
    settings = template["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"]
    fmt = settings["Format"]
    fields = json.loads(fmt)  # every $context variable sits inside quotes
    assert {"requestId", "routeKey", "status"} <= fields.keys()
    for forbidden in ("sourceIp", "userAgent", "$context.path", "identity"):
        assert forbidden not in fmt, f"access log must not record {forbidden}"
    log_group = settings["DestinationArn"]["Fn::GetAtt"][0]
    assert "RetentionInDays" in template["Resources"][log_group]["Properties"]


def test_stage_throttling(template: dict[str, Any]) -> None:
    api = template["Resources"]["HttpApi"]["Properties"]
    assert api["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50}
    assert api["FailOnWarnings"] is True


def test_function_environment_contract(template: dict[str, Any]) -> None:
    """The variables the handlers read: renaming one here breaks them."""
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    assert env["TABLE_NAME"] == {"Ref": "Table"}
    assert env["TOKEN_KEYS_SECRET"] == {"Ref": "TokenKeysSecret"}
    for var, param in {
        "DEPARTMENT_NAME": "DepartmentName",
        "COMPLAINT_URL": "ComplaintUrl",
        "PUBLIC_BASE_URL": "PublicBaseUrl",
        "RESPONSE_RETENTION_DAYS": "ResponseRetentionDays",
        "BACKUP_DAYS": "BackupDays",
        "RATE_LIMIT_MAX": "RateLimitMax",
        "RATE_LIMIT_WINDOW_SECONDS": "RateLimitWindowSeconds",
    }.items():
        assert env[var] == {"Ref": param}
        assert param in template["Parameters"]
    assert env["POWERTOOLS_SERVICE_NAME"] == "heard"
    assert "TZ" not in env  # reserved by the Lambda runtime


def test_token_keys_secret_shape(template: dict[str, Any]) -> None:
    secret = template["Resources"]["TokenKeysSecret"]
    assert secret["DeletionPolicy"] == "Retain"  # deleting it voids every printed QR code
    generated = secret["Properties"]["GenerateSecretString"]
    assert json.loads(generated["SecretStringTemplate"]) == {"current": "a"}
    assert generated["GenerateStringKey"] == "a"
    assert generated["PasswordLength"] >= 32


def test_staff_cannot_grant_themselves_districts(template: dict[str, Any]) -> None:
    pool = template["Resources"]["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert any(a["Name"] == "districts" for a in pool["Schema"])
    client = template["Resources"]["UserPoolClient"]["Properties"]
    # Without an explicit list, a client may write every mutable attribute.
    assert "WriteAttributes" in client
    assert "custom:districts" not in client["WriteAttributes"]
    assert client["GenerateSecret"] is False
    groups = {
        g["Properties"]["GroupName"]
        for g in resources_of_type(template, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {"admin", "organizer", "viewer"}


def test_log_retention_choices_are_valid_for_cloudwatch(template: dict[str, Any]) -> None:
    valid = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192}
    valid |= {2557, 2922, 3288, 3653}
    param = template["Parameters"]["LogRetentionDays"]
    assert set(param["AllowedValues"]) <= valid
    assert param["Default"] in param["AllowedValues"]


def test_sam_transform_gives_the_intended_routes(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the real SAM transform (cfn-lint >= 1.x no longer does) and read what AWS gets."""
    from samtranslator.translator import transform as sam

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    class ManagedPolicies:
        def load(self) -> dict[str, str]:
            return {
                "AWSLambdaBasicExecutionRole": (
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                ),
                "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            }

    packaged = json.loads(json.dumps(template))
    packaged["Globals"]["Function"]["CodeUri"] = "s3://bucket/heard.zip"  # as `sam package` does
    resources = sam.transform(packaged, {}, ManagedPolicies())["Resources"]

    (api,) = [r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    # SAM writes the $default route as API Gateway's OpenAPI extension spells it.
    spelled = {("X-AMAZON-APIGATEWAY-ANY-METHOD", "/$default"): DEFAULT_ROUTE}
    security = {
        spelled.get((method.upper(), path), (method.upper(), path)): operation.get("security")
        for path, operations in api["Properties"]["Body"]["paths"].items()
        for method, operation in operations.items()
    }
    assert security == {
        **{route: [{"NONE": []}] for route in FORM_ROUTES | RESULTS_ROUTES | CONSOLE_ROUTES},
        **{route: [{"CognitoJwt": []}] for route in ADMIN_ROUTES},
    }
    (stage,) = [r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Stage"]
    assert stage["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] == 50
    assert "AccessLogSettings" in stage["Properties"]


def test_a_second_stack_in_the_account_names_its_schedule_apart(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schedule names are unique per account and region: SAM names an unnamed ScheduleV2
    after its logical id, so a second stack (staging beside production) failed to deploy."""
    from samtranslator.translator import transform as sam

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    class ManagedPolicies:
        def load(self) -> dict[str, str]:
            return {
                "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/basic",
                "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/xray",
            }

    packaged = json.loads(json.dumps(template))
    packaged["Globals"]["Function"]["CodeUri"] = "s3://bucket/heard.zip"
    resources = sam.transform(packaged, {}, ManagedPolicies())["Resources"]

    schedules = [r for r in resources.values() if r["Type"] == "AWS::Scheduler::Schedule"]
    assert schedules
    for schedule in schedules:
        assert "${AWS::StackName}" in json.dumps(schedule["Properties"]["Name"])
