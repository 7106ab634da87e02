"""IAM coverage: every AWS call a function makes in the tests, checked against what
template.yaml grants that function.

Moto enforces no IAM, so a missing grant (SES v2's Raw content needs `ses:SendRawEmail`,
not `ses:SendEmail`) passes every other test and fails only on AWS. This module records each
call botocore makes (`BaseClient._make_api_call`), attributes it to the function whose handler
module is on the call stack, translates it into the IAM actions, resources and condition keys
AWS authorizes it against (with the known special cases), and evaluates the function's own
policy statements from template.yaml, intrinsics resolved from that function's environment as
it was at call time. Calls made by test set-up, outside any handler, are not attributed.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import botocore.client

ACCOUNT = "123456789012"  # moto's default account: what test resources' ARNs carry
PARTITION = "aws"

# boto3 service names whose IAM prefix differs.
_IAM_PREFIX = {"sesv2": "ses", "cognito-idp": "cognito-idp", "monitoring": "cloudwatch"}
# Operations authorized by another action of the same service.
_ACTION_OF = {
    ("sqs", "SendMessageBatch"): ["SendMessage"],
    ("sqs", "DeleteMessageBatch"): ["DeleteMessage"],
    ("sqs", "ChangeMessageVisibilityBatch"): ["ChangeMessageVisibility"],
}


@dataclass(frozen=True)
class Need:
    """One authorization AWS performs for a call: an action on a resource, with the
    condition keys the request sets."""

    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()


@dataclass
class Call:
    function: str
    service: str
    operation: str
    region: str
    params: dict[str, Any]
    env: dict[str, str]


@dataclass
class Recorder:
    handler_modules: dict[str, str]  # handler module -> function logical id
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def function_on_stack(self) -> str | None:
        frame = sys._getframe(2)
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            for handler, function in self.handler_modules.items():
                if module == handler or module.startswith((handler + ".", handler + "_routes.")):
                    return function
            frame = frame.f_back  # type: ignore[assignment]
        return None

    def record(self, client: Any, operation: str, params: dict[str, Any]) -> None:
        function = self.function_on_stack()
        if function is None:
            return
        call = Call(
            function=function,
            service=client.meta.service_model.service_name,
            operation=operation,
            region=client.meta.region_name or "us-east-1",
            params=params,
            env=dict(os.environ),
        )
        with self.lock:
            self.calls.append(call)


_ACTIVE: Recorder | None = None


def install(handler_modules: dict[str, str]) -> Recorder:
    """Start recording every botocore call (once per process); returns the recorder."""
    global _ACTIVE
    if _ACTIVE is not None:
        return _ACTIVE
    recorder = Recorder(handler_modules)
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        recorder.record(self, operation_name, api_params)
        return original(self, operation_name, api_params)

    botocore.client.BaseClient._make_api_call = recording  # type: ignore[method-assign]
    _ACTIVE = recorder
    return recorder


def handler_modules(template: Mapping[str, Any]) -> dict[str, str]:
    """handler module -> function logical id, from each function's Handler string."""
    found = {}
    for name, resource in functions(template).items():
        handler = resource["Properties"]["Handler"]
        found[handler.rsplit(".", 1)[0]] = name
    return found


