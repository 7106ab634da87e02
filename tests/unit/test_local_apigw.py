"""The local stack's pure parts: template reading, route matching, the payload 2.0 event shape."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from heard_local.apigw import (
    Route,
    bearer_claims,
    build_event,
    error_result,
    make_dev_token,
    match_route,
    render_claims,
    to_http_response,
)
from heard_local.cfn import (
    environment,
    http_routes,
    lambda_functions,
    load_template,
    table_definition,
    ttl_attribute,
)

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Department:
    Type: String
    Default: Demo PD
  Retention:
    Type: Number
    Default: 365
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    CodeUri: functions/
    Timeout: 10
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        DEPARTMENT_NAME: !Ref Department
        RETENTION_DAYS: !Ref Retention
        KEYS_SECRET: !Ref Secret
        ARN: !GetAtt Table.Arn
        STATIC: !Sub plain-text
        FLAG: true
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-table"
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
        - {AttributeName: gsi1pk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: gsi1
          KeySchema: [{AttributeName: gsi1pk, KeyType: HASH}]
          Projection: {ProjectionType: ALL}
          ContributorInsightsSpecification: {Enabled: true}
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      SSESpecification: {SSEEnabled: true}
      TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
      DeletionProtectionEnabled: true
      Tags: [{Key: app, Value: heard}]
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: CognitoJwt
        Authorizers:
          CognitoJwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}
              audience: [!Ref UserPoolClient]
  FormFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: heard.handlers.form.lambda_handler
      MemorySize: 256
      Events:
        GetForm:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /f/{token}
            Method: GET
            Auth: {Authorizer: NONE}
        Stream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}
  AdminFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: heard.handlers.admin.lambda_handler
      Events:
        CreateEvent:
          Type: HttpApi
          Properties: {ApiId: !Ref HttpApi, Path: /events, Method: post}
        Anything:
          Type: HttpApi
          Properties: {ApiId: !Ref HttpApi, Path: "/files/{proxy+}", Method: ANY}
  OpenFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: open.handler
      Events:
        Implicit:
          Type: HttpApi
"""

FORM = Route("GET", "/f/{token}", "heard.handlers.form.lambda_handler", "FormFunction", True)
ADMIN = Route("POST", "/events", "heard.handlers.admin.lambda_handler", "AdminFunction", False)
NOW = datetime(2020, 3, 12, 19, 3, 58, 390000, tzinfo=UTC)


