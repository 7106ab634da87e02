"""template.yaml for the staff console: Cognito managed login, the OAuth client, the function's
grants, no dev-only route, and no circular dependency once SAM has transformed it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_template import as_list, http_api_events, load_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """What CloudFormation gets after `sam build/package`: SAM's own transform."""
    import os

    from samtranslator.translator import transform as sam

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    class ManagedPolicies:
        def load(self) -> dict[str, str]:
            return {
                "AWSLambdaBasicExecutionRole": (
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                ),
                "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            }

    packaged = json.loads(json.dumps(template))
    packaged["Globals"]["Function"]["CodeUri"] = "s3://bucket/heard.zip"
    result: dict[str, Any] = sam.transform(packaged, {}, ManagedPolicies())
    return result


def test_staff_sign_in_is_cognito_managed_login(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    domain = resources["UserPoolDomain"]
    assert domain["Type"] == "AWS::Cognito::UserPoolDomain"
    assert domain["Properties"]["UserPoolId"] == {"Ref": "UserPool"}
    assert domain["Properties"]["ManagedLoginVersion"] == 2
    branding = resources["ConsoleSignInBranding"]
    assert branding["Type"] == "AWS::Cognito::ManagedLoginBranding"
    assert branding["Properties"]["ClientId"] == {"Ref": "ConsoleClient"}
    prefix = template["Parameters"]["SignInDomainPrefix"]
    assert prefix["Default"] == ""
    assert prefix["AllowedPattern"].startswith("^$|")


def test_staff_need_a_second_factor(template: dict[str, Any]) -> None:
    pool = template["Resources"]["UserPool"]["Properties"]
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_the_console_client_is_a_public_code_flow_client(template: dict[str, Any]) -> None:
    client = template["Resources"]["ConsoleClient"]["Properties"]
    assert client["UserPoolId"] == {"Ref": "UserPool"}
    # A public client: PKCE (sent by the console on every sign-in) protects the code.
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["AllowedOAuthFlows"] == ["code"]
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    assert "custom:districts" in client["ReadAttributes"]
    assert "custom:districts" not in client["WriteAttributes"]
    for key, path in (
        ("CallbackURLs", "/console/auth/callback"),
        ("LogoutURLs", "/console/signout"),
    ):
        _, with_domain, without = client[key]["Fn::If"]
        urls = [u["Fn::Sub"] for u in [*with_domain, *without]]
        assert all(url.endswith(path) for url in urls), urls
        assert all(url.startswith(("https://", "${PublicBaseUrl}")) for url in urls), urls
        assert any("${HttpApi}.execute-api" in url["Fn::Sub"] for url in without)


def test_the_json_api_keeps_its_srp_client(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    srp = resources["UserPoolClient"]["Properties"]
    assert srp["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert "AllowedOAuthFlows" not in srp
    authorizer = resources["HttpApi"]["Properties"]["Auth"]["Authorizers"]["CognitoJwt"]
    assert authorizer["JwtConfiguration"]["audience"] == [{"Ref": "UserPoolClient"}]


def test_nothing_in_the_template_routes_to_the_dev_sign_in(template: dict[str, Any]) -> None:
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        assert "heard_local" not in resource["Properties"]["Handler"], name
        for event in http_api_events(resource):
            assert not event["Path"].startswith("/_dev"), (name, event["Path"])
    # The dev sign-in lives with the local stack, outside the deployed package.
    assert (ROOT / "local" / "heard_local" / "devsignin.py").is_file()
    assert not list((ROOT / "functions").rglob("devsignin*"))
    assert "_dev/signin" not in (ROOT / "template.yaml").read_text(encoding="utf-8")


def _references(value: Any) -> set[str]:
    """Logical ids a resource's properties point at (Ref, GetAtt, ${...} in Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                for part in str(text).split("${")[1:]:
                    found.add(part.split("}")[0].split(".")[0])
                if isinstance(inner, list):
                    found |= _references(inner[1:])
            else:
                found |= _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner)
    return found


def test_no_circular_dependency_after_the_sam_transform(transformed: dict[str, Any]) -> None:
    """The console client names the API, the API names the console function: the function
    must not name the client (it reads the id from SSM at run time)."""
    resources = transformed["Resources"]
    graph = {
        name: {
            ref
            for ref in _references(resource.get("Properties", {}))
            | set(as_list(resource.get("DependsOn", [])))
            if ref in resources
        }
        for name, resource in resources.items()
    }
    assert "ConsoleFunction" in graph["HttpApi"], "the API integrates the console function"
    assert "HttpApi" in graph["ConsoleClient"], "the client's callback URL names the API"
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                raise AssertionError("cycle: " + " -> ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [])


def test_the_console_function_gets_exactly_what_it_calls(template: dict[str, Any]) -> None:
    props = template["Resources"]["ConsoleFunction"]["Properties"]
    grants: dict[str, set[str]] = {}
    conditions: dict[str, Any] = {}
    for policy in props["Policies"]:
        for statement in as_list(policy["Statement"]):
            for resource in as_list(statement["Resource"]):
                key = json.dumps(resource, sort_keys=True)
                grants.setdefault(key, set()).update(as_list(statement["Action"]))
                if "Condition" in statement:
                    conditions[key] = statement["Condition"]
    table = json.dumps({"Fn::GetAtt": ["Table", "Arn"]}, sort_keys=True)
    assert grants[table] == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",  # the events a page names, read together
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
    }
    everything = set().union(*grants.values())
    assert not {"dynamodb:Scan", "dynamodb:BatchWriteItem"} & everything
    assert "ses:SendRawEmail" in everything
    ses = [key for key, actions in grants.items() if "ses:SendRawEmail" in actions]
    assert len(ses) == 2  # the identity and the configuration set
    for key in ses:
        assert conditions[key] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}
    (ssm,) = [json.loads(key) for key, actions in grants.items() if "ssm:GetParameter" in actions]
    assert ssm["Fn::Sub"].endswith(":parameter/heard/${AWS::StackName}/console-client-id")
    env = props["Environment"]["Variables"]
    assert env["CONSOLE_CLIENT_ID_PARAMETER"] == {
        "Fn::Sub": "/heard/${AWS::StackName}/console-client-id"
    }
    parameter = template["Resources"]["ConsoleClientIdParameter"]["Properties"]
    assert parameter["Name"] == env["CONSOLE_CLIENT_ID_PARAMETER"]
    assert parameter["Value"] == {"Ref": "ConsoleClient"}