def functions(template: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


# What a call needs ------------------------------------------------------------------------


def needs(call: Call) -> list[Need]:
    """The authorizations AWS makes for one call."""
    prefix = _IAM_PREFIX.get(call.service, call.service)
    service_arn = f"arn:{PARTITION}:{prefix}:{call.region}:{ACCOUNT}"
    params = call.params
    if call.service == "dynamodb":
        return list(_dynamodb_needs(call.operation, params, service_arn))
    if call.service == "sesv2" and call.operation == "SendEmail":
        content = params.get("Content") or {}
        action = "ses:SendRawEmail" if "Raw" in content else "ses:SendEmail"
        sender = str(params.get("FromEmailAddress", ""))
        context = (("ses:FromAddress", sender),)
        # SES authorizes against the verified identity the address falls under: the address
        # itself, or its domain when the operator verified the domain (infra/README.md allows
        # either), so the grant must cover both.
        domain = sender.rpartition("@")[2]
        found = [
            Need(action, f"{service_arn}:identity/{sender}", context),
            Need(action, f"{service_arn}:identity/{domain}", context),
        ]
        if params.get("ConfigurationSetName"):
            name = params["ConfigurationSetName"]
            found.append(Need(action, f"{service_arn}:configuration-set/{name}", context))
        return found
    if call.service == "sqs":
        queue = urlsplit(str(params.get("QueueUrl", ""))).path.rsplit("/", 1)[-1]
        actions = _ACTION_OF.get((call.service, call.operation), [call.operation])
        return [Need(f"sqs:{action}", f"{service_arn}:{queue}") for action in actions]
    if call.service == "secretsmanager":
        secret = str(params.get("SecretId", ""))
        resource = secret if secret.startswith("arn:") else f"{service_arn}:secret:{secret}-*"
        return [Need(f"secretsmanager:{call.operation}", resource)]
    if call.service == "cognito-idp" and "UserPoolId" in params:
        return [
            Need(f"cognito-idp:{call.operation}", f"{service_arn}:userpool/{params['UserPoolId']}")
        ]
    if call.service == "ssm" and "Name" in params:
        # A parameter's ARN drops the name's leading slash: parameter/heard/<stack>/...
        name = str(params["Name"]).lstrip("/")
        return [Need(f"ssm:{call.operation}", f"{service_arn}:parameter/{name}")]
    if call.service == "sns" and "TopicArn" in params:
        return [Need(f"sns:{call.operation}", str(params["TopicArn"]))]
    # Comprehend's detection APIs, Translate, CloudWatch metrics: no resource-level permission.
    return [Need(f"{prefix}:{call.operation}", "*")]


def _dynamodb_needs(operation: str, params: dict[str, Any], service_arn: str) -> Iterator[Need]:
    def table(name: str, index: str | None = None) -> str:
        arn = f"{service_arn}:table/{name}"
        return f"{arn}/index/{index}" if index else arn

    if operation in ("BatchWriteItem", "BatchGetItem"):
        for name in params.get("RequestItems", {}):
            yield Need(f"dynamodb:{operation}", table(name))
    elif operation in ("TransactWriteItems", "TransactGetItems"):
        # Authorized item by item, as the single-item action each one is.
        single = {
            "Put": "PutItem",
            "Update": "UpdateItem",
            "Delete": "DeleteItem",
            "ConditionCheck": "ConditionCheckItem",
            "Get": "GetItem",
        }
        for item in params.get("TransactItems", []):
            ((kind, body),) = item.items()
            yield Need(f"dynamodb:{single[kind]}", table(body["TableName"]))
    else:
        leading = _leading_key(operation, params)
        context = (("dynamodb:LeadingKeys", leading),) if leading is not None else ()
        yield Need(
            f"dynamodb:{operation}",
            table(str(params.get("TableName")), params.get("IndexName")),
            context,
        )


# The table's partition key (template.yaml's KeySchema HASH); an index's is not looked at.
_PARTITION_KEY = "pk"


def _leading_key(operation: str, params: dict[str, Any]) -> str | None:
    """The partition key value a single-item call or a base-table Query names: what
    `dynamodb:LeadingKeys` holds when AWS authorizes it."""
    if params.get("IndexName"):
        return None
    if operation == "Query":
        names = {v: k for k, v in (params.get("ExpressionAttributeNames") or {}).items()}
        alias = names.get(_PARTITION_KEY, _PARTITION_KEY)
        found = re.search(
            rf"(?:^|\s|\(){re.escape(alias)}\s*=\s*(:\w+)",
            str(params.get("KeyConditionExpression", "")),
        )
        value = (
            (params.get("ExpressionAttributeValues") or {}).get(found.group(1)) if found else None
        )
    else:
        item = params.get("Key") or params.get("Item") or {}
        value = item.get(_PARTITION_KEY)
    return str(value["S"]) if isinstance(value, dict) and "S" in value else None


# What the template grants ---------------------------------------------------------------


class Unresolvable(ValueError):
    """A template expression this checker cannot turn into a string for this call."""


@dataclass(frozen=True)
class Bindings:
    """What a function's intrinsics stand for in the test world: from its environment."""

    template: Mapping[str, Any]
    function: str
    env: Mapping[str, str]
    region: str

    def env_refs(self) -> dict[tuple[str, str], str]:
        """(logical id, "Ref" | attribute) -> the value the function's environment holds."""
        variables = dict(
            ((self.template.get("Globals") or {}).get("Function") or {})
            .get("Environment", {})
            .get("Variables", {})
        )
        own = functions(self.template)[self.function]["Properties"]
        variables.update((own.get("Environment") or {}).get("Variables") or {})
        found: dict[tuple[str, str], str] = {}
        for name, expression in variables.items():
            if name not in self.env:
                continue
            if isinstance(expression, dict) and "Ref" in expression:
                found[(expression["Ref"], "Ref")] = self.env[name]
            elif isinstance(expression, dict) and "Fn::GetAtt" in expression:
                logical, attribute = expression["Fn::GetAtt"]
                found[(logical, attribute)] = self.env[name]
        return found

    def ref(self, logical: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": PARTITION,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "heard-test",
        }
        if logical in pseudo:
            return pseudo[logical]
        known = self.env_refs()
        if (logical, "Ref") in known:
            return known[(logical, "Ref")]
        raise Unresolvable(f"!Ref {logical} is not in {self.function}'s environment")

    def get_att(self, logical: str, attribute: str) -> str:
        known = self.env_refs()
        if (logical, attribute) in known:
            return known[(logical, attribute)]
        kind = self.template["Resources"].get(logical, {}).get("Type", "")
        service = f"arn:{PARTITION}:{{}}:{self.region}:{ACCOUNT}"
        if kind == "AWS::DynamoDB::Table":
            arn = f"{service.format('dynamodb')}:table/{self.ref(logical)}"
            return {"Arn": arn, "StreamArn": f"{arn}/stream/*"}[attribute]
        if kind == "AWS::SQS::Queue":
            name = urlsplit(self.ref(logical)).path.rsplit("/", 1)[-1]
            return {"Arn": f"{service.format('sqs')}:{name}", "QueueName": name}[attribute]
        if kind == "AWS::Cognito::UserPool" and attribute == "Arn":
            return f"{service.format('cognito-idp')}:userpool/{self.ref(logical)}"
        raise Unresolvable(f"!GetAtt {logical}.{attribute} for {self.function}")

    def resolve(self, expression: Any) -> str:
        if isinstance(expression, str):
            return expression
        if isinstance(expression, dict) and len(expression) == 1:
            ((kind, value),) = expression.items()
            if kind == "Ref":
                return self.ref(value)
            if kind == "Fn::GetAtt":
                logical, attribute = value if isinstance(value, list) else value.split(".", 1)
                return self.get_att(logical, attribute)
            if kind == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                return _substitute(text, variables, self)
        raise Unresolvable(f"cannot resolve {expression!r}")


def _substitute(text: str, variables: Mapping[str, Any], bindings: Bindings) -> str:
    out, rest = [], text
    while "${" in rest:
        before, _, after = rest.partition("${")
        name, _, rest = after.partition("}")
        out.append(before)
        if name in variables:
            out.append(bindings.resolve(variables[name]))
        elif "." in name:
            logical, attribute = name.split(".", 1)
            out.append(bindings.get_att(logical, attribute))
        else:
            out.append(bindings.ref(name))
    out.append(rest)
    return "".join(out)


def statements(template: Mapping[str, Any], function: str) -> list[dict[str, Any]]:
    """The function's own inline policy statements (SAM's `Policies` documents)."""
    found: list[dict[str, Any]] = []
    for policy in functions(template)[function]["Properties"].get("Policies") or []:
        if isinstance(policy, dict) and "Statement" in policy:
            found += policy["Statement"]
    return found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, value: str) -> bool:
    # IAM's wildcards: * any run of characters (slashes included), ? one character.
    return fnmatch.fnmatchcase(value, pattern)


