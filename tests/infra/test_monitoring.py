"""Alarms that can notify, monitoring that covers every moving part, SES feedback wired end to
end, the sender's concurrency cap, the Powertools layer and the operator's outputs, read from
template.yaml (and the SAM transform where SAM decides the result)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from heard.handlers.digest_planner import PLANNING_RUNS
from heard_local.cfn import load_template

ROOT = Path(__file__).resolve().parents[2]
FUNCTION_TYPES = {"AWS::Serverless::Function", "AWS::Lambda::Function"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(ROOT / "template.yaml")


def of_type(template: dict[str, Any], *types: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] in types}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v["Properties"] for k, v in of_type(template, "AWS::CloudWatch::Alarm").items()}


def dimension(alarm: dict[str, Any], name: str) -> Any:
    (value,) = [d["Value"] for d in alarm.get("Dimensions", []) if d["Name"] == name]
    return value


def statements(policy: dict[str, Any], principal: str) -> list[dict[str, Any]]:
    return [
        s
        for s in policy["Statement"]
        if principal in as_list(s.get("Principal", {}).get("Service", []))
    ]


# --- alarms can notify --------------------------------------------------------------------
def test_the_alarm_topic_uses_a_customer_managed_key_with_rotation(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    assert resources["AlarmTopic"]["Properties"]["KmsMasterKeyId"] == {"Ref": "AlarmKey"}
    key = resources["AlarmKey"]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    for name, topic in of_type(template, "AWS::SNS::Topic").items():
        key_id = json.dumps(topic["Properties"].get("KmsMasterKeyId"))
        assert "alias/aws/" not in key_id, f"{name} uses an AWS-managed key CloudWatch cannot use"


def test_the_key_policy_lets_the_account_administer_it_and_cloudwatch_use_it(
    template: dict[str, Any],
) -> None:
    policy = template["Resources"]["AlarmKey"]["Properties"]["KeyPolicy"]
    (admin,) = [
        s for s in policy["Statement"] if "AWS" in s.get("Principal", {}) and s["Effect"] == "Allow"
    ]
    assert admin["Action"] == "kms:*"
    assert ":root" in json.dumps(admin["Principal"])

    (cloudwatch,) = statements(policy, "cloudwatch.amazonaws.com")
    assert set(as_list(cloudwatch["Action"])) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    conditions = cloudwatch["Condition"]
    assert conditions["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert ":alarm:${AWS::StackName}-*" in conditions["ArnLike"]["aws:SourceArn"]["Fn::Sub"]


def test_the_topic_policy_lets_this_stacks_alarms_publish(template: dict[str, Any]) -> None:
    (policy,) = [
        p["Properties"]
        for p in of_type(template, "AWS::SNS::TopicPolicy").values()
        if {"Ref": "AlarmTopic"} in p["Properties"]["Topics"]
    ]
    (publish,) = statements(policy["PolicyDocument"], "cloudwatch.amazonaws.com")
    assert publish["Action"] == "sns:Publish"
    assert publish["Resource"] == {"Ref": "AlarmTopic"}
    assert (
        ":alarm:${AWS::StackName}-*" in publish["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
    )


def test_alarm_names_fall_inside_the_policies_scope(template: dict[str, Any]) -> None:
    """CloudFormation names an alarm <stack>-<logical id>-<suffix>; an explicit name outside
    <stack>-* would be refused by the key and topic policies, and its alarm never heard."""
    for name, alarm in alarms(template).items():
        if "AlarmName" in alarm:
            assert json.dumps(alarm["AlarmName"]).startswith('{"Fn::Sub": "${AWS::StackName}-'), (
                name
            )


def test_every_alarm_publishes_to_the_alarm_topic(template: dict[str, Any]) -> None:
    found = alarms(template)
    assert len(found) >= 20
    for name, alarm in found.items():
        assert alarm.get("AlarmActions") == [{"Ref": "AlarmTopic"}], name


def test_the_alarm_email_subscription_is_on_the_alarm_topic(template: dict[str, Any]) -> None:
    subscription = template["Resources"]["AlarmSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["TopicArn"] == {"Ref": "AlarmTopic"}
    assert subscription["Properties"]["Protocol"] == "email"


# --- what is watched ----------------------------------------------------------------------
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_alarm_on(template: dict[str, Any], metric: str) -> None:
    watched = {
        dimension(alarm, "FunctionName")["Ref"]
        for alarm in alarms(template).values()
        if alarm.get("Namespace") == "AWS/Lambda" and alarm.get("MetricName") == metric
    }
    functions = set(of_type(template, *FUNCTION_TYPES))
    assert functions - watched == set(), f"functions without a {metric} alarm"
    for alarm in alarms(template).values():
        if alarm.get("MetricName") == metric and alarm.get("Namespace") == "AWS/Lambda":
            assert alarm["Statistic"] == "Sum"
            assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)


def test_the_api_5xx_is_watched(template: dict[str, Any]) -> None:
    (alarm,) = [
        a
        for a in alarms(template).values()
        if (a.get("Namespace"), a.get("MetricName")) == ("AWS/ApiGateway", "5xx")
    ]
    assert dimension(alarm, "ApiId") == {"Ref": "HttpApi"}
    assert dimension(alarm, "Stage") == "$default"


def test_the_streams_iterator_age_and_the_digest_queues_age_are_watched(
    template: dict[str, Any],
) -> None:
    found = alarms(template).values()
    stream_functions = {
        name
        for name, function in of_type(template, *FUNCTION_TYPES).items()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] in ("DynamoDB", "Kinesis")
    }
    ages = {
        dimension(a, "FunctionName")["Ref"] for a in found if a.get("MetricName") == "IteratorAge"
    }
    assert stream_functions and stream_functions <= ages
    queues = {
        dimension(a, "QueueName")["Fn::GetAtt"][0]
        for a in found
        if a.get("MetricName") == "ApproximateAgeOfOldestMessage"
    }
    assert "DigestQueue" in queues


def test_every_dead_letter_queue_has_an_alarm(template: dict[str, Any]) -> None:
    queues = of_type(template, "AWS::SQS::Queue")
    dead_letter = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    for function in of_type(template, *FUNCTION_TYPES).values():
        props = function["Properties"]
        for target in (props.get("DeadLetterQueue", {}).get("TargetArn"),):
            if target:
                dead_letter.add(target["Fn::GetAtt"][0])
        for event in props.get("Events", {}).values():
            destination = event["Properties"].get("DestinationConfig", {}).get("OnFailure", {})
            if destination:
                dead_letter.add(destination["Destination"]["Fn::GetAtt"][0])
    watched = {
        dimension(a, "QueueName")["Fn::GetAtt"][0]
        for a in alarms(template).values()
        if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
    }
    assert len(dead_letter) >= 4
    assert dead_letter - watched == set()


def test_the_planner_did_not_run_alarm_fires_on_a_monday_without_runs(
    template: dict[str, Any],
) -> None:
    alarm = template["Resources"]["PlannerDidNotRunAlarm"]["Properties"]
    queries = {q["Id"]: q for q in alarm["Metrics"]}
    metric = queries["runs"]["MetricStat"]["Metric"]
    # The metric the planner emits (Powertools: namespace Heard, dimension service=heard).
    assert (metric["Namespace"], metric["MetricName"]) == ("Heard", PLANNING_RUNS)
    assert metric["Dimensions"] == [{"Name": "service", "Value": "heard"}]
    assert queries["runs"]["MetricStat"]["Period"] == 3600
    (watched,) = [q for q in alarm["Metrics"] if q.get("ReturnData")]
    expression = watched["Expression"]
    # Hours without a run count as 0, the day mask does not depend on the metric having data,
    # and only Mondays (DAY == 1) can go below the threshold.
    assert "FILL(runs, 0)" in expression
    assert "DAY(TIME_SERIES(0)) == 1" in expression
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    assert alarm["TreatMissingData"] == "breaching"


@pytest.mark.parametrize(("metric", "threshold"), [("BounceRate", 0.05), ("ComplaintRate", 0.001)])
def test_ses_reputation_of_the_configuration_set_is_watched(
    template: dict[str, Any], metric: str, threshold: float
) -> None:
    (alarm,) = [
        a
        for a in alarms(template).values()
        if (a.get("Namespace"), a.get("MetricName")) == ("AWS/SES", f"Reputation.{metric}")
    ]
    assert dimension(alarm, "ses:configuration-set") == {"Ref": "DigestConfigurationSet"}
    assert alarm["Threshold"] == threshold
    configuration_set = template["Resources"]["DigestConfigurationSet"]["Properties"]
    assert configuration_set["ReputationOptions"]["ReputationMetricsEnabled"] is True


# --- SES feedback -------------------------------------------------------------------------
def test_bounces_and_complaints_flow_from_the_configuration_set_to_the_function(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    destination = resources["SesFeedbackDestination"]["Properties"]
    assert destination["ConfigurationSetName"] == {"Ref": "DigestConfigurationSet"}
    event_destination = destination["EventDestination"]
    assert {t.lower() for t in event_destination["MatchingEventTypes"]} == {"bounce", "complaint"}
    assert event_destination["SnsDestination"]["TopicARN"] == {"Ref": "SesFeedbackTopic"}

    subscription = resources["SesFeedbackSubscription"]["Properties"]
    assert subscription["TopicArn"] == {"Ref": "SesFeedbackTopic"}
    assert subscription["Protocol"] == "sqs"
    assert subscription["Endpoint"] == {"Fn::GetAtt": ["SesFeedbackQueue", "Arn"]}
    assert subscription["RawMessageDelivery"] is False  # the handler reads SNS's envelope

    events = resources["SesFeedbackFunction"]["Properties"]["Events"]
    (feedback,) = events.values()
    assert feedback["Properties"]["Queue"] == {"Fn::GetAtt": ["SesFeedbackQueue", "Arn"]}
    assert feedback["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = resources["SesFeedbackQueue"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 1


def test_ses_may_publish_to_the_encrypted_feedback_topic(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    assert resources["SesFeedbackTopic"]["Properties"]["KmsMasterKeyId"] == {"Ref": "AlarmKey"}
    (ses_key,) = statements(resources["AlarmKey"]["Properties"]["KeyPolicy"], "ses.amazonaws.com")
    assert set(as_list(ses_key["Action"])) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    topic_policy = resources["SesFeedbackTopicPolicy"]["Properties"]
    (publish,) = statements(topic_policy["PolicyDocument"], "ses.amazonaws.com")
    assert "configuration-set/${DigestConfigurationSet}" in json.dumps(publish["Condition"])
    queue_policy = resources["SesFeedbackQueuePolicy"]["Properties"]["PolicyDocument"]
    (send,) = statements(queue_policy, "sns.amazonaws.com")
    assert send["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": "SesFeedbackTopic"}


# --- delivery rate, package, operator -----------------------------------------------------
def test_the_senders_concurrency_is_capped_by_a_parameter(template: dict[str, Any]) -> None:
    events = template["Resources"]["DigestSenderFunction"]["Properties"]["Events"]
    (jobs,) = [e for e in events.values() if e["Type"] == "SQS"]
    assert jobs["Properties"]["ScalingConfig"]["MaximumConcurrency"] == {
        "Ref": "DigestSenderConcurrency"
    }
    parameter = template["Parameters"]["DigestSenderConcurrency"]
    assert parameter["MinValue"] == 2  # the least Lambda accepts
    assert parameter["Default"] >= parameter["MinValue"]


def test_the_powertools_layer_is_the_version_the_lock_pins(template: dict[str, Any]) -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    (locked,) = [p["version"] for p in lock["package"] if p["name"] == "aws-lambda-powertools"]
    globals_ = template["Globals"]["Function"]
    (layer,) = globals_["Layers"]
    _, own_arn, public = layer["Fn::If"]
    assert own_arn == {"Ref": "PowertoolsLayerArn"}
    match = re.fullmatch(
        r"\{\{resolve:ssm:/aws/service/powertools/python/(\w+)/(python[\d.]+)/([\d.]+)\}\}", public
    )
    assert match, public
    arch, python, version = match.groups()
    assert version == locked
    assert [arch] == globals_["Architectures"]
    assert python == globals_["Runtime"]


def test_the_operator_gets_every_url_and_arn_they_need(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    for name in ("FormBaseUrl", "ConsoleUrl", "UserPoolId", "TokenKeysSecretArn", "AlarmTopicArn"):
        assert name in outputs, name
    # No trailing slash: HTTP API routes cannot end in "/" (the console answers /console).
    assert json.dumps(outputs["ConsoleUrl"]["Value"]).count('/console"') == 2
    assert outputs["TokenKeysSecretArn"]["Value"] == {"Ref": "TokenKeysSecret"}
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": "AlarmTopic"}
    output_refs = {json.dumps(o["Value"]) for o in outputs.values()}
    for name, queue in of_type(template, "AWS::SQS::Queue").items():
        is_dead_letter = "RedrivePolicy" not in queue["Properties"] and name != "DigestQueue"
        if is_dead_letter and name != "SesFeedbackQueue":
            assert json.dumps({"Ref": name}) in output_refs, f"no output for {name}'s URL"


def test_sam_turns_the_cap_and_the_layer_into_what_lambda_reads(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from samtranslator.translator import transform as sam

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    class ManagedPolicies:
        def load(self) -> dict[str, str]:
            return {
                "AWSLambdaBasicExecutionRole": (
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                ),
                "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
                "AWSLambdaSQSQueueExecutionRole": (
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
                ),
            }

    packaged = json.loads(json.dumps(template))
    packaged["Globals"]["Function"]["CodeUri"] = "s3://bucket/heard.zip"
    resources = sam.transform(packaged, {}, ManagedPolicies())["Resources"]
    mappings = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    (sender,) = [m for m in mappings if m["FunctionName"] == {"Ref": "DigestSenderFunction"}]
    assert sender["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "DigestSenderConcurrency"}}
    for name, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::Function":
            assert "PowertoolsLayerArn" in json.dumps(resource["Properties"]["Layers"]), name


# --- the build ----------------------------------------------------------------------------
def test_every_function_is_built_by_the_makefile_target_that_ships_bytecode(
    template: dict[str, Any],
) -> None:
    """SAM's own Python builder ships sources only; /var/task is read-only, so Lambda would
    compile every import on every cold start. The Makefile's target compiles them."""
    makefile = (ROOT / "Makefile").read_text()
    assert "\nbuild-%Function:" in makefile
    assert "--invalidation-mode unchecked-hash" in makefile
    for name, function in of_type(template, *FUNCTION_TYPES).items():
        metadata = function.get("Metadata", {})
        assert metadata.get("BuildMethod") == "makefile", name
        assert metadata.get("ContextPath") == ".", name
        assert name.endswith("Function"), f"{name} would not match build-%Function"


