"""Read template.yaml (SAM) so the local stack runs exactly the routes and table it declares."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from heard_local.apigw import ANY_METHOD, DEFAULT_ROUTE, Route
from heard_local.filters import check_pattern

Template = dict[str, Any]

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"

# Table properties that create_table takes as CloudFormation spells them. The rest (PITR, SSE,
# TTL, tags, TableName, deletion protection) are either named differently in the API or set by
# separate calls, and none of them changes how the table behaves under moto.
_CREATE_TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "ProvisionedThroughput",
)
_INDEX_KEYS = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short-form tags as their long-form dicts."""


def _construct_intrinsic(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _construct_intrinsic)


@dataclass(frozen=True)
class LambdaFunction:
    """What the fake Lambda context reports about a function."""

    function_id: str
    handler: str
    memory_mb: int
    timeout_s: int


def load_template(path: Path | str = DEFAULT_TEMPLATE) -> Template:
    """The template as plain dicts, short-form tags turned into {"Ref": ...} / {"Fn::X": ...}."""
    with Path(path).open(encoding="utf-8") as f:
        loaded = yaml.load(f, Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader
    if not isinstance(loaded, dict) or not isinstance(loaded.get("Resources"), dict):
        raise ValueError(f"{path} is not a CloudFormation template: no Resources mapping")
    return loaded


def lambda_functions(template: Template) -> dict[str, LambdaFunction]:
    """Every AWS::Serverless::Function by logical id, with Globals applied."""
    defaults = _globals(template, "Function")
    found: dict[str, LambdaFunction] = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = {**defaults, **(resource.get("Properties") or {})}
        handler = props.get("Handler")
        if not isinstance(handler, str) or "." not in handler:
            raise ValueError(f"{logical_id}: Handler must be a literal 'module.function' string")
        found[logical_id] = LambdaFunction(
            function_id=logical_id,
            handler=handler,
            memory_mb=_int_or(props.get("MemorySize"), 128),
            timeout_s=_int_or(props.get("Timeout"), 3),
        )
    return found


def http_routes(template: Template) -> list[Route]:
    """Every HttpApi event of every function, public only where its Authorizer is NONE.

    An event without Auth falls back to its API's DefaultAuthorizer, as on AWS: when the API has
    none, the route is public here too, so a template mistake shows up locally, not in production.
    """
    functions = lambda_functions(template)
    routes: list[Route] = []
    for logical_id, function in functions.items():
        events = (template["Resources"][logical_id].get("Properties") or {}).get("Events") or {}
        for event in events.values():
            if event.get("Type") != "HttpApi":
                continue
            props = event.get("Properties") or {}
            path = props.get("Path", DEFAULT_ROUTE)
            method = str(props.get("Method", ANY_METHOD)).upper()
            if not isinstance(path, str):
                raise ValueError(f"{logical_id}: HttpApi Path must be a literal string")
            if method == "X-AMAZON-APIGATEWAY-ANY-METHOD":
                method = ANY_METHOD
            authorizer = (props.get("Auth") or {}).get("Authorizer")
            if authorizer is None:
                authorizer = _default_authorizer(template, props.get("ApiId"))
            routes.append(
                Route(
                    method=method,
                    path=path,
                    handler=function.handler,
                    function_id=logical_id,
                    public=authorizer in (None, "NONE"),
                )
            )
    return routes


def _default_authorizer(template: Template, api_id: Any) -> Any:
    auth = dict(_globals(template, "HttpApi").get("Auth") or {})
    if isinstance(api_id, dict) and "Ref" in api_id:
        api = template["Resources"].get(api_id["Ref"]) or {}
        auth.update((api.get("Properties") or {}).get("Auth") or {})
    return auth.get("DefaultAuthorizer")


def table_definition(
    template: Template, table_name: str, logical_id: str = "Table"
) -> dict[str, Any]:
    """Keyword arguments for boto3 `create_table` from the template's AWS::DynamoDB::Table."""
    props = _table_properties(template, logical_id)
    kwargs: dict[str, Any] = {"TableName": table_name}
    for key in _CREATE_TABLE_KEYS:
        if key in props:
            kwargs[key] = props[key]
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in kwargs:
            # Contributor Insights and the like live on indexes in CFN but not in create_table.
            kwargs[key] = [{k: v for k, v in i.items() if k in _INDEX_KEYS} for i in kwargs[key]]
    stream = props.get("StreamSpecification")
    if stream:
        # CloudFormation implies StreamEnabled; the API wants it said.
        kwargs["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": stream["StreamViewType"],
        }
    _reject_intrinsics(kwargs, f"{logical_id} Properties")
    return kwargs


def ttl_attribute(template: Template, logical_id: str = "Table") -> str | None:
    """The table's TTL attribute when TimeToLiveSpecification enables one."""
    spec = _table_properties(template, logical_id).get("TimeToLiveSpecification") or {}
    name = spec.get("AttributeName")
    return name if spec.get("Enabled") and isinstance(name, str) else None


def environment(template: Template, refs: dict[str, str]) -> dict[str, str]:
    """Function environment variables the local stack can resolve, Globals first.

    `refs` answers !Ref for resources (e.g. {"Table": "heard-local"}); parameters resolve to their
    Default. Values built from anything else (GetAtt, Sub with variables) are left out, as are
    later conflicting values: all functions share one process here.
    """
    params = template.get("Parameters") or {}
    resolved_refs = {
        **{name: p["Default"] for name, p in params.items() if "Default" in (p or {})},
        "AWS::Region": "us-east-1",
        "AWS::AccountId": "123456789012",
        "AWS::Partition": "aws",
        **refs,
    }
    sources = [_globals(template, "Function")]
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            sources.append(resource.get("Properties") or {})
    env: dict[str, str] = {}
    for props in sources:
        variables = (props.get("Environment") or {}).get("Variables") or {}
        for name, value in variables.items():
            text = _resolve_scalar(value, resolved_refs)
            if text is not None:
                env.setdefault(name, text)
    return env


def _resolve_scalar(value: Any, refs: dict[str, Any]) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        if "Ref" in value and value["Ref"] in refs:
            return _resolve_scalar(refs[value["Ref"]], refs)
        sub = value.get("Fn::Sub")
        if isinstance(sub, str) and "${" not in sub:
            return sub
    return None


@dataclass(frozen=True)
class StreamSource:
    """A function's DynamoDB stream event: what the event source mapping would do."""

    function_id: str
    table_id: str  # the logical id of the table whose stream it reads
    batch_size: int
    starting_position: str  # TRIM_HORIZON or LATEST
    max_retries: int  # -1: until the record expires, as on AWS
    report_failures: bool  # FunctionResponseTypes has ReportBatchItemFailures
    filters: tuple[dict[str, Any], ...]  # FilterCriteria patterns, parsed; empty: every record
    on_failure: str | None  # logical id of the on-failure SQS destination


@dataclass(frozen=True)
class QueueSource:
    """A function's SQS event: what the event source mapping would do."""

    function_id: str
    queue_id: str  # the logical id of the AWS::SQS::Queue
    batch_size: int
    report_failures: bool


@dataclass(frozen=True)
class QueueDefinition:
    """An AWS::SQS::Queue as CreateQueue attributes; the redrive target by logical id."""

    logical_id: str
    attributes: dict[str, str]
    dead_letter_queue: str | None = None
    max_receive_count: int = 0


# CloudFormation's AWS::SQS::Queue properties that are CreateQueue attributes of the same name.
_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DelaySeconds",
    "FifoQueue",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)