@pytest.fixture
def template(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return load_template(path)


def event_for(
    route: Route = FORM,
    *,
    method: str = "GET",
    path: str = "/f/abc",
    query: str = "",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    claims: dict[str, str] | None = None,
) -> dict[str, Any]:
    return build_event(
        route,
        method,
        path,
        query,
        headers if headers is not None else [("Host", "127.0.0.1:8000")],
        body,
        "127.0.0.1",
        {"token": "abc"} if route is FORM else {},
        claims,
        request_id="req-1",
        now=NOW,
    )


# --- template.yaml ------------------------------------------------------------------------------


def test_short_form_tags_load_as_their_long_form(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(
        """\
Resources: {}
Outputs:
  ref: !Ref Table
  sub: !Sub "arn:${AWS::Partition}:x"
  sub_list: !Sub ["${A}", {A: !Ref B}]
  getatt_dotted: !GetAtt Table.StreamArn
  getatt_list: !GetAtt [Table, Arn]
  if: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]
  join: !Join [",", [a, b]]
  select: !Select [0, !GetAZs ""]
  logic: !And [!Equals [a, b], !Not [!Condition IsProd], !Or [!Condition X, !Condition Y]]
  map: !FindInMap [M, K, V]
  split: !Split [",", "a,b"]
  b64: !Base64 hello
  cidr: !Cidr ["10.0.0.0/16", 4, 8]
  import: !ImportValue shared-thing
""",
        encoding="utf-8",
    )
    out = load_template(path)["Outputs"]
    assert out["ref"] == {"Ref": "Table"}
    assert out["sub"] == {"Fn::Sub": "arn:${AWS::Partition}:x"}
    assert out["sub_list"] == {"Fn::Sub": ["${A}", {"A": {"Ref": "B"}}]}
    assert out["getatt_dotted"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert out["getatt_list"] == {"Fn::GetAtt": ["Table", "Arn"]}
    assert out["if"] == {"Fn::If": ["IsProd", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]}
    assert out["join"] == {"Fn::Join": [",", ["a", "b"]]}
    assert out["select"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert out["logic"] == {
        "Fn::And": [
            {"Fn::Equals": ["a", "b"]},
            {"Fn::Not": [{"Condition": "IsProd"}]},
            {"Fn::Or": [{"Condition": "X"}, {"Condition": "Y"}]},
        ]
    }
    assert out["map"] == {"Fn::FindInMap": ["M", "K", "V"]}
    assert out["split"] == {"Fn::Split": [",", "a,b"]}
    assert out["b64"] == {"Fn::Base64": "hello"}
    assert out["cidr"] == {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}
    assert out["import"] == {"Fn::ImportValue": "shared-thing"}


def test_a_file_without_resources_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.yaml"
    path.write_text("just: text\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no Resources"):
        load_template(path)


def test_routes_are_public_only_where_the_authorizer_is_none(template: dict[str, Any]) -> None:
    routes = {(r.method, r.path): r for r in http_routes(template)}

    assert routes["GET", "/f/{token}"] == FORM
    assert routes["POST", "/events"] == ADMIN  # lower-case method, DefaultAuthorizer applies
    assert routes["ANY", "/files/{proxy+}"].public is False
    # An event on the implicit API, which has no authorizer: public, exactly as AWS would be.
    assert routes["ANY", "$default"].public is True
    assert len(routes) == 4  # the DynamoDB stream event is not a route


def test_functions_take_globals(template: dict[str, Any]) -> None:
    form = lambda_functions(template)["FormFunction"]
    assert (form.memory_mb, form.timeout_s) == (256, 10)
    assert lambda_functions(template)["AdminFunction"].memory_mb == 128


def test_table_definition_keeps_only_what_create_table_takes(template: dict[str, Any]) -> None:
    kwargs = table_definition(template, "heard-local")

    assert kwargs == {
        "TableName": "heard-local",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "gsi1pk", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }
    assert ttl_attribute(template) == "ttl"


def test_table_definition_names_an_intrinsic_it_cannot_resolve(template: dict[str, Any]) -> None:
    template["Resources"]["Table"]["Properties"]["BillingMode"] = {"Fn::If": ["X", "A", "B"]}
    with pytest.raises(ValueError, match=r"BillingMode.*Fn::If"):
        table_definition(template, "t")
    with pytest.raises(ValueError, match="no AWS::DynamoDB::Table named Nope"):
        table_definition(template, "t", logical_id="Nope")


def test_environment_resolves_what_it_can(template: dict[str, Any]) -> None:
    env = environment(template, {"Table": "heard-local"})
    assert env == {
        "TABLE_NAME": "heard-local",
        "DEPARTMENT_NAME": "Demo PD",
        "RETENTION_DAYS": "365",
        "STATIC": "plain-text",
        "FLAG": "true",
    }


# --- routing ------------------------------------------------------------------------------------

ROUTES = [
    Route("GET", "/f/{token}", "m.h", "Form", True),
    Route("GET", "/f/{token}/poster", "m.h", "Form", True),
    Route("GET", "/f/new", "m.h", "Literal", True),
    Route("ANY", "/files/{proxy+}", "m.h", "Files", True),
    Route("GET", "/files/{name}", "m.h", "OneFile", True),
    Route("ANY", "/things", "m.h", "AnyThing", True),
    Route("DELETE", "/things", "m.h", "DeleteThing", True),
]


@pytest.mark.parametrize(
    ("method", "path", "function_id", "params"),
    [
        ("GET", "/f/abc", "Form", {"token": "abc"}),
        ("get", "/f/a%20b", "Form", {"token": "a b"}),
        ("GET", "/f/abc/poster", "Form", {"token": "abc"}),
        ("GET", "/f/new", "Literal", {}),  # a literal beats a parameter
        ("GET", "/files/a.txt", "OneFile", {"name": "a.txt"}),  # a parameter beats greedy
        ("GET", "/files/a/b/c", "Files", {"proxy": "a/b/c"}),
        ("POST", "/files/a", "Files", {"proxy": "a"}),
        ("DELETE", "/things", "DeleteThing", {}),  # a named method beats ANY
        ("PATCH", "/things", "AnyThing", {}),
    ],
)
def test_match_route_picks_what_api_gateway_picks(
    method: str, path: str, function_id: str, params: dict[str, str]
) -> None:
    matched = match_route(ROUTES, method, path)
    assert matched is not None
    assert (matched[0].function_id, matched[1]) == (function_id, params)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/f/abc"),  # right path, wrong method: 404 on HTTP APIs, never 405
        ("GET", "/f/"),  # an empty segment fills no parameter
        ("GET", "/f/abc/other"),
        ("GET", "/files/"),
        ("GET", "/"),
    ],
)
def test_match_route_misses(method: str, path: str) -> None:
    assert match_route(ROUTES, method, path) is None


def test_default_route_catches_the_rest() -> None:
    fallback = Route("ANY", "$default", "m.h", "Default", True)
    matched = match_route([*ROUTES, fallback], "POST", "/nowhere")
    assert matched == (fallback, {})
    assert fallback.route_key == "$default"


# --- the event ----------------------------------------------------------------------------------


def test_event_has_the_payload_2_shape() -> None:
    event = event_for(
        path="/f/abc",
        query="lang=es&x=1&x=2&empty=",
        headers=[
            ("Host", "127.0.0.1:8000"),
            ("User-Agent", "Mozilla/5.0"),
            ("Accept", "text/html"),
            ("X-Forwarded-For", "1.1.1.1"),
            ("X-Forwarded-For", "2.2.2.2"),
            ("Cookie", "a=1; b=2"),
            ("Cookie", "c=3"),
        ],
    )

    assert event == {
        "version": "2.0",
        "routeKey": "GET /f/{token}",
        "rawPath": "/f/abc",
        "rawQueryString": "lang=es&x=1&x=2&empty=",
        "cookies": ["a=1", "b=2", "c=3"],
        "headers": {
            "host": "127.0.0.1:8000",
            "user-agent": "Mozilla/5.0",
            "accept": "text/html",
            "x-forwarded-for": "1.1.1.1,2.2.2.2",
        },
        "queryStringParameters": {"lang": "es", "x": "1,2", "empty": ""},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "127.0.0.1",
            "domainPrefix": "127",
            "http": {
                "method": "GET",
                "path": "/f/abc",
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": "req-1",
            "routeKey": "GET /f/{token}",
            "stage": "$default",
            "time": "12/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1584039838390,
        },
        "pathParameters": {"token": "abc"},
        "isBase64Encoded": False,
    }


def test_missing_headers_query_and_body_leave_their_keys_out() -> None:
    event = event_for(headers=[])

    for absent in ("cookies", "queryStringParameters", "body"):
        assert absent not in event
    assert event["headers"] == {}
    assert event["requestContext"]["http"]["userAgent"] == ""
    assert event["requestContext"]["domainName"] == "localhost"
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "text/plain", "application/xml"],
)
def test_textual_bodies_arrive_as_text(content_type: str) -> None:
    event = event_for(
        ADMIN,
        method="POST",
        path="/events",
        headers=[("Content-Type", content_type)],
        body='{"name": "Café"}'.encode(),
    )
    assert (event["body"], event["isBase64Encoded"]) == ('{"name": "Café"}', False)