def test_sam_validate_can_read_the_cfn_lint_config() -> None:
    """`sam validate --lint` reads .cfnlintrc with the cfn-lint inside the SAM CLI, where
    cfn-lint-serverless is not installed: an append_rules entry there aborts it."""
    import yaml

    config = yaml.safe_load((ROOT / ".cfnlintrc").read_text())
    assert "append_rules" not in config
    assert config["templates"] == ["template.yaml"]


# --- the operator's path ------------------------------------------------------------------
def test_the_samconfig_example_answers_every_parameter(template: dict[str, Any]) -> None:
    config = tomllib.loads((ROOT / "samconfig.toml.example").read_text())
    deploy = config["default"]["deploy"]["parameters"]
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    assert deploy["confirm_changeset"] is True
    overrides = dict(entry.split("=", 1) for entry in deploy["parameter_overrides"])
    # SAM CLI reads each value as a quoted string or as everything up to the first space
    # (samcli.cli.types.CfnParameterOverridesType): an unquoted space cuts the value short.
    for name, value in overrides.items():
        assert re.fullmatch(r'"[^"]*"|[^\s"\']+', value), f"{name}: quote a value with spaces"
    assert overrides["DepartmentName"] == '"Springfield Police Department"'
    given = set(overrides)
    parameters = set(template["Parameters"])
    assert given <= parameters, given - parameters
    # Left out on purpose (an empty value cannot be written there): they keep their defaults.
    assert parameters - given == {
        "PublicBaseUrl",
        "PowertoolsLayerArn",
        "DepartmentLogoUrl",
        "DepartmentContactUrl",
        "ContactsFallbackEmail",
        "SignInDomainPrefix",
    }
    assert config["default"]["validate"]["parameters"]["lint"] is True


def test_the_deploy_guide_answers_every_parameter_prompt(template: dict[str, Any]) -> None:
    guide = (ROOT / "infra" / "README.md").read_text()
    for name in template["Parameters"]:
        assert f"`Parameter {name}`" in guide or f"/ `{name}`" in guide, f"no answer for {name}"
    for output in template["Outputs"]:
        assert f"`{output}`" in guide, f"infra/README.md does not explain output {output}"
    assert "--desired-delivery-mediums EMAIL" in guide
    assert "Confirm subscription" in guide