def stream_sources(template: Template) -> list[StreamSource]:
    """Every DynamoDB event of every function, with AWS's defaults where the template is silent."""
    sources: list[StreamSource] = []
    for logical_id, props in _function_events(template, "DynamoDB"):
        table_id = _get_att_target(props.get("Stream"), "StreamArn")
        if table_id is None:
            raise ValueError(f"{logical_id}: DynamoDB Stream must be !GetAtt <Table>.StreamArn")
        patterns = ((props.get("FilterCriteria") or {}).get("Filters")) or []
        filters: list[dict[str, Any]] = []
        for entry in patterns:
            pattern = json.loads(entry["Pattern"]) if isinstance(entry, dict) else None
            if not isinstance(pattern, dict):
                raise ValueError(f"{logical_id}: each filter needs a JSON object Pattern")
            check_pattern(pattern, f"{logical_id} FilterCriteria")
            filters.append(pattern)
        destination = ((props.get("DestinationConfig") or {}).get("OnFailure")) or {}
        sources.append(
            StreamSource(
                function_id=logical_id,
                table_id=table_id,
                batch_size=_int_or(props.get("BatchSize"), 100),
                starting_position=str(props.get("StartingPosition", "TRIM_HORIZON")),
                max_retries=_int_or(props.get("MaximumRetryAttempts"), -1),
                report_failures="ReportBatchItemFailures"
                in (props.get("FunctionResponseTypes") or []),
                filters=tuple(filters),
                on_failure=_get_att_target(destination.get("Destination"), "Arn"),
            )
        )
    return sources