@pytest.mark.parametrize(
    "headers",
    [
        # Real HTTP APIs base64 form posts too: handlers must read decoded_body.
        [("Content-Type", "application/x-www-form-urlencoded")],
        [("Content-Type", "multipart/form-data; boundary=x")],
        [("Content-Type", "image/png")],
        [],
    ],
)
def test_other_bodies_arrive_base64_encoded(headers: list[tuple[str, str]]) -> None:
    body = b"overall=5&comment=caf%C3%A9" if headers else b"\x89PNG\r\n\x00\xff"
    event = event_for(method="POST", headers=headers, body=body)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_text_that_is_not_utf8_travels_as_binary() -> None:
    event = event_for(method="POST", headers=[("Content-Type", "text/plain")], body=b"\xff\xfe")
    assert event["isBase64Encoded"] is True


def test_claims_reach_protected_routes_only() -> None:
    claims = {"sub": "u1", "cognito:groups": "[admin]"}

    protected = event_for(ADMIN, method="POST", path="/events", claims=claims)
    public = event_for(FORM, claims=claims)

    assert protected["requestContext"]["authorizer"] == {"jwt": {"claims": claims, "scopes": None}}
    assert "authorizer" not in public["requestContext"]


# --- the JWT authorizer -------------------------------------------------------------------------


