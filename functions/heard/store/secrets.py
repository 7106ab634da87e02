"""The HMAC keys behind signed links: Secrets Manager on AWS (cached), inline locally."""

from functools import lru_cache

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.exceptions import BotoCoreError, ClientError

from heard.domain.tokens import TokenKeys
from heard.settings import Settings

# What an AWS call raises once the SDK's retries are spent: DynamoDB, SES and the rest raise
# botocore's errors; Secrets Manager and SSM read through Powertools raise GetParameterError.
# Every HTTP function answers these with a "busy, try again" page, never a 500.
AWS_TROUBLE = (ClientError, BotoCoreError, GetParameterError)

# Rotation adds a key and moves "current"; five minutes is how long a container may keep
# signing with the old one, which still verifies, so nothing breaks meanwhile.
_CACHE_SECONDS = 300

# The last key set read in this container. When Secrets Manager fails after the cache has
# expired, these keys are still good (rotation only adds keys), so residents keep their form.
_last_good: dict[str, TokenKeys] = {}


@lru_cache(maxsize=4)
def _parsed(raw: str) -> TokenKeys:
    # The same secret text parses to the same keys: validate it once, not on every request.
    return TokenKeys.from_json(raw)


def load_token_keys(settings: Settings) -> TokenKeys:
    """The current key set; GetParameterError only when it was never read in this container."""
    if settings.heard_token_keys is not None:
        return _parsed(settings.heard_token_keys.get_secret_value())
    try:
        raw = parameters.get_secret(settings.token_keys_secret, max_age=_CACHE_SECONDS)
    except GetParameterError:
        if settings.token_keys_secret not in _last_good:
            raise
        return _last_good[settings.token_keys_secret]
    keys = _parsed(raw if isinstance(raw, str) else raw.decode())
    _last_good[settings.token_keys_secret] = keys
    return keys