def _conditions_hold(condition: Mapping[str, Any], need: Need, bindings: Bindings) -> bool:
    context = dict(need.context)
    for operator, tests in condition.items():
        for key, expected in tests.items():
            if key not in context:
                return False  # fail closed: a condition on a key this call doesn't set
            wanted = [bindings.resolve(item) for item in _listed(expected)]
            # Each context key here holds one value: "for all values" is that value.
            operator = operator.removeprefix("ForAllValues:")
            if operator == "StringEquals":
                ok = context[key] in wanted
            elif operator == "StringLike":
                ok = any(_matches(pattern, context[key]) for pattern in wanted)
            else:
                return False
            if not ok:
                return False
    return True


def granted(template: Mapping[str, Any], call: Call, need: Need) -> bool:
    """True when one of the function's Allow statements grants this need."""
    bindings = Bindings(template, call.function, call.env, call.region)
    for statement in statements(template, call.function):
        if statement.get("Effect") != "Allow":
            continue
        actions = [str(a) for a in _listed(statement.get("Action", []))]
        if not any(_matches(a.lower(), need.action.lower()) for a in actions):
            continue
        resources = []
        for expression in _listed(statement.get("Resource", [])):
            try:
                resources.append(bindings.resolve(expression))
            except Unresolvable:
                continue  # names something this call cannot be about
        if not any(_matches(pattern, need.resource) for pattern in resources):
            continue
        if _conditions_hold(statement.get("Condition") or {}, need, bindings):
            return True
    return False


def missing(template: Mapping[str, Any], calls: Iterable[Call]) -> list[str]:
    """A line per call need that no statement grants."""
    problems = []
    for call in calls:
        for need in needs(call):
            if not granted(template, call, need):
                context = f" with {dict(need.context)}" if need.context else ""
                problems.append(
                    f"{call.function}: {call.service}.{call.operation} needs {need.action} "
                    f"on {need.resource}{context}"
                )
    return sorted(set(problems))


def pairs(calls: Iterable[Call]) -> set[tuple[str, str]]:
    """The (function, IAM action) pairs these calls exercise."""
    return {(call.function, need.action) for call in calls for need in needs(call)}