def test_claims_render_as_api_gateway_sends_them() -> None:
    rendered = render_claims(
        {
            "sub": "dev",
            "cognito:groups": ["admin", "organizer"],
            "exp": 1700000000,
            "email_verified": True,
            "custom:districts": "D1,D2",
            "nested": {"a": 1},
        }
    )
    assert rendered == {
        "sub": "dev",
        "cognito:groups": "[admin organizer]",
        "exp": "1700000000",
        "email_verified": "true",
        "custom:districts": "D1,D2",
        "nested": '{"a":1}',
    }


def test_a_dev_token_round_trips_through_the_authorizer() -> None:
    token = make_dev_token({"sub": "dev-organizer", "cognito:groups": ["admin"]})

    assert token.count(".") == 2 and token.endswith(".")
    assert bearer_claims(f"Bearer {token}") == {"sub": "dev-organizer", "cognito:groups": "[admin]"}
    assert bearer_claims(f"bearer {token}") is not None
    assert bearer_claims(token) is not None  # the authorizer also takes a bare token


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        "Bearer a.!!!.c",
        "Bearer a.bm90IGpzb24.c",
        "Basic dTpw",
    ],
)
def test_missing_or_undecodable_tokens_are_refused(authorization: str | None) -> None:
    assert bearer_claims(authorization) is None


def test_expired_tokens_are_refused() -> None:
    token = make_dev_token({"sub": "x", "exp": 1000})
    assert bearer_claims(f"Bearer {token}", now=999) == {"sub": "x", "exp": "1000"}
    assert bearer_claims(f"Bearer {token}", now=1000) is None


# --- the response -------------------------------------------------------------------------------


def test_response_decodes_base64_and_sets_each_cookie() -> None:
    status, headers, body = to_http_response(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "image/png", "Cache-Control": "no-store"},
            "cookies": ["a=1; Path=/", "b=2; HttpOnly"],
            "body": base64.b64encode(b"\x89PNG").decode(),
            "isBase64Encoded": True,
        }
    )
    assert status == 201
    assert headers == [
        ("Content-Type", "image/png"),
        ("Cache-Control", "no-store"),
        ("set-cookie", "a=1; Path=/"),
        ("set-cookie", "b=2; HttpOnly"),
    ]
    assert body == b"\x89PNG"


def test_response_text_body_and_empty_body() -> None:
    assert to_http_response({"statusCode": 200, "body": "héllo"})[2] == "héllo".encode()
    assert to_http_response({"statusCode": 204}) == (204, [], b"")


def test_a_result_without_status_code_is_inferred_as_json() -> None:
    assert to_http_response({"ok": True}) == (
        200,
        [("content-type", "application/json")],
        b'{"ok": true}',
    )


@pytest.mark.parametrize("status", ["200", 42, None, True])
def test_a_malformed_status_is_an_error(status: object) -> None:
    with pytest.raises(ValueError, match="statusCode"):
        to_http_response({"statusCode": status})


def test_gateway_errors_have_api_gateways_body() -> None:
    status, _, body = to_http_response(error_result(404, "Not Found"))
    assert (status, json.loads(body)) == (404, {"message": "Not Found"})
    assert body == b'{"message":"Not Found"}'