def queue_sources(template: Template) -> list[QueueSource]:
    """Every SQS event of every function (Lambda's default batch of 10 when unset)."""
    sources: list[QueueSource] = []
    for logical_id, props in _function_events(template, "SQS"):
        queue_id = _get_att_target(props.get("Queue"), "Arn")
        if queue_id is None:
            raise ValueError(f"{logical_id}: SQS Queue must be !GetAtt <Queue>.Arn")
        sources.append(
            QueueSource(
                function_id=logical_id,
                queue_id=queue_id,
                batch_size=_int_or(props.get("BatchSize"), 10),
                report_failures="ReportBatchItemFailures"
                in (props.get("FunctionResponseTypes") or []),
            )
        )
    return sources


def sqs_queues(template: Template) -> list[QueueDefinition]:
    """Every AWS::SQS::Queue, dead-letter queues first so a redrive policy can name them."""
    found: list[QueueDefinition] = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::SQS::Queue":
            continue
        props = resource.get("Properties") or {}
        attributes = {key: _attribute_text(props[key]) for key in _QUEUE_ATTRIBUTES if key in props}
        _reject_intrinsics(attributes, f"{logical_id} Properties")
        redrive = props.get("RedrivePolicy") or {}
        target = _get_att_target(redrive.get("deadLetterTargetArn"), "Arn") if redrive else None
        if redrive and target is None:
            raise ValueError(f"{logical_id}: deadLetterTargetArn must be !GetAtt <Queue>.Arn")
        found.append(
            QueueDefinition(
                logical_id=logical_id,
                attributes=attributes,
                dead_letter_queue=target,
                max_receive_count=_int_or(redrive.get("maxReceiveCount"), 0),
            )
        )
    return sorted(found, key=lambda queue: queue.dead_letter_queue is not None)


def resource_ids(template: Template, resource_type: str) -> list[str]:
    """Logical ids of every resource of one type, e.g. AWS::SES::ConfigurationSet."""
    return [
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == resource_type
    ]


def _function_events(template: Template, event_type: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for logical_id in lambda_functions(template):
        props = template["Resources"][logical_id].get("Properties") or {}
        for event in (props.get("Events") or {}).values():
            if event.get("Type") == event_type:
                found.append((logical_id, event.get("Properties") or {}))
    return found


def _get_att_target(value: Any, attribute: str) -> str | None:
    """The logical id in {"Fn::GetAtt": [id, attribute]}, else None."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        if isinstance(target, list) and len(target) == 2 and target[1] == attribute:
            return str(target[0])
    return None


def _attribute_text(value: Any) -> Any:
    # SQS attributes are strings on the wire: booleans as "true"/"false".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float | str) else value


def _table_properties(template: Template, logical_id: str) -> dict[str, Any]:
    resource = template["Resources"].get(logical_id)
    if not resource or resource.get("Type") != "AWS::DynamoDB::Table":
        raise ValueError(f"template has no AWS::DynamoDB::Table named {logical_id}")
    props: dict[str, Any] = resource.get("Properties") or {}
    return props


def _globals(template: Template, section: str) -> dict[str, Any]:
    found: dict[str, Any] = (template.get("Globals") or {}).get(section) or {}
    return found


def _int_or(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _reject_intrinsics(value: Any, where: str) -> None:
    # moto cannot evaluate !If or !Ref; fail naming the property rather than deep inside boto3.
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" or key.startswith("Fn::"):
                raise ValueError(f"{where}: the local stack cannot resolve {key} here")
            _reject_intrinsics(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _reject_intrinsics(item, where)
