"""The one place observability objects are created; every module imports them from here.

Service and namespace are fixed in code rather than read from the environment at import,
so importing a handler (in a test, in the local stack) never depends on env-var order.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "heard"

logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace="Heard", service=SERVICE)
